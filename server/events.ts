/**
 * Events that fan out between server processes through NOTIFY (and back to
 * this process through its own LISTEN: one code path for one or many
 * processes). Payloads carry ids; a stored message also travels inline
 * (`row`, when it fits NOTIFY's 8000-byte cap) so receivers need not read it back.
 */
export const EVENTS_CHANNEL = 'twt_events';

export type ServerEvent =
  | {
      kind: 'message';
      conversationId: string;
      messageId: string;
      /** The conversation's app. */
      appid?: string;
      /** The stored messages row (snake_case, as selected), if it fit. */
      row?: Record<string, unknown> | null;
    }
  | { kind: 'conversation'; conversationId: string }
  | { kind: 'typing'; conversationId: string; from: 'visitor' | 'agent'; typing: boolean; authorName?: string }
  | { kind: 'visitor_closed'; visitorUid: string; code: number }
  | { kind: 'app_disabled'; appid: string }
  /** An app's settings changed (domains, secret, enabled): processes drop their cached copy. */
  | { kind: 'app_changed'; appid: string }
  /**
   * Visitors or an agent came online / went offline on process `proc` (first
   * socket opened / last closed). Visitor changes are batched in `visitorUids`.
   */
  | { kind: 'presence'; proc: string; visitorUid?: string; visitorUids?: string[]; agent?: { id: number; appid: string | null }; online: boolean }
  /** A process started: the others announce their online visitors and agents to it. */
  | { kind: 'presence_hello'; proc: string };

export function parseEvent(payload: string): ServerEvent | null {
  try {
    const e = JSON.parse(payload);
    return e && typeof e === 'object' && typeof e.kind === 'string' ? (e as ServerEvent) : null;
  } catch {
    return null;
  }
}
