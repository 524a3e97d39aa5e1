/**
 * Console sign-in routes (/v1/console/*) and agents' avatars (for agents, and
 * for the visitors of the apps those agents serve). See
 * src/shared/agent-accounts.ts for the shapes, server/console-session.ts for
 * the cookie and its origin checks.
 *
 * Failed sign-ins are throttled per client address and per account (the email
 * as given, known or not); the answer to an unknown email and to a wrong
 * password is the same, and costs the same scrypt work.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AVATAR_MAX_BYTES, type ConsoleAgent, type Me, type SignedIn } from '../../src/shared/agent-accounts.js';
import { clientAddress } from '../client-address.js';
import { fromOwnOrigin, sessionCookie, sessionIdOf, sessionOf } from '../console-session.js';
import { normalizeEmail, type AgentRow } from '../data/agents.js';
import { verifyPassword, PASSWORD_MAX } from '../passwords.js';
import { Refusal } from '../refusal.js';
import { imageTypeOf } from '../avatar.js';
import { normalizeAppid } from '../visitor-session.js';
import { possibleId } from '../storable-input.js';
import type { ApiCall, ApiHandler } from './api.js';
import { asAgent, type AgentCall } from './agent-call.js';
import { readJsonBody, sendError, sendJson, sendRateLimited } from './respond.js';
import type { Route } from './router.js';

export const CONSOLE_ROUTES: Route<ApiHandler>[] = [
  { method: 'POST', pattern: '/v1/console/session', handler: signIn },
  { method: 'DELETE', pattern: '/v1/console/session', handler: signOut },
  { method: 'GET', pattern: '/v1/console/me', handler: me },
];

/** Under /v1/agent/ (authenticated by the dispatcher, by key or session). */
export const AVATAR_ROUTES: Route<ApiHandler>[] = [
  { method: 'POST', pattern: '/v1/agent/me/avatar', handler: asAgent(setAvatar) },
  { method: 'GET', pattern: '/v1/agent/agents/:id/avatar', handler: asAgent(getAvatar) },
  // Public (no agent): what the visitor's panel shows beside an agent's messages (MessageView.authorAgentId).
  { method: 'GET', pattern: '/v1/apps/:appid/agents/:id/avatar', handler: getServingAvatar },
];

/** An agent id as a path segment: a positive integer that fits the bigint column, or null. */
function agentIdOf(v: string | undefined): number | null {
  const id = possibleId(v);
  return id !== null && /^[1-9]\d{0,14}$/.test(id) ? Number(id) : null;
}

export async function consoleAgent(ctx: ApiCall['ctx'], agent: AgentRow): Promise<ConsoleAgent> {
  return { id: agent.id, name: agent.name, email: agent.email, role: agent.role, appid: agent.appid, hasAvatar: (await ctx.data.agents.avatar(agent.id)) !== null };
}

function requireOwnOrigin(call: ApiCall): void {
  if (!fromOwnOrigin(call.ctx, call.req, true)) throw new Refusal(403, 'cross_origin', 'console requests must come from the console itself (Origin)');
}

async function signIn(call: ApiCall): Promise<void> {
  const { ctx, req, res } = call;
  // A sign-in form on another site must not sign the visitor in as someone (login CSRF).
  requireOwnOrigin(call);
  const body = await readJsonBody(req);
  const email = typeof body.email === 'string' ? body.email.trim().toLowerCase().slice(0, 300) : '';
  const password = typeof body.password === 'string' ? body.password : '';
  if (!email || !password) return sendError(res, 400, 'malformed', 'email and password are required');
  const address = clientAddress(req, ctx.trustProxyHops);
  const limits = [
    [ctx.limits.signInFailuresPerAddress, address],
    [ctx.limits.signInFailuresPerAccount, email],
  ] as const;
  const wait = Math.max(...limits.map(([l, k]) => l.retryAfterMs(k)));
  if (wait > 0) return sendRateLimited(res, wait, 'too many failed sign-ins; retry later');
  // Only a well-formed address is looked up (no NUL reaches the store); the rest fail like a wrong password.
  const found = normalizeEmail(email) === email && password.length <= PASSWORD_MAX ? await ctx.data.agents.forSignIn(email) : null;
  // Unknown email or not: the same scrypt work, the same answer.
  const ok = await verifyPassword(password, found?.passwordHash ?? null);
  if (!found || !ok) {
    // Both had a token (checked above): each failure costs one of each.
    for (const [l, k] of limits) l.take(k);
    return sendError(res, 401, 'sign_in_failed', 'wrong email or password');
  }
  const session = await ctx.data.agentSessions.create(found.agent.id, ctx.now());
  // Housekeeping on the rare write: expired sessions (refused anyway) leave the table.
  await ctx.data.agentSessions.sweep(ctx.now(), ctx.sessionPolicy);
  const answer: SignedIn = { ok: true, agent: await consoleAgent(ctx, found.agent) };
  return sendJson(res, 200, answer, { 'set-cookie': sessionCookie(ctx, req, session.id) });
}

async function signOut(call: ApiCall): Promise<void> {
  requireOwnOrigin(call);
  const id = sessionIdOf(call.req);
  if (id) await call.ctx.data.agentSessions.end(id);
  return sendJson(call.res, 200, { ok: true }, { 'set-cookie': sessionCookie(call.ctx, call.req, null) });
}

async function me(call: ApiCall): Promise<void> {
  if (!fromOwnOrigin(call.ctx, call.req, false)) throw new Refusal(403, 'cross_origin', 'console requests must come from the console itself (Origin)');
  // Nobody signed in is an ordinary answer here (the console asks on every load), not an error.
  const session = await sessionOf(call.ctx, call.req);
  const answer: Me = { ok: true, agent: session ? await consoleAgent(call.ctx, session.agent) : null };
  return sendJson(call.res, 200, answer);
}

/** The request body as bytes, refused past `max`. */
async function readBytes(req: IncomingMessage, max: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > max) {
    req.resume();
    throw new Refusal(413, 'too_large', `body larger than ${max} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new Refusal(413, 'too_large', `body larger than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function setAvatar({ ctx, req, res, agent }: AgentCall): Promise<void> {
  const bytes = await readBytes(req, AVATAR_MAX_BYTES);
  if (!bytes.length) {
    await ctx.data.agents.setAvatar(agent.id, null);
    return sendJson(res, 200, { ok: true });
  }
  const type = imageTypeOf(bytes);
  if (!type) return sendError(res, 415, 'unsupported_image', 'the avatar must be a PNG, JPEG, WebP or GIF image');
  await ctx.data.agents.setAvatar(agent.id, { type, bytes });
  return sendJson(res, 200, { ok: true });
}

async function getAvatar({ ctx, res, params, agent }: AgentCall): Promise<void> {
  const id = agentIdOf(params.id);
  const avatar = id === null ? null : await ctx.data.agents.avatar(id);
  // An agent sees the avatars of agents who share an app with it.
  const visible = avatar && (agent.appid === null || avatar.appid === null || avatar.appid === agent.appid);
  if (!avatar || !visible) return sendError(res, 404, 'not_found', 'no such avatar');
  sendImage(res, avatar, 'private, max-age=60');
}

/**
 * A visitor's view of an agent's avatar: only agents serving that app (an
 * unknown app and another app's agent are one and the same 404); an agent
 * without an avatar, or deactivated, gets their initial (avatar.ts). Public and revalidated by ETag, so a
 * new avatar shows within a minute and an unchanged one costs a 304.
 */
async function getServingAvatar({ ctx, req, res, params }: ApiCall): Promise<void> {
  const appid = normalizeAppid(params.appid);
  const id = agentIdOf(params.id);
  const avatar = appid === null || id === null ? null : await ctx.data.agents.avatarServing(id, appid);
  if (!avatar) return sendError(res, 404, 'not_found', 'no such avatar');
  sendImage(res, avatar, 'public, max-age=60', req);
}

/**
 * An avatar's bytes, only ever as the image type found in them (avatar.ts),
 * never sniffed into anything else, never a document. With `req`: an ETag
 * (hash of the bytes) and 304 on a matching If-None-Match.
 */
function sendImage(res: ServerResponse, image: { type: string; bytes: Buffer }, cacheControl: string, req?: IncomingMessage): void {
  const headers: Record<string, string> = {
    'content-type': image.type,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': cacheControl,
  };
  if (req) {
    // The panel is another origin: let it embed this public image.
    headers['cross-origin-resource-policy'] = 'cross-origin';
    const etag = `"${createHash('sha256').update(image.bytes).digest('base64url').slice(0, 27)}"`;
    headers.etag = etag;
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag)) {
      res.writeHead(304, headers);
      return void res.end();
    }
  }
  res.writeHead(200, { ...headers, 'content-length': String(image.bytes.length) });
  res.end(image.bytes);
}
