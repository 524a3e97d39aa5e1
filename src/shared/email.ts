/**
 * The one email-address rule: the visitor's profile email (server/visitor-session.ts), the follow-up email a
 * visitor leaves while the team is away (panel and server), and agents' sign-in addresses (server/data/agents.ts).
 * Deliberately loose (one @, a dot in the domain, no spaces or control characters): mail servers are the judge,
 * this only catches typos and junk.
 */
import { PROFILE_CAPS } from './wire-protocol.js';

export const EMAIL_PATTERN = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

/** The longest follow-up email a visitor may leave (as the profile's). */
export const FOLLOW_UP_EMAIL_MAX = PROFILE_CAPS.email;

/** The address trimmed, or null when it is not one (or longer than `max`). */
export function emailAddress(v: unknown, max: number = FOLLOW_UP_EMAIL_MAX): string | null {
  if (typeof v !== 'string') return null;
  const e = v.trim();
  return e.length <= max && EMAIL_PATTERN.test(e) ? e : null;
}
