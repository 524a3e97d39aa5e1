/**
 * Static files: /install/core.js, /widget/*, /console/*, /demo/*. Paths are
 * decoded, normalised and confined to their root (no traversal, no dotfiles).
 * Widget HTML carries the CSP frame-ancestors of the app named by ?appid=.
 * Text files are served brotli- or gzip-compressed when the client accepts
 * it (compressed once per file version, kept in memory), with
 * `Vary: Accept-Encoding` and one strong ETag per encoding.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import type { ServerContext } from '../context.js';
import { consoleCsp, demoCsp, widgetCsp } from './content-security-policy.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Resolves a URL sub-path inside root, or null if it would escape or names a dotfile. */
export function safeJoin(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter(Boolean);
  if (parts.some((p) => p === '..' || p.startsWith('.'))) return null;
  const base = resolve(root);
  const full = resolve(base, ...parts);
  return full === base || full.startsWith(base + sep) ? full : null;
}

export async function serveStatic(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const p = url.pathname;
  let root: string;
  let sub: string;
  let kind: 'install' | 'widget' | 'console' | 'demo';
  if (p.startsWith('/install/')) [root, sub, kind] = [join(ctx.distDir, 'install'), p.slice('/install/'.length), 'install'];
  else if (p.startsWith('/widget/')) [root, sub, kind] = [join(ctx.distDir, 'widget'), p.slice('/widget/'.length), 'widget'];
  else if (p === '/console' || p === '/demo') {
    res.writeHead(301, { location: p + '/' });
    res.end();
    return true;
  } else if (p.startsWith('/console/')) [root, sub, kind] = [join(ctx.distDir, 'console'), p.slice('/console/'.length), 'console'];
  else if (p.startsWith('/demo/')) [root, sub, kind] = [ctx.demoDir, p.slice('/demo/'.length), 'demo'];
  else return false;

  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' });
    res.end();
    return true;
  }
  let file = safeJoin(root, sub);
  if (!file) return notFound(res);
  let stat = await fs.stat(file).catch(() => null);
  if (stat?.isDirectory()) {
    const index = join(file, 'index.html');
    const indexStat = await fs.stat(index).catch(() => null);
    if (indexStat?.isFile()) [file, stat] = [index, indexStat];
    else if (kind === 'demo') return listDirectory(res, file, p, demoCsp(req, p));
    else return notFound(res);
  }
  if (!stat?.isFile()) return notFound(res);

  const ext = extname(file).toLowerCase();
  const compressible = COMPRESSIBLE.has(ext) && stat.size <= MAX_COMPRESSED_FILE;
  const variants = compressible ? await encodedVariants(file, stat) : null;
  const encoding = variants ? chooseEncoding(req.headers['accept-encoding'], variants) : 'identity';
  const body = variants ? (encoding === 'br' ? variants.br! : encoding === 'gzip' ? variants.gzip! : variants.identity) : null;
  const etag = variants ? variants.etags[encoding] : `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    etag,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': cacheControl(kind, file),
  };
  // Caches must key compressible responses by Accept-Encoding, even the identity one.
  if (variants) headers.vary = 'Accept-Encoding';
  if (kind === 'install') headers['access-control-allow-origin'] = '*';
  if (kind === 'widget' && ext === '.html') headers['content-security-policy'] = await widgetCsp(ctx, req, url);
  if (kind === 'console' && ext === '.html') headers['content-security-policy'] = consoleCsp(req);
  if (kind === 'demo' && ext === '.html') headers['content-security-policy'] = demoCsp(req, p);
  if (etagMatches(req.headers['if-none-match'], etag)) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  if (encoding !== 'identity') headers['content-encoding'] = encoding;
  headers['content-length'] = String(body ? body.length : stat.size);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  if (body) res.end(body);
  else createReadStream(file).on('error', () => res.destroy()).pipe(res);
  return true;
}

// --- caching ----------------------------------------------------------------

/** Rollup's output names for widget and console scripts (scripts/rollup/pages.mjs): `<name>-<8-char content hash>.js`. */
const HASHED_BUILD_FILE = /-[A-Za-z0-9_-]{8}\.js$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * A built script whose name carries its content hash never changes: a repeat
 * view takes it from the cache without asking. Everything else (the pages,
 * /install/core.js whose URL sites embed, demo files) revalidates every time
 * against its ETag, so a deploy is seen at once and an unchanged file costs a 304.
 */
function cacheControl(kind: 'install' | 'widget' | 'console' | 'demo', file: string): string {
  return (kind === 'widget' || kind === 'console') && HASHED_BUILD_FILE.test(file) ? IMMUTABLE : 'no-cache';
}

// --- compression ----------------------------------------------------------

/** Types worth compressing (text); images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);
/** Larger files are streamed as they are rather than held in memory. */
const MAX_COMPRESSED_FILE = 4 * 1024 * 1024;
/** Below this a compressed body is not worth the header. */
const MIN_COMPRESS_BYTES = 256;

type Encoding = 'br' | 'gzip' | 'identity';
interface Variants {
  identity: Buffer;
  br: Buffer | null;
  gzip: Buffer | null;
  etags: Record<Encoding, string>;
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);
/** One entry per file path; a new size or mtime replaces it. Compression runs once per file version (in the thread pool). */
const variantCache = new Map<string, { version: string; variants: Promise<Variants> }>();

function encodedVariants(file: string, stat: Stats): Promise<Variants> {
  const version = `${stat.size}-${stat.mtimeMs}`;
  const hit = variantCache.get(file);
  if (hit && hit.version === version) return hit.variants;
  const variants = (async (): Promise<Variants> => {
    const identity = await fs.readFile(file);
    const worth = identity.length >= MIN_COMPRESS_BYTES;
    const [br, gz] = worth
      ? await Promise.all([
          brotli(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } }),
          gzipAsync(identity, { level: 9 }),
        ])
      : [null, null];
    // The ETag names the content (not the mtime), one per encoding: a 304 for one encoding never revalidates another's bytes.
    const tag = createHash('sha256').update(identity).digest('base64url').slice(0, 22);
    return {
      identity,
      br: br && br.length < identity.length ? br : null,
      gzip: gz && gz.length < identity.length ? gz : null,
      etags: { identity: `"${tag}"`, br: `"${tag}-br"`, gzip: `"${tag}-gz"` },
    };
  })();
  variantCache.set(file, { version, variants });
  variants.catch(() => {
    if (variantCache.get(file)?.variants === variants) variantCache.delete(file);
  });
  return variants;
}

/** The best encoding the client accepts (RFC 9110 12.5.3): br, then gzip, else identity. */
export function chooseEncoding(header: string | string[] | undefined, available: { br: Buffer | null; gzip: Buffer | null }): Encoding {
  const q = acceptedEncodings(Array.isArray(header) ? header.join(',') : header ?? '');
  const accepts = (name: string, ...aliases: string[]) => {
    for (const n of [name, ...aliases]) if (q.has(n)) return q.get(n)! > 0;
    return (q.get('*') ?? 0) > 0;
  };
  if (available.br && accepts('br')) return 'br';
  if (available.gzip && accepts('gzip', 'x-gzip')) return 'gzip';
  return 'identity';
}

function acceptedEncodings(header: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    let weight = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/.exec(p);
      if (m) weight = Math.min(1, Number(m[1]) || 0);
    }
    out.set(name.trim(), weight);
  }
  return out;
}

/** If-None-Match against one ETag: weak comparison (W/ ignored), lists and `*` understood. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = (t: string) => t.trim().replace(/^W\//, '');
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => bare(t) === bare(etag));
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end('Not found');
  return true;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function listDirectory(res: ServerResponse, dir: string, urlPath: string, csp: string): Promise<true> {
  const entries = (await fs.readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const items = entries.map((e) => {
    const name = e.isDirectory() ? e.name + '/' : e.name;
    return `<li><a href="${escapeHtml(encodeURIComponent(e.name) + (e.isDirectory() ? '/' : ''))}">${escapeHtml(name)}</a></li>`;
  });
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(urlPath)}</title><h1>${escapeHtml(urlPath)}</h1><ul>${items.join('')}</ul></html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff', 'content-security-policy': csp });
  res.end(html);
  return true;
}
