/**
 * Static files: /install/core.js, /widget/*, /console/*, /demo/*. Paths are
 * decoded, normalised and confined to their root (no traversal, no dotfiles).
 * Widget HTML carries the CSP frame-ancestors of the app named by ?appid=.
 * Text files are served brotli- or gzip-compressed when the client accepts
 * it, with `Vary: Accept-Encoding` and one strong ETag per encoding. The
 * build writes `<file>.br` (q11) and `<file>.gz` (-9) next to each dist file
 * (scripts/precompress.mjs): those are sent as they are; a file without a
 * fresh one (demo/, a file edited after the build) is compressed once per
 * version in the thread pool. Either way the result is kept in memory.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlib } from 'node:zlib';
import type { ServerContext } from '../context.js';
import { consoleCsp, demoCsp, widgetCsp } from './content-security-policy.js';
import { sendError } from './respond.js';

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
  // The build's precompressed sidecars are bodies of their file, not files of their own.
  if (!file || (kind !== 'demo' && SIDECAR_NAME.test(file))) return notFound(res);
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
  if (!encoding) return notAcceptable(res);
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
/** The build's sidecar of each encoding (scripts/precompress.mjs SIDECARS). */
const SIDECAR_EXT = { br: '.br', gzip: '.gz' } as const;
const SIDECAR_NAME = /\.(br|gz)$/;
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
          readSidecar(file, stat, 'br').then((b) => b ?? brotli(identity, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: identity.length } })),
          readSidecar(file, stat, 'gzip').then((b) => b ?? gzipAsync(identity, { level: 9 })),
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

/**
 * The build's `.br`/`.gz` next to the file, read, when it is at least as new as the file (a file rebuilt
 * or edited without its sidecars is compressed here instead); null when there is none.
 */
async function readSidecar(file: string, stat: Stats, encoding: 'br' | 'gzip'): Promise<Buffer | null> {
  const sidecar = file + SIDECAR_EXT[encoding];
  const s = await fs.stat(sidecar).catch(() => null);
  if (!s?.isFile() || s.mtimeMs < stat.mtimeMs) return null;
  return fs.readFile(sidecar).catch(() => null);
}

/**
 * The encoding to send (RFC 9110 12.5.3), or null when the client accepts none we have (identity refused by
 * `identity;q=0`, or by `*;q=0` without an `identity` entry): the highest q wins, ties go to the smaller body
 * (br, gzip, identity). A coding not listed takes the q of `*`, if any; identity not listed stays acceptable,
 * after every coding listed. No header at all: identity (the RFC lets us send anything; clients that send none
 * are scripts and probes, which expect the plain file).
 */
export function chooseEncoding(header: string | string[] | undefined, available: { br: Buffer | null; gzip: Buffer | null }): Encoding | null {
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (raw === undefined) return 'identity';
  const q = acceptedEncodings(raw);
  const weight = (...names: string[]): number | undefined => {
    for (const n of names) if (q.has(n)) return q.get(n);
    return q.get('*');
  };
  const candidates: [Encoding, number][] = [];
  if (available.br) candidates.push(['br', weight('br') ?? 0]);
  if (available.gzip) candidates.push(['gzip', weight('gzip', 'x-gzip') ?? 0]);
  // Acceptable by default, yet less wanted than anything the client named (MIN_VALUE: above a refusal's 0).
  candidates.push(['identity', weight('identity') ?? Number.MIN_VALUE]);
  let best: [Encoding, number] | null = null;
  for (const c of candidates) if (c[1] > 0 && (!best || c[1] > best[1])) best = c;
  return best ? best[0] : null;
}

function acceptedEncodings(header: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name?.trim()) continue;
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

/** 406: the client refused every encoding of the file, identity included. */
function notAcceptable(res: ServerResponse): true {
  sendError(res, 406, 'not_acceptable', 'No encoding of this file is acceptable: Accept-Encoding refuses identity and accepts none of br, gzip', {
    vary: 'Accept-Encoding',
  });
  return true;
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
