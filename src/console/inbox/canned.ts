/** `/shortcut` in the composer: which canned replies the word before the caret asks for, and the text once one is picked. */
import type { CannedReplyView } from '../../shared/wire-protocol.js';

export interface CannedQuery {
  /** Where the `/word` starts and ends in the text. */
  start: number;
  end: number;
  /** The word after the slash, lowercased. */
  prefix: string;
}

/** The `/word` right before the caret (at the start or after a space), or null. */
export function cannedQueryAt(text: string, caret: number): CannedQuery | null {
  const m = /(^|\s)\/([a-z0-9_-]{0,32})$/i.exec(text.slice(0, caret));
  if (!m) return null;
  const start = caret - m[2]!.length - 1;
  return { start, end: caret, prefix: m[2]!.toLowerCase() };
}

/** The replies of app `appid` whose shortcut starts with the prefix, exact match first. */
export function cannedMatches(replies: readonly CannedReplyView[], appid: string, prefix: string): CannedReplyView[] {
  return replies
    .filter((r) => r.appid === appid && r.shortcut.startsWith(prefix))
    .sort((a, b) => Number(b.shortcut === prefix) - Number(a.shortcut === prefix) || a.shortcut.localeCompare(b.shortcut));
}

/** The text with the `/word` replaced by the reply; and where the caret goes. */
export function insertCanned(text: string, q: CannedQuery, reply: CannedReplyView): { text: string; caret: number } {
  const next = text.slice(0, q.start) + reply.text + text.slice(q.end);
  return { text: next, caret: q.start + reply.text.length };
}
