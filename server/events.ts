/**
 * Events that fan out between server processes through NOTIFY (and back to
 * this process through its own LISTEN: one code path for one or many
 * processes). Payloads carry ids only; receivers load the rows.
 */
export const EVENTS_CHANNEL = 'twt_events';

export type ServerEvent =
  | { kind: 'message'; conversationId: string; messageId: string }
  | { kind: 'conversation'; conversationId: string }
  | { kind: 'typing'; conversationId: string; from: 'visitor' | 'agent'; typing: boolean; authorName?: string }
  | { kind: 'visitor_closed'; visitorUid: string; code: number }
  | { kind: 'app_disabled'; appid: string }
  /** A visitor or agent came online / went offline on process `proc` (first socket opened / last closed). */
  | { kind: 'presence'; proc: string; visitorUid?: string; agent?: { id: number; appid: string | null }; online: boolean }
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
