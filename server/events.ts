/**
 * Events that fan out between server processes through NOTIFY (and back to
 * this process through its own LISTEN: one code path for one or many
 * processes). Payloads carry ids; a stored message also travels inline
 * (`row`, when it fits NOTIFY's 8000-byte cap) so receivers need not read it back.
 */
import type { Queryable } from './db/store.js';
import type { PageVisit } from '../src/shared/visitor-context.js';
import type { AgentRole } from '../src/shared/agent-accounts.js';
import type { ConversationRating, ConversationStatus } from '../src/shared/wire-protocol.js';

export const EVENTS_CHANNEL = 'twt_events';

/**
 * What a `conversation` event changed: `created` (a new conversation), `assignee`, `status` (resolved or
 * reopened by an agent), `rating` (the visitor rated it), `visitor_read` / `agent_read` (a read mark moved),
 * `follow_up_email` (the visitor left one).
 */
export type ConversationChange = 'created' | 'assignee' | 'status' | 'rating' | 'visitor_read' | 'agent_read' | 'follow_up_email';

export type ServerEvent =
  | {
      kind: 'message';
      conversationId: string;
      messageId: string;
      /** The message's seq in its conversation (absent from older versions' events). */
      seq?: number;
      /** The conversation's app. */
      appid?: string;
      /** The stored messages row (snake_case, as selected), if it fit. */
      row?: Record<string, unknown> | null;
      /**
       * This message reopened its resolved conversation (a visitor's message does): the visitors' panels need a
       * fresh `status`. Absent from older versions' events, where any visitor message may have reopened it.
       */
      reopened?: boolean;
    }
  /**
   * A conversation's row changed (not by a message: that is a `message` event). `changed` says what, so each
   * receiver refreshes only what depends on it (server/conversation-changes.ts); an event without it (from an
   * older process during a rolling deploy) may have changed anything.
   */
  | {
      kind: 'conversation';
      conversationId: string;
      changed?: ConversationChange[];
      /** With 'visitor_read': the visitor's read mark now (every process's unread counts follow it without a query). */
      visitorReadSeq?: number;
      /** With 'status' or 'rating': the conversation's status and rating now (the visitor's `status` frame, without a query). */
      status?: ConversationStatus;
      rating?: ConversationRating | null;
    }
  /** `appid` (a visitor's typing): which agents get it, without a lookup that could let a message sent after it overtake it. */
  | { kind: 'typing'; conversationId: string; from: 'visitor' | 'agent'; typing: boolean; authorName?: string; appid?: string; /** An agent's typing: who, so the other agents see it. */ agentId?: number }
  /** An agent started or stopped viewing a conversation (renewed while it stays open): the other agents of the app see it. */
  | { kind: 'agent_activity'; conversationId: string; appid: string; agent: { id: number; name: string }; activity: 'viewing'; active: boolean }
  | { kind: 'visitor_closed'; visitorUid: string; code: number }
  /**
   * An admin deleted a conversation (its messages and files went with it): its visitor sockets are told and closed
   * (they reconnect into another conversation), the agents who may see `appid` drop it.
   */
  | { kind: 'conversation_deleted'; conversationId: string; appid: string }
  /** A visitor's current page changed (server/data/visit-trail.ts): the agents who may see `appid` get it live. */
  | { kind: 'visitor_page'; visitorUid: string; appid: string; page: PageVisit }
  | { kind: 'app_disabled'; appid: string }
  /** An app's settings changed (domains, secret, enabled): processes drop their cached copy. */
  | { kind: 'app_changed'; appid: string }
  /**
   * An agent was deleted (its key revoked): processes drop it from their agent
   * cache, refuse it from now on, and close its sockets with CLOSE.TOKEN_REVOKED.
   */
  | { kind: 'agent_revoked'; agentId: number }
  /** An agent was renamed or its role changed: processes drop its cached rows and update its open sockets. */
  | { kind: 'agent_changed'; agentId: number; name: string; role: AgentRole }
  /** One API key of an agent was revoked: processes drop it and close the sockets it opened. */
  | { kind: 'agent_key_revoked'; agentId: number; keyId: number }
  /**
   * Console sessions of an agent ended (sign-out: `sessionRef` names the one;
   * a password reset: all of them): processes close the sockets they opened.
   */
  | { kind: 'agent_sessions_ended'; agentId: number; sessionRef?: string }
  /**
   * Visitors or an agent came online / went offline on process `proc` (first
   * socket opened / last closed). Visitor changes are batched in `visitorUids`.
   */
  | { kind: 'presence'; proc: string; visitorUid?: string; visitorUids?: string[]; agent?: { id: number; appid: string | null }; online: boolean }
  /**
   * A process started: the others announce their online visitors and agents to
   * it. With `to`, only that process answers (a peer that had been forgotten
   * as dead and turned out alive is asked for its state again).
   */
  | { kind: 'presence_hello'; proc: string; to?: string }
  /**
   * A process is alive; sent every `everyMs`. A process not heard from (by any
   * event that names it) for PRESENCE_MISSED_BEATS of its intervals is taken
   * for dead: its visitors and agents go offline everywhere else.
   */
  | { kind: 'presence_beat'; proc: string; everyMs: number }
  /** A process is shutting down cleanly: forget its visitors and agents now. */
  | { kind: 'presence_bye'; proc: string };

/** How many beat intervals of silence make a process count as dead. */
export const PRESENCE_MISSED_BEATS = 3;

export function parseEvent(payload: string): ServerEvent | null {
  try {
    const e = JSON.parse(payload);
    return e && typeof e === 'object' && typeof e.kind === 'string' ? (e as ServerEvent) : null;
  } catch {
    return null;
  }
}

/** Sends an event to every process (this one included); inside a transaction it goes out at commit. */
export async function publish(q: Queryable, event: ServerEvent): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify(event)]);
}
