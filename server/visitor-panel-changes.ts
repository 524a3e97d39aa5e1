/**
 * What a `conversation` event means for the visitor's panels on it: only a resolve, reopen or rating changes
 * their `status` frame, and only the visitor's read mark their `unread` frame (a message's effect comes with
 * its `message` event). Assignments, agents' read marks, follow-up emails and new conversations change
 * neither, so they cost the panels' side nothing. An event that does not say what changed (from an older
 * process during a rolling deploy) refreshes both.
 */
import type { ServerEvent } from './events.js';
import type { VisitorStatusView } from './data/conversations.js';

export interface VisitorPanelChange {
  /** The new status and rating (carried by the event), `query` when they must be read, null: unchanged. */
  status: VisitorStatusView | 'query' | null;
  /** The visitor's new read mark (carried by the event), `query` when the count must be read, null: unchanged. */
  unread: { visitorReadSeq: number } | 'query' | null;
}

export function visitorPanelChange(e: Extract<ServerEvent, { kind: 'conversation' }>): VisitorPanelChange {
  if (!Array.isArray(e.changed)) return { status: 'query', unread: 'query' };
  let status: VisitorPanelChange['status'] = null;
  let unread: VisitorPanelChange['unread'] = null;
  if (e.changed.includes('status') || e.changed.includes('rating')) {
    status = typeof e.status === 'string' && e.rating !== undefined ? { status: e.status, rating: e.rating } : 'query';
  }
  if (e.changed.includes('visitor_read')) {
    unread = Number.isSafeInteger(e.visitorReadSeq) ? { visitorReadSeq: e.visitorReadSeq! } : 'query';
  }
  return { status, unread };
}
