/** The JSON API under /v1 (see src/protocol/wire.ts for every shape). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AgentConversationsResponse, BootstrapResponse, MessagesResponse, VisitorConversationsResponse } from '../../src/protocol/wire.js';
import { LIMITS } from '../../src/protocol/wire.js';
import type { ServerContext } from '../context.js';
import { originIsTrusted, parseOrigin, normalizeTrustedDomain } from '../domains.js';
import { appInfo } from '../data/apps.js';
import type { AgentRow } from '../data/agents.js';
import { Refusal, createVisitorSession, normalizeAppid } from '../visitor-session.js';
import { authenticateVisitor } from '../visitor-auth.js';
import { randomId } from '../auth.js';
import { BodyError, bearer, readJsonBody, sendError, sendJson, sendRateLimited } from './respond.js';
import { clientAddress } from '../client-address.js';
import { takeFromEach } from '../rate-limit.js';
import { clientIdProblem, isStorable, messageProblem, possibleId, storableSeq } from '../storable-input.js';
import { logFailure } from '../failure-log.js';

export async function handleApi(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  try {
    await route(ctx, req, res, url);
  } catch (err) {
    const cors = corsHeaders(ctx, req, url);
    if (err instanceof BodyError || err instanceof Refusal) return sendError(res, err.status, err.reason, err.message, cors);
    logFailure('request', err);
    if (!res.headersSent) sendError(res, 500, 'internal', 'internal error', cors);
    else res.destroy();
  }
}

/**
 * Only bootstrap is called cross-origin (from the host page); it echoes the
 * Origin. In test mode the test and agent endpoints do too, so browser tests
 * on another origin can create apps and play the agent.
 */
function corsHeaders(ctx: ServerContext, req: IncomingMessage, url: URL): Record<string, string> {
  const p = url.pathname;
  if (p !== '/v1/bootstrap' && !(ctx.testMode && (p.startsWith('/v1/test/') || p.startsWith('/v1/agent/')))) return {};
  const origin = parseOrigin(req.headers.origin)?.origin;
  return origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
}

async function route(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const p = url.pathname;
  const m = req.method ?? 'GET';
  const cors = corsHeaders(ctx, req, url);
  if (m === 'OPTIONS' && cors.vary) {
    res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, authorization', 'access-control-max-age': '600' });
    return void res.end();
  }

  if (p === '/v1/health' && m === 'GET') return sendJson(res, 200, { ok: true, store: ctx.data.store.kind });

  if (p === '/v1/bootstrap') {
    if (m !== 'POST') return sendError(res, 405, 'method_not_allowed', 'use POST', cors);
    const body = await readJsonBody(req);
    const appid = normalizeAppid(body.appid);
    if (!appid) return sendError(res, 400, 'invalid_bootstrap', 'appid is missing or malformed', cors);
    const app = await ctx.data.apps.get(appid);
    if (!app || app.disabled) return sendError(res, 404, 'invalid_bootstrap', 'unknown or disabled appid', cors);
    if (!originIsTrusted(req.headers.origin, app.domains)) {
      return sendError(res, 403, 'domain_not_whitelisted', 'this page origin is not a trusted domain of the app', cors);
    }
    const answer: BootstrapResponse = { ok: true, app: appInfo(app) };
    return sendJson(res, 200, answer, cors);
  }

  if (p === '/v1/visitor/session') {
    if (m !== 'POST') return sendError(res, 405, 'method_not_allowed', 'use POST');
    const body = await readJsonBody(req);
    // Every session costs a token and rows; a client minting visitors would multiply the per-visitor limits.
    const wait = takeFromEach([
      [ctx.limits.sessionsPerAddress, clientAddress(req, ctx.trustProxyHops)],
      [ctx.limits.sessionsPerApp, normalizeAppid(body.appid) ?? ''],
    ]);
    if (wait > 0) return sendRateLimited(res, wait, 'too many visitor sessions from this address or for this app; retry later');
    return sendJson(res, 200, await createVisitorSession(ctx, body, { origin: req.headers.origin, host: req.headers.host }));
  }

  if (p === '/v1/visitor/conversations' || p === '/v1/visitor/messages') {
    if (m !== 'GET') return sendError(res, 405, 'method_not_allowed', 'use GET');
    const auth = await authenticateVisitor(ctx, bearer(req));
    if (!auth.ok) return sendError(res, auth.status, auth.reason, auth.message);
    if (p === '/v1/visitor/conversations') {
      await ctx.data.conversations.ensure(auth.visitor);
      const answer: VisitorConversationsResponse = { ok: true, conversations: await ctx.data.conversations.ofVisitor(auth.visitor.id) };
      return sendJson(res, 200, answer);
    }
    const named = possibleId(url.searchParams.get('conversation'));
    const conv = named === null ? null : await ctx.data.conversations.get(named);
    if (!conv || conv.visitor_id !== auth.visitor.id) return sendError(res, 404, 'not_found', 'no such conversation');
    const answer: MessagesResponse = { ok: true, messages: await ctx.data.messages.after(conv.id, intParam(url, 'after', 0), intParam(url, 'limit', 200)) };
    return sendJson(res, 200, answer);
  }

  if (p.startsWith('/v1/agent/')) return agentRoute(ctx, req, withHeaders(res, cors), url, p.slice('/v1/agent/'.length), m);
  if (p.startsWith('/v1/test/')) {
    if (!ctx.testMode) return sendError(res, 404, 'not_found', 'no such endpoint');
    return testRoute(ctx, req, withHeaders(res, cors), p.slice('/v1/test/'.length), m);
  }
  return sendError(res, 404, 'not_found', 'no such endpoint');
}

/** Adds headers (CORS) to whatever the handler writes. */
function withHeaders(res: ServerResponse, headers: Record<string, string>): ServerResponse {
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  return res;
}

function intParam(url: URL, name: string, fallback: number): number {
  const v = url.searchParams.get(name);
  if (v === null || !/^\d{1,9}$/.test(v)) return fallback;
  return Number(v);
}

async function agentRoute(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL, rest: string, m: string): Promise<void> {
  // An address that has used up its wrong keys: no key is even looked at until a token is back.
  const address = clientAddress(req, ctx.trustProxyHops);
  const wait = ctx.limits.agentAuthFailures.retryAfterMs(address);
  if (wait > 0) return sendRateLimited(res, wait, 'too many wrong agent keys from this address; retry later');
  const key = bearer(req);
  const agent = key ? await ctx.data.agents.byKey(key) : null;
  if (!agent) {
    ctx.limits.agentAuthFailures.take(address);
    return sendError(res, 401, 'unauthorized', 'missing or unknown agent key (Authorization: Bearer <agent key>)', { 'www-authenticate': 'Bearer' });
  }
  const parts = rest.split('/').map((s) => decodeURIComponentSafe(s));

  if (parts.length === 1 && parts[0] === 'conversations') {
    if (m !== 'GET') return sendError(res, 405, 'method_not_allowed', 'use GET');
    const answer: AgentConversationsResponse = {
      ok: true,
      conversations: await ctx.data.conversations.forAgents({ appid: agent.appid ?? (normalizeAppid(url.searchParams.get('appid')) || null), limit: intParam(url, 'limit', 200) }, ctx.hub.visitorOnline),
    };
    return sendJson(res, 200, answer);
  }

  if (parts[0] === 'conversations' && parts.length === 3 && parts[2] === 'messages' && m === 'POST') {
    // The hot path of agent replies: only the (cached, immutable) appid of the conversation is needed.
    const convId = possibleId(parts[1]);
    const appid = convId === null ? null : await ctx.data.conversations.appid(convId);
    if (!convId || !appid || !canSee(agent, appid)) return sendError(res, 404, 'not_found', 'no such conversation');
    const body = await readJsonBody(req);
    const badText = messageProblem(body.text, LIMITS.messageText);
    if (badText) return sendError(res, badText.code === 'too_large' ? 413 : 400, badText.code, badText.message);
    const badId = body.clientId === undefined ? null : clientIdProblem(body.clientId, LIMITS.clientId);
    if (badId) return sendError(res, 400, 'malformed', badId);
    // Agent client ids share the column with visitor ones: namespace them.
    const clientId = `agent:${typeof body.clientId === 'string' ? body.clientId : randomId(12)}`;
    const { message } = await ctx.data.messages.append({ conversationId: convId, author: 'agent', authorName: agent.name, text: body.text as string, clientId });
    return sendJson(res, 200, { ok: true, message });
  }

  if (parts[0] === 'conversations' && parts.length === 3) {
    const convId = possibleId(parts[1]);
    const conv = convId === null ? null : await ctx.data.conversations.get(convId);
    if (!conv || !canSee(agent, conv.appid)) return sendError(res, 404, 'not_found', 'no such conversation');
    if (parts[2] === 'messages' && m === 'GET') {
      const answer: MessagesResponse = { ok: true, messages: await ctx.data.messages.after(conv.id, intParam(url, 'after', 0), intParam(url, 'limit', 200)) };
      return sendJson(res, 200, answer);
    }
    if (parts[2] === 'read' && m === 'POST') {
      const body = await readJsonBody(req);
      const seq = body.seq === undefined ? conv.last_seq : body.seq;
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return sendError(res, 400, 'malformed', 'seq must be a non-negative integer');
      const agentReadSeq = await ctx.data.conversations.markRead(conv.id, 'agent', storableSeq(seq));
      return sendJson(res, 200, { ok: true, agentReadSeq });
    }
    return sendError(res, 405, 'method_not_allowed', 'unsupported method for this endpoint');
  }

  // Moderation: POST /v1/agent/visitors/:uid/ban {banned?: boolean}, POST /v1/agent/visitors/:uid/revoke
  if (parts[0] === 'visitors' && parts.length === 3 && (parts[2] === 'ban' || parts[2] === 'revoke')) {
    if (m !== 'POST') return sendError(res, 405, 'method_not_allowed', 'use POST');
    const uid = possibleId(parts[1]);
    const visitor = uid === null ? null : await ctx.data.visitors.byUid(uid);
    if (!visitor || !canSee(agent, visitor.appid)) return sendError(res, 404, 'not_found', 'no such visitor');
    if (parts[2] === 'ban') {
      const body = await readJsonBody(req).catch(() => ({}) as Record<string, unknown>);
      await ctx.data.visitors.setBanned(visitor.uid, body.banned !== false);
    } else {
      await ctx.data.visitors.revokeTokens(visitor.uid);
    }
    return sendJson(res, 200, { ok: true });
  }
  return sendError(res, 404, 'not_found', 'no such endpoint');
}

function canSee(agent: AgentRow, appid: string): boolean {
  return agent.appid === null || agent.appid === appid;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

/**
 * Test-mode only (startServer({testMode: true}) or TWT_TEST_MODE=1):
 *   POST /v1/test/apps {appid?, name?, domains: string[], secret?, greeting?} -> {ok, app: {appid, name, secret, domains}}
 *   POST /v1/test/apps/:appid/disable {disabled?: boolean} -> {ok}
 */
async function testRoute(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, rest: string, m: string): Promise<void> {
  if (m !== 'POST') return sendError(res, 405, 'method_not_allowed', 'use POST');
  const body = await readJsonBody(req);
  const parts = rest.split('/');
  if (parts.length === 1 && parts[0] === 'apps') {
    const appid = body.appid === undefined ? `app-${randomId(6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}` : normalizeAppid(body.appid);
    if (!appid) return sendError(res, 400, 'malformed', 'appid must match [a-z0-9][a-z0-9_-]*');
    const list = Array.isArray(body.domains) ? body.domains : [];
    const domains: string[] = [];
    for (const d of list) {
      const n = typeof d === 'string' ? normalizeTrustedDomain(d) : null;
      if (!n) return sendError(res, 400, 'malformed', `not a valid trusted domain: ${String(d)}`);
      domains.push(n);
    }
    for (const field of ['name', 'greeting', 'secret'] as const) {
      if (typeof body[field] === 'string' && !isStorable(body[field])) return sendError(res, 400, 'malformed', `${field} must not contain U+0000 (NUL)`);
    }
    const secret = typeof body.secret === 'string' && body.secret ? body.secret : randomId(18);
    const name = typeof body.name === 'string' && body.name ? body.name.slice(0, 100) : appid;
    const greeting = typeof body.greeting === 'string' ? body.greeting.slice(0, 500) : '';
    const created = await ctx.data.apps.create({ appid, name, secret, greeting, domains });
    if (!created) return sendError(res, 409, 'exists', 'appid already exists');
    return sendJson(res, 200, { ok: true, app: { appid, name, secret, greeting, domains } });
  }
  if (parts.length === 3 && parts[0] === 'apps' && parts[2] === 'disable') {
    const appid = normalizeAppid(parts[1]);
    const ok = appid ? await ctx.data.apps.setDisabled(appid, body.disabled !== false) : false;
    return ok ? sendJson(res, 200, { ok: true }) : sendError(res, 404, 'not_found', 'no such app');
  }
  return sendError(res, 404, 'not_found', 'no such endpoint');
}
