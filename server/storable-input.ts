/**
 * What client input the store can hold, decided once at the edge (HTTP routes
 * and both sockets call these before anything reaches a query): text, ids and
 * sequence numbers.
 *
 * The stores keep text as UTF-8 in PostgreSQL (PGlite or a server), which
 * refuses U+0000 in `text` (error 22021) and has no other gap: lone surrogates
 * never reach it (they are encoded as U+FFFD on the way), every other code
 * point is stored as sent. So a client string is storable unless it holds a
 * NUL, and the rule is:
 * - an id the client names (conversation, visitor) that is not storable, or
 *   longer than any id we issue, cannot exist: the caller answers not found
 *   without asking the store;
 * - free text (messages, client message ids, the business user id `sbs`) with
 *   a NUL is refused with a typed error; profile fields are cleaned instead
 *   (see cleanProfile), because they are metadata the visitor never sees refused.
 */

/** The largest sequence number a column can hold (PostgreSQL `integer`). */
export const MAX_SEQ = 2 ** 31 - 1;

/**
 * A client's seq (read mark, resume point), already checked to be a
 * non-negative safe integer, brought within what the store holds. Beyond
 * MAX_SEQ means the same as MAX_SEQ (past the last message), so it is clamped
 * rather than refused.
 */
export function storableSeq(seq: number): number {
  return Math.min(seq, MAX_SEQ);
}

/** Longer than any id the server issues (`c_` / `v_` + 16 characters), with room to spare. */
export const MAX_ID_LENGTH = 100;

/** True when PostgreSQL can store the string as text. */
export function isStorable(s: string): boolean {
  return !s.includes('\u0000');
}

/**
 * A client-named id, or null when it cannot name anything we store (not a
 * string, empty, too long, or not storable): callers answer not found.
 */
export function possibleId(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH && isStorable(v) ? v : null;
}

/** Why a client message (visitor or agent) is refused, or null when it can be stored. */
export function messageProblem(text: unknown, maxLength: number): { code: 'invalid_text' | 'too_large'; message: string } | null {
  if (typeof text !== 'string' || !text.trim()) return { code: 'invalid_text', message: 'text must be a non-empty string' };
  if (text.length > maxLength) return { code: 'too_large', message: `text is longer than ${maxLength} characters` };
  if (!isStorable(text)) return { code: 'invalid_text', message: 'text must not contain U+0000 (NUL)' };
  return null;
}

/** Why a client message id is refused, or null when it is acceptable. */
export function clientIdProblem(clientId: unknown, maxLength: number): string | null {
  if (typeof clientId !== 'string' || !clientId || clientId.length > maxLength) return `clientId must be a string of 1..${maxLength} characters`;
  if (!isStorable(clientId)) return 'clientId must not contain U+0000 (NUL)';
  return null;
}
