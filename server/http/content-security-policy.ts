/**
 * The Content-Security-Policy of every HTML page the server serves: the widget
 * surfaces (framed only by the app's trusted domains), the agent console, and
 * the demo pages (which stand in for a customer's host page).
 */
import type { IncomingMessage } from 'node:http';
import { frameAncestors } from '../domains.js';
import type { ServerContext } from '../context.js';
import { normalizeAppid } from '../visitor-session.js';
import { surfacePage } from '../../src/shared/bridge-protocol.js';

/** The launcher's pages (one per theme): they may show the site's own icon (config `icon`), hosted anywhere. */
const LAUNCHER_PAGES = new Set((['light', 'dark'] as const).map((theme) => `/widget/${surfacePage('launcher', theme)}`));

/** The WebSocket sources of this server as the browser reached it (its Host header). */
function wsSources(req: IncomingMessage): string {
  const host = typeof req.headers.host === 'string' && /^[a-zA-Z0-9.\-:[\]]+$/.test(req.headers.host) ? req.headers.host : null;
  return host ? `ws://${host} wss://${host}` : '';
}

export async function widgetCsp(ctx: ServerContext, req: IncomingMessage, url: URL): Promise<string> {
  const appid = normalizeAppid(url.searchParams.get('appid'));
  const app = appid ? await ctx.data.apps.get(appid) : null;
  const ancestors = app && !app.disabled ? frameAncestors(app.domains) : "'none'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${LAUNCHER_PAGES.has(url.pathname) ? ' https: http:' : ''}`,
    "font-src 'self' data:",
    `connect-src 'self' ${wsSources(req)}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

export function consoleCsp(req: IncomingMessage): string {
  return [
    "default-src 'self'",
    `connect-src 'self' ${wsSources(req)}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    // The key form is handled in script; nothing is ever posted by the browser.
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The demo pages show the spec's snippets verbatim, and those are inline
 * scripts and styles (as on a customer's page), so inline is allowed; the Vue
 * page compiles its template in the browser, which needs eval. Everything else
 * is this origin only: the widget is served from here too.
 */
export function demoCsp(req: IncomingMessage, path: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${path.endsWith('/vue.html') ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    // The launcher-icon demo may point at an image anywhere.
    "img-src 'self' data: blob: https: http:",
    `connect-src 'self' ${wsSources(req)}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join('; ');
}
