/**
 * Static files: /install/core.js, /widget/*, /console/*, /demo/*. Paths are
 * decoded, normalised and confined to their root (no traversal, no dotfiles).
 * Widget HTML carries the CSP frame-ancestors of the app named by ?appid=.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, promises as fs } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { frameAncestors } from '../domains.js';
import type { ServerContext } from '../context.js';
import { normalizeAppid } from '../visitor-session.js';

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
    else if (kind === 'demo') return listDirectory(res, file, p);
    else return notFound(res);
  }
  if (!stat?.isFile()) return notFound(res);

  const ext = extname(file).toLowerCase();
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const headers: Record<string, string> = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    etag,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': ext === '.html' ? 'no-cache' : 'public, max-age=300',
  };
  if (kind === 'install') headers['access-control-allow-origin'] = '*';
  if (kind === 'widget' && ext === '.html') headers['content-security-policy'] = await widgetCsp(ctx, req, url);
  if (kind === 'console' && ext === '.html') headers['content-security-policy'] = `default-src 'self'; connect-src 'self' ${wsSources(req)}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return true;
  }
  headers['content-length'] = String(stat.size);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
  return true;
}

function wsSources(req: IncomingMessage): string {
  const host = typeof req.headers.host === 'string' && /^[a-zA-Z0-9.\-:[\]]+$/.test(req.headers.host) ? req.headers.host : null;
  return host ? `ws://${host} wss://${host}` : '';
}

async function widgetCsp(ctx: ServerContext, req: IncomingMessage, url: URL): Promise<string> {
  const appid = normalizeAppid(url.searchParams.get('appid'));
  const app = appid ? await ctx.repo.getApp(appid) : null;
  const ancestors = app && !app.disabled ? frameAncestors(app.domains) : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self' ${wsSources(req)}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

function notFound(res: ServerResponse): true {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' });
  res.end('Not found');
  return true;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function listDirectory(res: ServerResponse, dir: string, urlPath: string): Promise<true> {
  const entries = (await fs.readdir(dir, { withFileTypes: true }).catch(() => [])).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const items = entries.map((e) => {
    const name = e.isDirectory() ? e.name + '/' : e.name;
    return `<li><a href="${escapeHtml(encodeURIComponent(e.name) + (e.isDirectory() ? '/' : ''))}">${escapeHtml(name)}</a></li>`;
  });
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${escapeHtml(urlPath)}</title><h1>${escapeHtml(urlPath)}</h1><ul>${items.join('')}</ul></html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  res.end(html);
  return true;
}
