/**
 * The rule for a visitor's rating of a resolved conversation, shared by the server (which decides) and the
 * panel's chat UI (which checks before sending). Its own module so the panel's boot chunk does not carry it.
 */
import { LIMITS, type RatingValue } from './wire-protocol.js';

export const RATING_VALUES: readonly RatingValue[] = ['good', 'bad'];

/** C0 controls but tab and line feed, DEL, and the C1 controls: refused in a rating's comment. */
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/**
 * Why a rating request is refused, or null. `comment`: optional (absent, null or blank = none), at most
 * LIMITS.ratingComment characters, no NUL or other control characters.
 */
export function ratingProblem(value: unknown, comment: unknown): string | null {
  if (!(RATING_VALUES as readonly unknown[]).includes(value)) return `rating must be one of ${RATING_VALUES.join(', ')}`;
  if (comment === undefined || comment === null) return null;
  if (typeof comment !== 'string') return 'comment must be a string';
  if (comment.length > LIMITS.ratingComment) return `comment is longer than ${LIMITS.ratingComment} characters`;
  if (CONTROL_CHARACTERS.test(comment)) return 'comment must not contain NUL or other control characters';
  return null;
}
