/** How the inbox words things: who a visitor is, how long they have waited. */
import type { AgentConversation, ConversationRating } from '../../shared/wire-protocol.js';

/** The visitor by name, nickname, email or business-user id when known; the visitor id only as a fallback. */
export function visitorLabel(c: Pick<AgentConversation, 'visitor'>): string {
  const v = c.visitor;
  return v.name || v.nickname || v.email || v.businessUser || v.visitorUid;
}

/** A wait as people say it: "just now", "4 min", "2 h 5 min", "3 d". */
export function formatWait(ms: number): string {
  const min = Math.floor(Math.max(0, ms) / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** The visitor's rating as the inbox shows it: "Rated 👍 “thanks!”" (the emoji has a text alternative: see ratingWords). */
export function ratingLabel(r: ConversationRating): string {
  return `Rated ${r.value === 'good' ? '👍' : '👎'}${r.comment ? ` “${r.comment}”` : ''}`;
}

/** The same for screen readers and tooltips: "Rated good: “thanks!”". */
export function ratingWords(r: ConversationRating): string {
  return `Rated ${r.value}${r.comment ? `: “${r.comment}”` : ''}`;
}
