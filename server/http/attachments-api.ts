/**
 * Attachment routes (shapes and refusals: src/shared/attachments.ts): uploads by the visitor (its token) and by
 * an agent (key or console session, the agent prefix of api.ts authenticates it), and the files themselves,
 * served from the widget origin under the conversation's capability token so that they can never run as a
 * page of our origin: nosniff, a sandboxing CSP, and a download (not inline) for everything but images.
 */
import { once } from 'node:events';
import { isImageType } from '../../src/shared/attachments.js';
import type { AgentRow } from '../data/agents.js';
import type { StoredFile } from '../data/attachments.js';
import { canSee } from '../agent-permissions.js';
import { receiveUpload } from '../attachment-upload.js';
import { authenticateVisitor } from '../visitor-auth.js';
import { possibleId } from '../storable-input.js';
import type { ApiCall, ApiHandler } from './api.js';
import { bearer, sendError, sendJson, sendRateLimited } from './respond.js';
import type { Route } from './router.js';

export const ATTACHMENT_ROUTES: Route<ApiHandler>[] = [
  { method: 'POST', pattern: '/v1/visitor/conversations/:id/attachments', handler: visitorUpload },
  { method: 'POST', pattern: '/v1/agent/conversations/:id/attachments', handler: (call) => agentUpload(call as ApiCall & { agent: AgentRow }) },
  { method: 'GET', pattern: '/v1/files/:token/:id', handler: serveFile },
];

/** POST /v1/visitor/conversations/:id/attachments?name=…: the visitor's own conversation only; counts as a message against its rate limit. */
async function visitorUpload({ ctx, req, res, params, url }: ApiCall): Promise<void> {
  const auth = await authenticateVisitor(ctx, bearer(req));
  if (!auth.ok) return sendError(res, auth.status, auth.reason, auth.message);
  const id = possibleId(params.id);
  const conv = id === null ? null : await ctx.data.conversations.get(id);
  if (!conv || conv.visitor_id !== auth.visitor.id) return sendError(res, 404, 'not_found', 'no such conversation');
  if (!ctx.limits.messages.take(auth.visitor.uid)) return sendRateLimited(res, ctx.limits.messages.retryAfterMs(auth.visitor.uid), 'too many messages and files; retry later');
  const attachment = await receiveUpload(ctx, req, { conversationId: conv.id, appid: conv.appid }, { kind: 'visitor', uid: auth.visitor.uid }, url.searchParams.get('name'));
  return sendJson(res, 200, { ok: true, attachment });
}

/** POST /v1/agent/conversations/:id/attachments?name=…: a conversation of an app the agent may see. */
async function agentUpload({ ctx, req, res, params, url, agent }: ApiCall & { agent: AgentRow }): Promise<void> {
  const id = possibleId(params.id);
  const conv = id === null ? null : await ctx.data.conversations.get(id);
  if (!conv || !canSee(agent, conv.appid)) return sendError(res, 404, 'not_found', 'no such conversation');
  const attachment = await receiveUpload(ctx, req, { conversationId: conv.id, appid: conv.appid }, { kind: 'agent', agentId: agent.id }, url.searchParams.get('name'));
  return sendJson(res, 200, { ok: true, attachment });
}

/** GET /v1/files/:token/:id: the file, streamed from the store one chunk at a time. */
async function serveFile({ ctx, res, params }: ApiCall): Promise<void> {
  const token = possibleId(params.token);
  const id = possibleId(params.id);
  const file = token === null || id === null ? null : await ctx.data.attachments.served(token, id);
  if (!file) return sendError(res, 404, 'not_found', 'no such file');
  res.writeHead(200, fileHeaders(file));
  for await (const chunk of ctx.data.attachments.chunks(file.id)) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  res.end();
}

/** The headers that keep a served file inert: never sniffed, never a page (sandbox CSP), downloaded unless an image. */
export function fileHeaders(file: StoredFile): Record<string, string> {
  return {
    'content-type': file.type === 'text/plain' ? 'text/plain; charset=utf-8' : file.type,
    'content-length': String(file.size),
    'content-disposition': contentDisposition(isImageType(file.type) ? 'inline' : 'attachment', file.name),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cross-origin-resource-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
    // The URL names one immutable file; only the people holding the conversation's token have it.
    'cache-control': 'private, max-age=31536000, immutable',
  };
}

/** RFC 6266: an ASCII fallback `filename` (anything else becomes `_`) and the exact name as RFC 5987 `filename*`. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
