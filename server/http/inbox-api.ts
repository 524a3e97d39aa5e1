/**
 * The inbox's agent routes (all under /v1/agent/, so the dispatcher has
 * authenticated the agent): views with their counts, assignment, resolve and
 * reopen, full-text search, canned replies. Every query is scoped to the apps
 * the agent sees (agent.appid; null = every app). Shapes: src/shared/wire-protocol.ts.
 */
import type { AgentConversationsResponse, InboxView, SearchResponse } from '../../src/shared/wire-protocol.js';
import { CANNED_SHORTCUT_PATTERN, INBOX_VIEWS, LIMITS, SEARCH_QUERY_MAX } from '../../src/shared/wire-protocol.js';
import type { AgentRow } from '../data/agents.js';
import { decodeCursor, type ConversationRow } from '../data/conversations.js';
import { canEditCannedReplies, canSee } from '../agent-permissions.js';
import { isStorable, messageProblem, possibleId } from '../storable-input.js';
import { normalizeAppid } from '../visitor-session.js';
import { Refusal } from '../refusal.js';
import type { ApiHandler } from './api.js';
import { asAgent, type AgentCall } from './agent-call.js';
import type { Route } from './router.js';
import { readJsonBody, sendJson } from './respond.js';

export const INBOX_ROUTES: Route<ApiHandler>[] = [
  { method: 'GET', pattern: '/v1/agent/conversations', handler: asAgent(listConversations) },
  { method: 'GET', pattern: '/v1/agent/conversations/:id', handler: asAgent(oneConversation) },
  { method: 'POST', pattern: '/v1/agent/conversations/:id/assign', handler: asAgent(assign) },
  { method: 'POST', pattern: '/v1/agent/conversations/:id/resolve', handler: asAgent((call) => setStatus(call, 'resolved')) },
  { method: 'POST', pattern: '/v1/agent/conversations/:id/reopen', handler: asAgent((call) => setStatus(call, 'open')) },
  { method: 'GET', pattern: '/v1/agent/teammates', handler: asAgent(teammates) },
  { method: 'GET', pattern: '/v1/agent/search', handler: asAgent(search) },
  { method: 'GET', pattern: '/v1/agent/canned-replies', handler: asAgent(listCannedReplies) },
  { method: 'POST', pattern: '/v1/agent/canned-replies', handler: asAgent(createCannedReply) },
  { method: 'POST', pattern: '/v1/agent/canned-replies/:id', handler: asAgent(updateCannedReply) },
  { method: 'POST', pattern: '/v1/agent/canned-replies/:id/delete', handler: asAgent(deleteCannedReply) },
];

/** Rows a list answers when the request names no `limit`. */
const DEFAULT_PAGE = 200;

function intParam(url: URL, name: string, fallback: number): number {
  const v = url.searchParams.get(name);
  if (v === null || !/^\d{1,9}$/.test(v)) return fallback;
  return Number(v);
}

/** The app filter of a list: the agent's own app, or (an agent of every app) the one asked for, or all. */
function scopeOf(agent: AgentRow, url: URL): string | null {
  return agent.appid ?? (normalizeAppid(url.searchParams.get('appid')) || null);
}

/** The conversation named in the path, if the agent sees it; else a 404 refusal. */
async function seenConversation({ ctx, params, agent }: AgentCall): Promise<ConversationRow> {
  const id = possibleId(params.id);
  const conv = id === null ? null : await ctx.data.conversations.get(id);
  if (!conv || !canSee(agent, conv.appid)) throw new Refusal(404, 'not_found', 'no such conversation');
  return conv;
}

/** The summary of one conversation after a change, as the agents' pushes carry it. */
async function summary(call: AgentCall, id: string) {
  const [conversation] = await call.ctx.data.conversations.forAgents({ ids: [id] }, call.ctx.hub.visitorOnline);
  return conversation;
}

// GET /v1/agent/conversations?view=&appid=&limit=&after=
async function listConversations(call: AgentCall): Promise<void> {
  const { ctx, res, url, agent } = call;
  const viewParam = url.searchParams.get('view');
  if (viewParam !== null && !(INBOX_VIEWS as readonly string[]).includes(viewParam)) {
    throw new Refusal(400, 'malformed', `view must be one of ${INBOX_VIEWS.join(', ')}`);
  }
  const view = (viewParam ?? undefined) as InboxView | undefined;
  const afterParam = url.searchParams.get('after');
  const after = afterParam === null ? undefined : decodeCursor(afterParam);
  if (after === null) throw new Refusal(400, 'malformed', 'after must be the `next` of a previous page');
  const appid = scopeOf(agent, url);
  const [{ conversations, next }, { counts, serverTime }] = await Promise.all([
    ctx.data.conversations.agentPage({ appid, limit: intParam(url, 'limit', DEFAULT_PAGE), ...(view ? { view, meId: agent.id } : {}), ...(after ? { after } : {}) }, ctx.hub.visitorOnline),
    ctx.data.conversations.viewCounts(appid, agent.id),
  ]);
  const answer: AgentConversationsResponse = {
    ok: true,
    conversations,
    next,
    counts,
    serverTime,
  };
  return sendJson(res, 200, answer);
}

// GET /v1/agent/conversations/:id: one summary, for a row the console has not loaded (a message to a conversation
// beyond its loaded pages: agent-row-updates.ts sends no summary after an ordinary message).
async function oneConversation(call: AgentCall): Promise<void> {
  const conv = await seenConversation(call);
  const conversation = await summary(call, conv.id);
  if (!conversation) throw new Refusal(404, 'not_found', 'no such conversation');
  return sendJson(call.res, 200, { ok: true, conversation });
}

// POST /v1/agent/conversations/:id/assign {agentId: number | null}
async function assign(call: AgentCall): Promise<void> {
  const conv = await seenConversation(call);
  const body = await readJsonBody(call.req);
  const agentId = body.agentId;
  if (agentId !== null && !(typeof agentId === 'number' && Number.isSafeInteger(agentId) && agentId > 0)) {
    throw new Refusal(400, 'malformed', 'agentId must be an agent id (a positive integer) or null to unassign');
  }
  if (agentId !== null && !(await call.ctx.data.agents.serving(conv.appid)).some((a) => a.id === agentId)) {
    throw new Refusal(400, 'invalid_agent', 'no live agent with this id serves the conversation’s app');
  }
  await call.ctx.data.conversations.assign(conv.id, agentId);
  return sendJson(call.res, 200, { ok: true, conversation: await summary(call, conv.id) });
}

// POST /v1/agent/conversations/:id/resolve, /reopen
async function setStatus(call: AgentCall, status: 'open' | 'resolved'): Promise<void> {
  const conv = await seenConversation(call);
  await call.ctx.data.conversations.setStatus(conv.id, status, call.agent.id);
  return sendJson(call.res, 200, { ok: true, conversation: await summary(call, conv.id) });
}

// GET /v1/agent/teammates
async function teammates({ ctx, res, agent }: AgentCall): Promise<void> {
  const agents = (await ctx.data.agents.teammates(agent.appid)).map((a) => ({ id: a.id, name: a.name, appid: a.appid }));
  return sendJson(res, 200, { ok: true, agents });
}

// GET /v1/agent/search?q=&appid=
async function search(call: AgentCall): Promise<void> {
  const { ctx, res, url, agent } = call;
  const q = (url.searchParams.get('q') ?? '').trim();
  if (!q) throw new Refusal(400, 'malformed', 'q (the words to search for) is missing');
  if (q.length > SEARCH_QUERY_MAX) throw new Refusal(400, 'too_large', `q is longer than ${SEARCH_QUERY_MAX} characters`);
  if (!isStorable(q)) throw new Refusal(400, 'malformed', 'q must not contain U+0000 (NUL)');
  const hits = await ctx.data.search.conversations(q, scopeOf(agent, url));
  const byId = new Map((await ctx.data.conversations.forAgents({ ids: hits.map((h) => h.conversationId) }, ctx.hub.visitorOnline)).map((c) => [c.id, c]));
  const answer: SearchResponse = { ok: true, results: [] };
  for (const h of hits) {
    const conversation = byId.get(h.conversationId);
    // The search was scoped already; this keeps a summary from another app out even if that ever changed.
    if (conversation && canSee(agent, conversation.appid)) answer.results.push({ conversation, message: h.message, snippet: h.snippet });
  }
  return sendJson(res, 200, answer);
}

// Canned replies ---------------------------------------------------------------

async function listCannedReplies({ ctx, res, url, agent }: AgentCall): Promise<void> {
  return sendJson(res, 200, { ok: true, replies: await ctx.data.cannedReplies.list(scopeOf(agent, url)) });
}

function mayEdit(agent: AgentRow): void {
  if (!canEditCannedReplies(agent)) throw new Refusal(403, 'forbidden', 'only admins edit canned replies');
}

/** A canned reply's fields from a body, checked (`partial`: missing ones stay undefined). */
function cannedFields(body: Record<string, unknown>, partial: boolean): { shortcut?: string; text?: string } {
  const out: { shortcut?: string; text?: string } = {};
  if (body.shortcut !== undefined || !partial) {
    const s = typeof body.shortcut === 'string' ? body.shortcut.trim().replace(/^\//, '').toLowerCase() : '';
    if (!CANNED_SHORTCUT_PATTERN.test(s)) throw new Refusal(400, 'malformed', 'shortcut must be 1-32 of a-z, 0-9, - and _ (starting with a letter or digit)');
    out.shortcut = s;
  }
  if (body.text !== undefined || !partial) {
    const bad = messageProblem(body.text, LIMITS.messageText);
    if (bad) throw new Refusal(bad.code === 'too_large' ? 413 : 400, bad.code, bad.message);
    out.text = body.text as string;
  }
  return out;
}

async function createCannedReply({ ctx, req, res, agent }: AgentCall): Promise<void> {
  mayEdit(agent);
  const body = await readJsonBody(req);
  const appid = normalizeAppid(body.appid);
  if (!appid || !canSee(agent, appid) || !(await ctx.data.apps.get(appid))) throw new Refusal(400, 'malformed', 'appid must name an app you serve');
  const { shortcut, text } = cannedFields(body, false);
  const w = await ctx.data.cannedReplies.create({ appid, shortcut: shortcut!, text: text! });
  if (!w.ok) throw new Refusal(409, 'exists', `the app already has a /${shortcut} reply`);
  return sendJson(res, 200, { ok: true, reply: w.reply });
}

/** The canned reply named in the path, if the agent sees its app; else a 404 refusal. */
async function seenCannedReply({ ctx, params, agent }: AgentCall) {
  const id = /^\d{1,15}$/.test(params.id ?? '') ? Number(params.id) : null;
  const reply = id === null ? null : await ctx.data.cannedReplies.get(id);
  if (!reply || !canSee(agent, reply.appid)) throw new Refusal(404, 'not_found', 'no such canned reply');
  return reply;
}

async function updateCannedReply(call: AgentCall): Promise<void> {
  mayEdit(call.agent);
  const reply = await seenCannedReply(call);
  const fields = cannedFields(await readJsonBody(call.req), true);
  const w = await call.ctx.data.cannedReplies.update(reply.id, { shortcut: fields.shortcut ?? reply.shortcut, text: fields.text ?? reply.text });
  if (!w.ok) throw w.why === 'exists' ? new Refusal(409, 'exists', `the app already has a /${fields.shortcut} reply`) : new Refusal(404, 'not_found', 'no such canned reply');
  return sendJson(call.res, 200, { ok: true, reply: w.reply });
}

async function deleteCannedReply(call: AgentCall): Promise<void> {
  mayEdit(call.agent);
  const reply = await seenCannedReply(call);
  await call.ctx.data.cannedReplies.delete(reply.id);
  return sendJson(call.res, 200, { ok: true });
}
