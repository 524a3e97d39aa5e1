/**
 * Console sign-in: the session cookie, and the checks every cookie-
 * authenticated request passes. The cookie is HttpOnly (no script reads it),
 * SameSite=Strict (no other site's page sends it), Path=/, Secure when the
 * client came over https (client-address.ts requestScheme, which trusts the
 * same proxies as the client address). It holds an opaque random id; the
 * store keeps only its hash (data/agent-sessions.ts).
 *
 * Cookies ride along with requests the console did not make, so a request
 * authenticated by one must also come from the console's own origin (CSRF;
 * CSWSH for the socket): its Origin header, when a browser sends one, equals
 * this server's origin, and state-changing requests must carry it. API keys
 * (Authorization: Bearer) are never sent by a browser on its own, so requests
 * with one need no such check.
 */
import type { IncomingMessage } from 'node:http';
import type { ServerContext } from './context.js';
import type { AgentSession } from './data/agent-sessions.js';
import { ownOrigin, requestScheme } from './client-address.js';

export const SESSION_COOKIE = 'twt_console';

/** The session id in the request's cookie, or null. */
export function sessionIdOf(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/** The Set-Cookie value that stores `id` for the session's absolute lifetime (or, with null, clears it). */
export function sessionCookie(ctx: ServerContext, req: IncomingMessage, id: string | null): string {
  const secure = requestScheme(req, ctx.trustProxyHops) === 'https' ? '; Secure' : '';
  const life = id === null ? 0 : Math.floor(ctx.sessionPolicy.absoluteMs / 1000);
  return `${SESSION_COOKIE}=${id ?? ''}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${life}${secure}`;
}

/**
 * Whether a cookie-authenticated request comes from this server's own pages.
 * `stateChanging`: the Origin header is required (browsers send it on every
 * POST/DELETE and every WebSocket handshake); otherwise (a GET) it must match
 * when present, and Sec-Fetch-Site, when present, must say same-origin.
 */
export function fromOwnOrigin(ctx: ServerContext, req: IncomingMessage, stateChanging: boolean): boolean {
  const origin = req.headers.origin;
  const own = ownOrigin(req, ctx.trustProxyHops);
  if (origin !== undefined) return own !== null && origin.toLowerCase() === own;
  if (stateChanging) return false;
  const site = req.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The live session of the request's cookie, or null (no cookie, unknown, expired, agent deactivated). */
export async function sessionOf(ctx: ServerContext, req: IncomingMessage): Promise<AgentSession | null> {
  const id = sessionIdOf(req);
  return id ? ctx.data.agentSessions.find(id, ctx.now(), ctx.sessionPolicy) : null;
}
