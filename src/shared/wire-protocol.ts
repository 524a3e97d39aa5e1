/**
 * The wire protocol: HTTP API and WebSocket frames between the browser side
 * (host SDK, runtime surfaces, agent console) and the server. Declared once
 * here and imported by both ends; the server never imports browser code and
 * the browser code never imports the server.
 *
 * Tokens and signatures travel only in request bodies, the Authorization
 * header, or the first WebSocket frame; never in a URL.
 */

import type { PageView, PageVisit, VisitorContext, VisitorEnvironment } from './visitor-context.js';
import type { HoursState } from './business-hours.js';
import type { AttachmentView } from './attachments.js';

// ---------------------------------------------------------------------------
// Shared shapes

/**
 * The visitor profile fields and the longest value of each (characters): the server stores at most this,
 * the host's config and the panel's `login` cap to it. `referer` is a URL (the page the visitor came from).
 */
export const PROFILE_CAPS = { name: 200, nickname: 200, email: 200, phone: 200, referer: 2000, source_title: 200 } as const;
export type ProfileField = keyof typeof PROFILE_CAPS;
/** Every profile field, in the table's order. */
export const PROFILE_FIELDS = Object.keys(PROFILE_CAPS) as ProfileField[];

export type VisitorProfile = { [K in ProfileField]?: string };

/** An appid as the server issues it and accepts it (after trim and lowercase). */
export const APPID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Business-user login triple: sbs_mm = md5(md5(sbs + '_' + AppSecret) + '_' + ranstr), lowercase hex. */
export interface LoginTriple {
  sbs: string;
  sbs_mm: string;
  ranstr: string;
}

/** Identity clue the host stores first-party and hands back at the next boot. */
export interface IdentityClue {
  bs: string;
  bs_mm: string;
  fk_id?: string;
}

export type Author = 'visitor' | 'agent' | 'system';

/** A chat message as both ends see it. */
export interface MessageView {
  id: string;
  conversationId: string;
  /** Per-conversation sequence number, strictly increasing, starting at 1. */
  seq: number;
  author: Author;
  authorName?: string;
  /**
   * On agent messages: the id of the agent who wrote it. Its avatar, if it has
   * one, is at GET /v1/apps/<appid>/agents/<authorAgentId>/avatar (404 when none).
   */
  authorAgentId?: number;
  text: string;
  /** The visitor's (or agent's) client message id, for idempotent resend. */
  clientId?: string;
  /** Files sent with it (src/shared/attachments.ts); its text may then be empty. */
  attachments?: AttachmentView[];
  /** ISO 8601. */
  createdAt: string;
}

/**
 * Where the visitors of app `appid` get the avatar of agent `agentId`
 * (MessageView.authorAgentId): 404 when that agent has none or does not serve
 * the app (server/http/console-api.ts, route `/v1/apps/:appid/agents/:id/avatar`).
 */
export const agentAvatarPath = (appid: string, agentId: number): string => `/v1/apps/${encodeURIComponent(appid)}/agents/${agentId}/avatar`;

/** Length caps, enforced by the server and respected by the clients. */
export const LIMITS = {
  /** Characters in one message's text. */
  messageText: 4000,
  /** Bytes in one WebSocket frame or REST body. */
  frameBytes: 16 * 1024,
  clientId: 64,
  /** Characters in a rating's optional comment. */
  ratingComment: 500,
} as const;

/** A visitor's rating of a resolved conversation (validation: src/shared/rating.ts, kept out of the panel's boot). */
export type RatingValue = 'good' | 'bad';
export interface ConversationRating {
  value: RatingValue;
  /** The visitor's comment, or null. */
  comment: string | null;
  ratedAt: string;
}

// ---------------------------------------------------------------------------
// HTTP API (all JSON; errors are `{ ok: false, reason, message }` with a 4xx/5xx status)

export interface ErrorBody {
  ok: false;
  reason: string;
  message: string;
}

/**
 * POST /v1/bootstrap, called by the host SDK from the host page, so the browser
 * sends the host page's Origin. Body: {@link BootstrapRequest}.
 * Refusal reasons: `domain_not_whitelisted` (403), `invalid_bootstrap` (400/404).
 */
export interface BootstrapRequest {
  appid: string;
}
export interface BootstrapResponse {
  ok: true;
  app: AppInfo;
}
/** How soon an app's team usually replies, as admins set it (console admin screen); the panel header says it. */
export const REPLY_TIMES = ['minutes', 'hours', 'day'] as const;
export type ReplyTime = (typeof REPLY_TIMES)[number];

export interface AppInfo {
  appid: string;
  name: string;
  greeting: string;
  /** Absent when the admins did not say. */
  replyTime?: ReplyTime;
}

/**
 * POST /v1/visitor/session, called by the panel runtime. Creates or restores a
 * visitor and issues a short-lived token. Refusals: `login_failed` (401),
 * `domain_not_whitelisted` (403), `invalid_bootstrap` (400/404), `rate_limited`
 * (429, with a `Retry-After` header in seconds: too many sessions from this
 * client address or for this app; try again after it).
 */
export interface VisitorSessionRequest {
  appid: string;
  /** The host page origin the panel was given over the bridge; checked against trusted domains. */
  hostOrigin: string;
  clue?: IdentityClue;
  login?: LoginTriple;
  profile?: VisitorProfile;
  locale?: string;
}
export interface VisitorSessionResponse {
  ok: true;
  token: string;
  /** ISO 8601. */
  expiresAt: string;
  visitor: {
    visitorUid: string;
    bs: string;
    bs_mm: string;
    fkid: string;
    source: 'initial' | 'resolved';
    businessUser?: string;
    name?: string;
    nickname?: string;
  };
  app: AppInfo & { agentsOnline: number };
  /** The visitor's conversations, newest first, as GET /v1/visitor/conversations lists them (saves the panel that request at boot). */
  conversations: ConversationSummary[];
}

/**
 * GET /v1/visitor/conversations with `Authorization: Bearer <visitor token>`:
 * the visitor's conversations (the initial conversation list; the runtime is
 * "activated" once it resolves).
 */
export interface ConversationSummary {
  id: string;
  lastSeq: number;
  /** Highest seq the visitor has read. */
  visitorReadSeq: number;
  /** Agent messages after visitorReadSeq. */
  unread: number;
  lastMessage: MessageView | null;
  updatedAt: string;
  /** Resolved by an agent (the panel offers a rating); a visitor's new message reopens it. */
  status: ConversationStatus;
  /** The visitor's rating of the current resolution, or null. */
  rating: ConversationRating | null;
  /** The email the visitor left on it for a follow-up (while the team was away), or null. */
  followUpEmail?: string | null;
}
export interface VisitorConversationsResponse {
  ok: true;
  conversations: ConversationSummary[];
}

/**
 * GET /v1/visitor/messages with the Authorization header and query
 * `?conversation=<id>&after=<seq>&limit=<n>` (no token in the URL): messages with seq > after, ascending.
 */
export interface MessagesResponse {
  ok: true;
  messages: MessageView[];
}

/**
 * POST /v1/visitor/conversations/:id/rating with the Authorization header: the visitor rates its own resolved
 * conversation (another's, or an open one: 404 `not_found` / 409 `not_resolved`). Re-rating replaces the rating.
 * Refusal reasons: `malformed` (400, see ratingProblem).
 */
/**
 * POST /v1/visitor/conversations with the Authorization header: the visitor starts a new conversation (from its
 * past conversations, or after a resolve); the panel's socket then resumes there. The newest one is answered
 * again while it has no message yet, so repeated clicks make no empty rows.
 */
export interface NewConversationResponse {
  ok: true;
  conversation: ConversationSummary;
}

/**
 * GET /v1/visitor/away?conversation=<id> with the Authorization header: what the panel's away notice needs. The
 * app's business hours now (src/shared/business-hours.ts; always `open` without hours) and the follow-up email
 * already left on that conversation (null when none, or when it is not the visitor's).
 */
export interface AwayResponse {
  ok: true;
  hours: HoursState;
  followUpEmail: string | null;
  /** The email this visitor left last, on this or an earlier conversation of its own (never another visitor's): the panel's field starts with it. */
  knownEmail: string | null;
}

/**
 * POST /v1/visitor/conversations/:id/email {email} with the Authorization header: the visitor leaves an email so
 * the team can follow up (src/shared/email.ts; 400 `invalid_email`); a new one replaces it. Agents see it on the
 * conversation, live. Another visitor's conversation: 404 `not_found`.
 */
export interface FollowUpEmailResponse {
  ok: true;
  followUpEmail: string;
}

export interface RatingRequest {
  rating: RatingValue;
  comment?: string | null;
}
export interface RatingResponse {
  ok: true;
  rating: ConversationRating;
}

// Agent REST API: `Authorization: Bearer <agent key>`, or the console's session cookie from the server's own
// origin (agent-accounts.ts). A wrong key is 401; an address past its wrong keys gets 429 `rate_limited` with
// `Retry-After` (seconds), its keys not looked at until then.
//   GET  /v1/agent/conversations                       -> AgentConversationsResponse
//   GET  /v1/agent/conversations/:id                   -> { ok: true, conversation }  (one summary; 404 not_found outside the agent's apps)
//   GET  /v1/agent/conversations/:id/messages?after=N   -> MessagesResponse
//   POST /v1/agent/conversations/:id/messages {text, clientId?, attachments?} -> { ok: true, message }  (files: src/shared/attachments.ts)
//   POST /v1/agent/conversations/:id/read {seq}         -> { ok: true }
//   GET  /v1/agent/conversations?view=open|mine|unassigned|resolved -> AgentConversationsResponse (one view, with every view's count)
//   POST /v1/agent/conversations/:id/assign {agentId: number | null} -> { ok: true, conversation }  (take = your own id)
//   POST /v1/agent/conversations/:id/resolve, /reopen  -> { ok: true, conversation }
//   POST /v1/agent/conversations/:id/delete            -> { ok: true }  (admins; panels get `deleted`, consoles `conversation_deleted`)
//   GET  /v1/agent/teammates                            -> { ok: true, agents: TeammateView[] } (who a conversation can be assigned to)
//   GET  /v1/agent/search?q=…                           -> SearchResponse (full-text, the agent's apps only)
//   GET  /v1/agent/canned-replies                       -> { ok: true, replies: CannedReplyView[] }
//   POST /v1/agent/canned-replies {appid, shortcut, text} / canned-replies/:id {shortcut?, text?} / canned-replies/:id/delete
//   GET  /v1/agent/visitors/:uid/context                -> VisitorContextResponse
export interface AgentConversation {
  id: string;
  appid: string;
  visitor: { visitorUid: string; name?: string; nickname?: string; email?: string; phone?: string; businessUser?: string; referer?: string; source_title?: string; locale?: string };
  lastSeq: number;
  /** Visitor messages the agents have not read. */
  unread: number;
  lastMessage: MessageView | null;
  /** True while the visitor has at least one socket open. */
  online: boolean;
  updatedAt: string;
  status: ConversationStatus;
  /** The agent the conversation is assigned to, or null (unassigned). */
  assignee: { id: number; name: string } | null;
  /** When the visitor's oldest message not yet answered by an agent was stored (ISO 8601), or null: nobody waits. */
  waitingSince: string | null;
  resolvedAt: string | null;
  resolvedBy: { id: number; name: string } | null;
  /** The visitor's rating of the last resolution, or null (kept when the conversation is reopened, cleared by the next resolve). */
  rating: ConversationRating | null;
  /** The email the visitor left for a follow-up while the team was away, or null. */
  followUpEmail?: string | null;
}
export type ConversationStatus = 'open' | 'resolved';

/**
 * The inbox's views, in the order the console shows them. open: every open
 * conversation; mine: open and assigned to me; unassigned: open and assigned to
 * nobody; resolved: resolved ones. A conversation without any message yet (a
 * visitor who opened the widget and wrote nothing) is in none of them, unless the visitor left a follow-up email.
 */
export const INBOX_VIEWS = ['open', 'mine', 'unassigned', 'resolved'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export type ViewCounts = Record<InboxView, number>;

/**
 * Whether a conversation belongs in a view, for agent `meId` (the same rule as the server's SQL, for live updates).
 * Only once the visitor reached the team: a message, or a follow-up email left before writing one.
 */
export function inInboxView(c: Pick<AgentConversation, 'status' | 'assignee' | 'lastSeq' | 'followUpEmail'>, view: InboxView, meId: number): boolean {
  if (c.lastSeq <= 0 && !c.followUpEmail) return false;
  switch (view) {
    case 'open':
      return c.status === 'open';
    case 'mine':
      return c.status === 'open' && c.assignee?.id === meId;
    case 'unassigned':
      return c.status === 'open' && !c.assignee;
    case 'resolved':
      return c.status === 'resolved';
  }
}

export interface AgentConversationsResponse {
  ok: true;
  /** One page, newest first (by updatedAt, then id). */
  conversations: AgentConversation[];
  /** Opaque cursor of the next page (`&after=<next>`), or null: this was the last one. */
  next?: string | null;
  /** Every view's count (the agent's apps), whatever view was asked for. */
  counts?: ViewCounts;
  /** The server's clock when it answered (ISO 8601): waiting times are measured against it, not the agent's clock. */
  serverTime?: string;
}

export interface TeammateView {
  id: number;
  name: string;
  /** null: every app. */
  appid: string | null;
}

/** A piece of highlighted text: `hit` pieces matched the search. Rendered as text, never as HTML. */
export interface HighlightSegment {
  text: string;
  hit: boolean;
}
export interface SearchResult {
  conversation: AgentConversation;
  /** The best matching message, with its highlighted excerpt; null when the visitor's name, nickname or email matched. */
  message: MessageView | null;
  snippet: HighlightSegment[];
}
export interface SearchResponse {
  ok: true;
  results: SearchResult[];
}
/** Longest search query (characters). */
export const SEARCH_QUERY_MAX = 200;

export interface CannedReplyView {
  id: number;
  appid: string;
  /** Typed as `/shortcut` in the composer. */
  shortcut: string;
  text: string;
}
/** A canned reply's shortcut: lowercase letters, digits, `-` and `_`, up to 32. */
export const CANNED_SHORTCUT_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** How long an agent's viewing or typing in a conversation is shown without being renewed (ms). */
export const AGENT_ACTIVITY_TTL_MS = 30_000;
/** How often the console renews that it is viewing a conversation (ms). */
export const AGENT_VIEWING_RENEW_MS = 10_000;
export type AgentActivityKind = 'viewing' | 'typing';
export interface VisitorContextResponse {
  ok: true;
  context: VisitorContext;
}
export interface AgentSendRequest {
  text: string;
  clientId?: string;
  /** Ids of files this agent uploaded to the conversation (src/shared/attachments.ts); `text` may then be empty. */
  attachments?: string[];
}

// ---------------------------------------------------------------------------
// Visitor WebSocket: /v1/ws

/** Client -> server frames. The first frame must be `auth`; anything else first closes with 4400. */
export type VisitorClientFrame =
  | { type: 'auth'; token: string; conversationId?: string; /** resume: send everything after this seq */ lastSeq?: number }
  /** `attachments`: ids of files the visitor uploaded to its conversation (src/shared/attachments.ts); `text` may then be empty. */
  | { type: 'send'; clientId: string; text: string; attachments?: string[] }
  | { type: 'typing'; typing: boolean }
  /** The visitor has seen everything up to seq. */
  | { type: 'read'; seq: number }
  /** The host page the visitor is on now (src/shared/visitor-context.ts): a navigation, or the current page after (re)connecting. */
  | ({ type: 'page' } & PageView)
  /** The browser's environment, once per session (every field optional). */
  | ({ type: 'env' } & VisitorEnvironment)
  | { type: 'ping' };

/** Server -> client frames. */
export type VisitorServerFrame =
  | {
      type: 'ready';
      conversationId: string;
      lastSeq: number;
      visitorReadSeq: number;
      unread: number;
      agentsOnline: number;
      /** The conversation's state when the socket became ready (later changes: `status` frames). */
      status?: ConversationStatus;
      rating?: ConversationRating | null;
    }
  /** A stored message (history on resume, or live). Clients de-duplicate by seq. */
  | { type: 'message'; message: MessageView }
  /** The server stored (or had already stored) the visitor's message with this clientId. */
  | { type: 'ack'; clientId: string; message: MessageView }
  | { type: 'typing'; typing: boolean; authorName?: string }
  | { type: 'unread'; count: number; visitorReadSeq: number }
  | { type: 'presence'; agentsOnline: number }
  /** The conversation was resolved or reopened, or rated: sent live when it changes (the panel then offers a rating). */
  | { type: 'status'; conversationId: string; status: ConversationStatus; rating: ConversationRating | null }
  /**
   * An admin deleted this conversation (its messages and files are gone): the panel shows none of it. The socket
   * then closes GOING_AWAY and the panel reconnects into another conversation, where its unsent messages go.
   */
  | { type: 'deleted'; conversationId: string }
  | { type: 'pong' }
  /** A refused frame; the socket stays open. `ref` is the clientId it refers to, if any. */
  | { type: 'error'; code: WireErrorCode; message: string; ref?: string };

/** `invalid_attachment`: a send named a file that is not a complete upload of the sender in this conversation. */
export type WireErrorCode = 'malformed' | 'unknown_type' | 'too_large' | 'rate_limited' | 'invalid_text' | 'invalid_attachment' | 'internal';

/**
 * Agent WebSocket /v1/agent/ws: the first frame is `{type:'auth', key}`, or
 * `{type:'auth'}` on a socket opened with the console's session cookie.
 */
export type AgentClientFrame =
  /**
   * `rowsFromMessages: true`: this client updates its conversation rows from `message` frames (agentRowAfterMessage,
   * src/shared/agent-row.ts), so the server sends a `conversation` summary after a message only when the message
   * cannot say enough (the conversation's first message, a reopen, after the server's deaf spell). Without it (an
   * older console, an integration), a summary follows every message as before.
   */
  | { type: 'auth'; key?: string; rowsFromMessages?: boolean }
  | { type: 'typing'; conversationId: string; typing: boolean }
  /** The conversation this agent has open now (null: none). Renewed every AGENT_VIEWING_RENEW_MS; shown to the other agents. */
  | { type: 'viewing'; conversationId: string | null }
  | { type: 'ping' };
export type AgentServerFrame =
  | { type: 'ready'; agentName: string; agentId?: number }
  /**
   * Another agent is (active) or stopped being (!active) viewing or typing in a
   * conversation. Shown for `ttlMs` unless renewed: a lost `active: false` never leaves it on.
   */
  | { type: 'activity'; conversationId: string; agent: { id: number; name: string }; activity: AgentActivityKind; active: boolean; ttlMs: number }
  /** A stored message (every author). With `rowsFromMessages`, the client's row follows from it (agentRowAfterMessage). */
  | { type: 'message'; conversationId: string; message: MessageView }
  /**
   * The full summary of a conversation the agent may see: after `conversation` events (assign, resolve, reopen,
   * read marks, follow-up email), presence and profile changes, and after messages (every one, or with
   * `rowsFromMessages` only a conversation's first, a reopening one, and those caught up after a deaf spell).
   * GET /v1/agent/conversations/:id answers the same summary on request (a row the client has not loaded).
   */
  | { type: 'conversation'; conversation: AgentConversation }
  | { type: 'typing'; conversationId: string; typing: boolean }
  /** A visitor of an app this agent may see moved to another page (the newest of its trail, src/shared/visitor-context.ts). */
  | { type: 'visitor_page'; visitorUid: string; appid: string; page: PageVisit }
  /** An admin deleted this conversation (POST /v1/agent/conversations/:id/delete): drop its row, close it if open. */
  | { type: 'conversation_deleted'; conversationId: string }
  | { type: 'pong' }
  /** `retryAfter` (seconds) comes with `rate_limited` at auth: too many wrong keys from this address; the socket then closes 4008. */
  | { type: 'error'; code: WireErrorCode; message: string; retryAfter?: number };

/**
 * Close codes the server uses on visitor sockets. The runtime turns the auth
 * ones into the spec's `auth_closed` event and does not reconnect blindly.
 */
export const CLOSE = {
  /** No auth frame in time: reconnect. */
  AUTH_TIMEOUT: 4000,
  /** Token expired: obtain a fresh token (from the identity clue) and reconnect once. */
  TOKEN_EXPIRED: 4001,
  /**
   * Token invalid or revoked: auth_closed, clear it. Agent sockets get it too:
   * unknown agent key at auth, or the agent deleted (agents:delete) while connected.
   */
  TOKEN_REVOKED: 4003,
  /** App disabled: auth_closed. */
  APP_DISABLED: 4004,
  /** Visitor banned: auth_closed. */
  VISITOR_BANNED: 4005,
  /** The socket was opened from a page that is neither the widget nor a trusted domain of the app. */
  ORIGIN_REFUSED: 4006,
  /** Rate limit exceeded repeatedly: reconnect after backoff. */
  RATE_LIMITED: 4008,
  /** Protocol violation (first frame not auth, unparseable frames): reconnect after backoff. */
  PROTOCOL_ERROR: 4400,
  /** Server shutting down, or the socket's conversation deleted (after a `deleted` frame): reconnect. */
  GOING_AWAY: 1001,
  /** A peer that stopped reading (its send buffer passed a bound) is dropped: reconnect after backoff. */
  TRY_AGAIN_LATER: 1013,
  /** The server failed (its store is down) before it could answer the auth frame: reconnect after backoff. */
  INTERNAL_ERROR: 1011,
  /** Frame too large. */
  TOO_BIG: 1009,
} as const;

/** For each auth-ending close code: the spec's auth_closed fields. */
export const AUTH_CLOSE_TYPES: Readonly<Record<number, { closeAuthType: string; reason: string; clearToken: boolean }>> = {
  [CLOSE.TOKEN_EXPIRED]: { closeAuthType: 'token_expired', reason: 'token_expired', clearToken: true },
  [CLOSE.TOKEN_REVOKED]: { closeAuthType: 'token_revoked', reason: 'token_revoked', clearToken: true },
  [CLOSE.APP_DISABLED]: { closeAuthType: 'app_disabled', reason: 'app_disabled', clearToken: true },
  [CLOSE.VISITOR_BANNED]: { closeAuthType: 'visitor_banned', reason: 'visitor_banned', clearToken: true },
};

/** The spec's `auth_closed` payload. */
export interface AuthClosedPayload {
  message: string;
  reason: string;
  source: 'ws' | 'http';
  clearToken: boolean;
  closeAuthType: string;
  closeCode: number;
  terminal: string;
}

/** The spec's `bootstrap_failed` payload. */
export interface BootstrapFailedPayload {
  reason: 'domain_not_whitelisted' | 'login_failed' | 'invalid_bootstrap' | 'timeout' | (string & {});
  source: string;
  mode: 'embedded';
  message?: string;
}

// ---------------------------------------------------------------------------
// Frame parsing shared by both ends: JSON, plain object, known `type`. Field
// checks are the receiver's; this only guarantees the envelope.

export function parseFrame<T extends { type: string }>(raw: string, types: readonly T['type'][]): T | null {
  if (raw.length > LIMITS.frameBytes) return null;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const type = (data as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(data, 'type')) return null;
  return (types as readonly string[]).includes(type) ? (data as T) : null;
}

export const VISITOR_CLIENT_TYPES = ['auth', 'send', 'typing', 'read', 'page', 'env', 'ping'] as const;
export const VISITOR_SERVER_TYPES = ['ready', 'message', 'ack', 'typing', 'unread', 'presence', 'status', 'deleted', 'pong', 'error'] as const;
export const AGENT_CLIENT_TYPES = ['auth', 'typing', 'viewing', 'ping'] as const;
export const AGENT_SERVER_TYPES = ['ready', 'message', 'conversation', 'typing', 'activity', 'visitor_page', 'conversation_deleted', 'pong', 'error'] as const;

/** An `activity` frame with every field well-typed (the console drops any other). */
export function isAgentActivityFrame(f: { type: string }): f is Extract<AgentServerFrame, { type: 'activity' }> {
  const a = f as Partial<Extract<AgentServerFrame, { type: 'activity' }>>;
  return (
    a.type === 'activity' &&
    typeof a.conversationId === 'string' &&
    typeof a.agent === 'object' &&
    a.agent !== null &&
    typeof a.agent.id === 'number' &&
    typeof a.agent.name === 'string' &&
    (a.activity === 'viewing' || a.activity === 'typing') &&
    typeof a.active === 'boolean' &&
    typeof a.ttlMs === 'number' &&
    a.ttlMs > 0
  );
}

/** A `conversation` frame's summary with the fields the inbox relies on (the console drops any other). */
export function isAgentConversation(c: unknown): c is AgentConversation {
  const v = c as Partial<AgentConversation> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.appid === 'string' &&
    typeof v.visitor === 'object' &&
    v.visitor !== null &&
    typeof v.visitor.visitorUid === 'string' &&
    typeof v.lastSeq === 'number' &&
    typeof v.unread === 'number' &&
    (v.status === 'open' || v.status === 'resolved') &&
    (v.assignee === null || (typeof v.assignee === 'object' && typeof v.assignee?.id === 'number'))
  );
}
