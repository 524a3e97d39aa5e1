/**
 * The visitor's routes for away hours and new conversations (shapes: src/shared/wire-protocol.ts):
 *   GET  /v1/visitor/away?conversation=<id>          -> AwayResponse (business hours now, the follow-up email left)
 *   POST /v1/visitor/conversations/:id/email {email} -> FollowUpEmailResponse
 *   POST /v1/visitor/conversations                   -> NewConversationResponse
 * All with `Authorization: Bearer <visitor token>`; a visitor reaches only its own conversations (another's is
 * 404, as one that does not exist). Writes count against the visitor's message limit (LimitSettings.messagesPer10s).
 */
import type { AwayResponse, FollowUpEmailResponse, NewConversationResponse } from '../../src/shared/wire-protocol.js';
import { emailAddress, FOLLOW_UP_EMAIL_MAX } from '../../src/shared/email.js';
import { authenticateVisitor } from '../visitor-auth.js';
import type { VisitorRow } from '../data/visitors.js';
import { hoursState } from '../business-hours.js';
import { possibleId } from '../storable-input.js';
import { Refusal } from '../refusal.js';
import type { ApiCall, ApiHandler } from './api.js';
import { bearer, readJsonBody, sendError, sendJson, sendRateLimited } from './respond.js';
import type { Route } from './router.js';

export const AWAY_ROUTES: Route<ApiHandler>[] = [
  { method: 'GET', pattern: '/v1/visitor/away', handler: away },
  { method: 'POST', pattern: '/v1/visitor/conversations', handler: newConversation },
  { method: 'POST', pattern: '/v1/visitor/conversations/:id/email', handler: followUpEmail },
];

/** The visitor of the request's token (else the refusal is thrown: 401/403 as the other visitor routes). */
async function visitorOf({ ctx, req }: ApiCall) {
  const auth = await authenticateVisitor(ctx, bearer(req));
  if (!auth.ok) throw new Refusal(auth.status, auth.reason, auth.message);
  return auth;
}

/** False (with the 429 written) when the visitor is out of writes. */
function mayWrite({ ctx, res }: ApiCall, visitor: VisitorRow): boolean {
  if (ctx.limits.messages.take(visitor.uid)) return true;
  sendRateLimited(res, ctx.limits.messages.retryAfterMs(visitor.uid), 'too many messages; retry later');
  return false;
}

async function away(call: ApiCall): Promise<void> {
  const { ctx, res, url } = call;
  const { visitor, app } = await visitorOf(call);
  const named = possibleId(url.searchParams.get('conversation'));
  const conv = named === null ? null : await ctx.data.conversations.get(named);
  const followUpEmail = conv && conv.visitor_id === visitor.id ? (conv.follow_up_email ?? null) : null;
  const answer: AwayResponse = {
    ok: true,
    hours: hoursState(app.hours, ctx.now()),
    followUpEmail,
    knownEmail: followUpEmail ?? (await ctx.data.conversations.lastFollowUpEmail(visitor.id)),
  };
  return sendJson(res, 200, answer);
}

async function followUpEmail(call: ApiCall): Promise<void> {
  const { ctx, req, res, params } = call;
  const { visitor } = await visitorOf(call);
  const body = await readJsonBody(req);
  const email = emailAddress(body.email);
  if (!email) return sendError(res, 400, 'invalid_email', `email must be an address such as name@example.com, at most ${FOLLOW_UP_EMAIL_MAX} characters`);
  if (!mayWrite(call, visitor)) return;
  const id = possibleId(params.id);
  const stored = id === null ? null : await ctx.data.conversations.setFollowUpEmail(id, visitor.id, email);
  if (stored === null) return sendError(res, 404, 'not_found', 'no such conversation');
  const answer: FollowUpEmailResponse = { ok: true, followUpEmail: stored };
  return sendJson(res, 200, answer);
}

async function newConversation(call: ApiCall): Promise<void> {
  const { ctx, res } = call;
  const { visitor } = await visitorOf(call);
  if (!mayWrite(call, visitor)) return;
  const conv = await ctx.data.conversations.startNew(visitor);
  const summary = (await ctx.data.conversations.ofVisitor(visitor.id)).find((c) => c.id === conv.id)!;
  const answer: NewConversationResponse = { ok: true, conversation: summary };
  return sendJson(res, 200, answer);
}
