/** The JSON API under /v1 (see src/shared/wire-protocol.ts for every shape). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BootstrapResponse, MessagesResponse, RatingResponse, VisitorContextResponse, VisitorConversationsResponse } from '../../src/shared/wire-protocol.js';
import { LIMITS, type RatingValue } from '../../src/shared/wire-protocol.js';
import { ratingProblem } from '../../src/shared/rating.js';
import type { ServerContext } from '../context.js';
import { originIsTrusted, parseOrigin } from '../domains.js';
import { appInfo } from '../data/apps.js';
import type { AgentRow } from '../data/agents.js';
import { createVisitorSession, normalizeAppid } from '../visitor-session.js';
import { Refusal } from '../refusal.js';
import { authenticateVisitor } from '../visitor-auth.js';
import { randomId } from '../auth.js';
import { bearer, readJsonBody, sendError, sendJson, sendRateLimited } from './respond.js';
import { clientAddress } from '../client-address.js';
import { takeFromEach } from '../rate-limit.js';
import { clientIdProblem, possibleId, storableSeq } from '../storable-input.js';
import { logFailure } from '../failure-log.js';
import { Router, type Route } from './router.js';
import { TEST_ROUTES } from './test-api.js';
import { INBOX_ROUTES } from './inbox-api.js';
import { asAgent } from './agent-call.js';
import { canSee } from '../agent-permissions.js';
import { AVATAR_ROUTES, CONSOLE_ROUTES } from './console-api.js';
import { ADMIN_ROUTES } from './admin-api.js';
import { AWAY_ROUTES } from './away-api.js';
import { ATTACHMENT_ROUTES } from './attachments-api.js';
import { CONVERSATION_DELETE_ROUTES } from './conversation-delete-api.js';
import { claimAttachments, sendProblem } from '../attachment-upload.js';
import { fromOwnOrigin, sessionIdOf, sessionOf } from '../console-session.js';

/** One request as a route handler sees it. `agent`: the caller, on the agent routes (AGENT_PREFIX). */
export interface ApiCall {
  ctx: ServerContext;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  agent?: AgentRow;
}
export type ApiHandler = (call: ApiCall) => Promise<void> | void;

/**
 * The API. Routes under AGENT_PREFIX need an agent: an API key
 * (Authorization: Bearer <agent key>) or a console session cookie from the
 * console's own origin (console-session.ts).
 */
const API_ROUTES: Route<ApiHandler>[] = [
  { method: 'GET', pattern: '/v1/health', handler: health },
  { method: 'POST', pattern: '/v1/bootstrap', handler: bootstrap },
  { method: 'POST', pattern: '/v1/visitor/session', handler: visitorSession },
  { method: 'GET', pattern: '/v1/visitor/conversations', handler: visitorConversations },
  { method: 'GET', pattern: '/v1/visitor/messages', handler: visitorMessages },
  { method: 'POST', pattern: '/v1/visitor/conversations/:id/rating', handler: visitorRating },
  // Away hours, the follow-up email, a new conversation: away-api.ts.
  ...AWAY_ROUTES,
  { method: 'GET', pattern: '/v1/agent/conversations/:id/messages', handler: asAgent(agentMessages) },
  { method: 'POST', pattern: '/v1/agent/conversations/:id/messages', handler: asAgent(agentReply) },
  { method: 'POST', pattern: '/v1/agent/conversations/:id/read', handler: asAgent(agentRead) },
  { method: 'GET', pattern: '/v1/agent/conversations/:id/context', handler: asAgent(visitorContext) },
  { method: 'GET', pattern: '/v1/agent/visitors/:uid/context', handler: asAgent(visitorContext) },
  { method: 'POST', pattern: '/v1/agent/visitors/:uid/ban', handler: asAgent(banVisitor) },
  { method: 'POST', pattern: '/v1/agent/visitors/:uid/revoke', handler: asAgent(revokeVisitor) },
  // The inbox (views, assignment, resolve, search, canned replies): inbox-api.ts.
  ...INBOX_ROUTES,
  ...CONSOLE_ROUTES,
  ...AVATAR_ROUTES,
  ...ADMIN_ROUTES,
  // Files: uploads (visitor and agent) and the capability URLs they are served at.
  ...ATTACHMENT_ROUTES,
  ...CONVERSATION_DELETE_ROUTES,
];

/** Rows a list or history answers when the request names no `limit`. */
const DEFAULT_PAGE = 200;

/** Every path under it needs an agent key first: an unknown one too (401 before 404, so paths are not probed without a key). */
const AGENT_PREFIX = '/v1/agent/';

/** The /v1 handler of one server; the test-only routes (test-api.ts) exist only with `testMode`. */
export function apiHandler(options: { testMode: boolean }): (ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  const router = new Router<ApiHandler>(options.testMode ? [...API_ROUTES, ...TEST_ROUTES] : API_ROUTES);
  return async (ctx, req, res, url) => {
    try {
      await dispatch(router, ctx, req, res, url);
    } catch (err) {
      const cors = corsHeaders(ctx, req, url);
      if (err instanceof Refusal) return sendError(res, err.status, err.reason, err.message, cors);
      logFailure('request', err);
      if (!res.headersSent) sendError(res, 500, 'internal', 'internal error', cors);
      else res.destroy();
    }
  };
}

async function dispatch(router: Router<ApiHandler>, ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const cors = corsHeaders(ctx, req, url);
  if (method === 'OPTIONS' && cors.vary) {
    res.writeHead(204, { ...cors, 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type, authorization', 'access-control-max-age': '600' });
    return void res.end();
  }
  // CORS headers on whatever the handler (or a refusal) writes.
  for (const [k, v] of Object.entries(cors)) res.setHeader(k, v);
  let agent: AgentRow | undefined;
  if (path.startsWith(AGENT_PREFIX)) {
    agent = (await authenticateAgent(ctx, req, res)) ?? undefined;
    if (!agent) return;
  }
  const found = router.lookup(method, path);
  if (found.found) return found.handler({ ctx, req, res, url, params: found.params, ...(agent ? { agent } : {}) });
  if (!found.allowed.length) return sendError(res, 404, 'not_found', 'no such endpoint');
  return sendError(res, 405, 'method_not_allowed', found.allowed.length === 1 ? `use ${found.allowed[0]}` : 'unsupported method for this endpoint');
}

/**
 * Only bootstrap is called cross-origin (from the host page); it echoes the
 * Origin. In test mode the test and agent endpoints do too, so browser tests
 * on another origin can create apps and play the agent.
 */
function corsHeaders(ctx: ServerContext, req: IncomingMessage, url: URL): Record<string, string> {
  const p = url.pathname;
  if (p !== '/v1/bootstrap' && !(ctx.testMode && (p.startsWith('/v1/test/') || p.startsWith(AGENT_PREFIX)))) return {};
  const origin = parseOrigin(req.headers.origin)?.origin;
  return origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
}

/**
 * The agent of the request: by its key when it has an Authorization header,
 * else by its console session cookie (which must come from our own origin:
 * 403 `cross_origin`). Null with the refusal written (401, 403, or 429 for an
 * address out of wrong keys).
 */
async function authenticateAgent(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<AgentRow | null> {
  if (req.headers.authorization === undefined && sessionIdOf(req) !== null) {
    const method = req.method ?? 'GET';
    if (!fromOwnOrigin(ctx, req, method !== 'GET' && method !== 'HEAD')) {
      sendError(res, 403, 'cross_origin', 'console requests must come from the console itself (Origin)');
      return null;
    }
    const session = await sessionOf(ctx, req);
    if (!session) sendError(res, 401, 'unauthorized', 'not signed in (or the session has expired)');
    return session?.agent ?? null;
  }
  // An address that has used up its wrong keys: no key is even looked at until a token is back.
  const address = clientAddress(req, ctx.trustProxyHops);
  const wait = ctx.limits.agentAuthFailures.retryAfterMs(address);
  if (wait > 0) {
    sendRateLimited(res, wait, 'too many wrong agent keys from this address; retry later');
    return null;
  }
  const key = bearer(req);
  const agent = key ? ((await ctx.data.agents.byKey(key))?.agent ?? null) : null;
  if (!agent) {
    ctx.limits.agentAuthFailures.take(address);
    sendError(res, 401, 'unauthorized', 'missing or unknown agent key (Authorization: Bearer <agent key>), or not signed in', { 'www-authenticate': 'Bearer' });
  }
  return agent;
}

function intParam(url: URL, name: string, fallback: number): number {
  const v = url.searchParams.get(name);
  if (v === null || !/^\d{1,9}$/.test(v)) return fallback;
  return Number(v);
}


// --- public ----------------------------------------------------------------
function health({ ctx, res }: ApiCall): void {
  sendJson(res, 200, { ok: true, store: ctx.data.store.kind });
}

async function bootstrap({ ctx, req, res }: ApiCall): Promise<void> {
  const body = await readJsonBody(req);
  const appid = normalizeAppid(body.appid);
  if (!appid) return sendError(res, 400, 'invalid_bootstrap', 'appid is missing or malformed');
  const app = await ctx.data.apps.get(appid);
  if (!app || app.disabled) return sendError(res, 404, 'invalid_bootstrap', 'unknown or disabled appid');
  if (!originIsTrusted(req.headers.origin, app.domains)) {
    return sendError(res, 403, 'domain_not_whitelisted', 'this page origin is not a trusted domain of the app');
  }
  const answer: BootstrapResponse = { ok: true, app: appInfo(app) };
  return sendJson(res, 200, answer);
}

// --- visitors ----------------------------------------------------------------
async function visitorSession({ ctx, req, res }: ApiCall): Promise<void> {
  const body = await readJsonBody(req);
  // Every session costs a token and rows; a client minting visitors would multiply the per-visitor limits.
  const wait = takeFromEach([
    [ctx.limits.sessionsPerAddress, clientAddress(req, ctx.trustProxyHops)],
    [ctx.limits.sessionsPerApp, normalizeAppid(body.appid) ?? ''],
  ]);
  if (wait > 0) return sendRateLimited(res, wait, 'too many visitor sessions from this address or for this app; retry later');
  return sendJson(res, 200, await createVisitorSession(ctx, body, { origin: req.headers.origin, host: req.headers.host }));
}

async function visitorConversations({ ctx, req, res }: ApiCall): Promise<void> {
  const auth = await authenticateVisitor(ctx, bearer(req));
  if (!auth.ok) return sendError(res, auth.status, auth.reason, auth.message);
  await ctx.data.conversations.ensure(auth.visitor);
  const answer: VisitorConversationsResponse = { ok: true, conversations: await ctx.data.conversations.ofVisitor(auth.visitor.id) };
  return sendJson(res, 200, answer);
}

async function visitorMessages({ ctx, req, res, url }: ApiCall): Promise<void> {
  const auth = await authenticateVisitor(ctx, bearer(req));
  if (!auth.ok) return sendError(res, auth.status, auth.reason, auth.message);
  const named = possibleId(url.searchParams.get('conversation'));
  const conv = named === null ? null : await ctx.data.conversations.get(named);
  if (!conv || conv.visitor_id !== auth.visitor.id) return sendError(res, 404, 'not_found', 'no such conversation');
  const answer: MessagesResponse = { ok: true, messages: await ctx.data.messages.after(conv.id, intParam(url, 'after', 0), intParam(url, 'limit', DEFAULT_PAGE)) };
  return sendJson(res, 200, answer);
}

/** POST /v1/visitor/conversations/:id/rating {rating, comment?}: the visitor rates its own resolved conversation. */
async function visitorRating({ ctx, req, res, params }: ApiCall): Promise<void> {
  const auth = await authenticateVisitor(ctx, bearer(req));
  if (!auth.ok) return sendError(res, auth.status, auth.reason, auth.message);
  const body = await readJsonBody(req);
  const bad = ratingProblem(body.rating, body.comment);
  if (bad) return sendError(res, 400, 'malformed', bad);
  const id = possibleId(params.id);
  const rated = id === null ? 'not_found' : await ctx.data.conversations.rate(id, auth.visitor.id, body.rating as RatingValue, (body.comment as string | null | undefined) ?? null);
  // Another visitor's conversation is as unknown as one that does not exist.
  if (rated === 'not_found') return sendError(res, 404, 'not_found', 'no such conversation');
  if (rated === 'not_resolved') return sendError(res, 409, 'not_resolved', 'only a resolved conversation can be rated');
  const answer: RatingResponse = { ok: true, rating: rated };
  return sendJson(res, 200, answer);
}

// --- agents ------------------------------------------------------------------
/** The agent's conversation named in the path, or null with the 404 written. */
async function agentsConversation({ ctx, res, params, agent }: ApiCall & { agent: AgentRow }) {
  const convId = possibleId(params.id);
  const conv = convId === null ? null : await ctx.data.conversations.get(convId);
  if (!conv || !canSee(agent, conv.appid)) {
    sendError(res, 404, 'not_found', 'no such conversation');
    return null;
  }
  return conv;
}

async function agentMessages(call: ApiCall & { agent: AgentRow }): Promise<void> {
  const conv = await agentsConversation(call);
  if (!conv) return;
  const answer: MessagesResponse = { ok: true, messages: await call.ctx.data.messages.after(conv.id, intParam(call.url, 'after', 0), intParam(call.url, 'limit', DEFAULT_PAGE)) };
  return sendJson(call.res, 200, answer);
}

/** The hot path of agent replies: only the (cached, immutable) appid of the conversation is needed. */
async function agentReply({ ctx, req, res, params, agent }: ApiCall & { agent: AgentRow }): Promise<void> {
  const convId = possibleId(params.id);
  const appid = convId === null ? null : await ctx.data.conversations.appid(convId);
  if (!convId || !appid || !canSee(agent, appid)) return sendError(res, 404, 'not_found', 'no such conversation');
  const body = await readJsonBody(req);
  const badText = sendProblem(body.text, body.attachments, LIMITS.messageText);
  if (badText) return sendError(res, badText.code === 'too_large' ? 413 : 400, badText.code, badText.message);
  const badId = body.clientId === undefined ? null : clientIdProblem(body.clientId, LIMITS.clientId);
  if (badId) return sendError(res, 400, 'malformed', badId);
  // Agent client ids share the column with visitor ones: namespace them.
  const clientId = `agent:${typeof body.clientId === 'string' ? body.clientId : randomId(12)}`;
  const attachments = await claimAttachments(ctx, convId, { kind: 'agent', agentId: agent.id }, body.attachments, clientId);
  if (!attachments) return sendError(res, 400, 'invalid_attachment', 'an attachment is not a file you uploaded to this conversation');
  const { message } = await ctx.data.messages.append({ conversationId: convId, author: 'agent', authorName: agent.name, authorAgentId: agent.id, text: body.text as string, clientId, attachments });
  return sendJson(res, 200, { ok: true, message });
}

async function agentRead(call: ApiCall & { agent: AgentRow }): Promise<void> {
  const conv = await agentsConversation(call);
  if (!conv) return;
  const body = await readJsonBody(call.req);
  const seq = body.seq === undefined ? conv.last_seq : body.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return sendError(call.res, 400, 'malformed', 'seq must be a non-negative integer');
  const agentReadSeq = await call.ctx.data.conversations.markRead(conv.id, 'agent', storableSeq(seq));
  return sendJson(call.res, 200, { ok: true, agentReadSeq });
}

/**
 * GET /v1/agent/visitors/:uid/context or /v1/agent/conversations/:id/context: the visitor context of the side
 * panel (src/shared/visitor-context.ts). Another app's visitor is as unknown as one that does not exist (404).
 */
async function visitorContext({ ctx, res, params, agent }: ApiCall & { agent: AgentRow }): Promise<void> {
  const context = await ctx.data.visitTrail.context(params.uid !== undefined ? { visitorUid: params.uid } : { conversationId: params.id! }, ctx.hub.visitorOnline);
  if (!context || !canSee(agent, context.appid)) return sendError(res, 404, 'not_found', params.uid !== undefined ? 'no such visitor' : 'no such conversation');
  const answer: VisitorContextResponse = { ok: true, context };
  return sendJson(res, 200, answer);
}

// Moderation: POST /v1/agent/visitors/:uid/ban {banned?: boolean}, POST /v1/agent/visitors/:uid/revoke

/** The visitor named in the path, if the agent may moderate it; else null with the 404 written. */
async function moderatedVisitor({ ctx, res, params, agent }: ApiCall & { agent: AgentRow }) {
  const uid = possibleId(params.uid);
  const visitor = uid === null ? null : await ctx.data.visitors.byUid(uid);
  if (!visitor || !canSee(agent, visitor.appid)) {
    sendError(res, 404, 'not_found', 'no such visitor');
    return null;
  }
  return visitor;
}

async function banVisitor(call: ApiCall & { agent: AgentRow }): Promise<void> {
  const visitor = await moderatedVisitor(call);
  if (!visitor) return;
  const body = await readJsonBody(call.req).catch(() => ({}) as Record<string, unknown>);
  await call.ctx.data.visitors.setBanned(visitor.uid, body.banned !== false);
  return sendJson(call.res, 200, { ok: true });
}

async function revokeVisitor(call: ApiCall & { agent: AgentRow }): Promise<void> {
  const visitor = await moderatedVisitor(call);
  if (!visitor) return;
  await call.ctx.data.visitors.revokeTokens(visitor.uid);
  return sendJson(call.res, 200, { ok: true });
}
