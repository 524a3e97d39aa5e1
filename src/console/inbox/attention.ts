/**
 * What asks for the agent's attention, besides a plain new message: a
 * conversation handed to them by someone else (assigned), or one of theirs
 * that the visitor reopened by writing again. Both notify as a new message
 * does (notifier.ts: sound, desktop) and count in the tab title until opened.
 */
import type { AgentConversation, MessageView } from '../../shared/wire-protocol.js';

/** What a visitor's message is to agent `meId`; null when it is another agent's work. */
export type VisitorNews = 'new_conversation' | 'reopened' | 'new_message';

/**
 * `known`: the conversation as the console knew it before the message (a
 * message that reopens it arrives while it still reads resolved).
 */
export function visitorNews(meId: number | undefined, known: AgentConversation | undefined, m: MessageView): VisitorNews | null {
  const assignee = known?.assignee ?? null;
  if (assignee && assignee.id !== meId) return null;
  if (m.seq === 1) return 'new_conversation';
  return known?.status === 'resolved' ? 'reopened' : 'new_message';
}

/**
 * Whether a pushed change hands `after` to agent `meId`: now open and theirs,
 * before (as this console knew it) someone else's or nobody's. `byMe`: the
 * agent took it (or assigned it to themself) from this console, which is no
 * news. A conversation the console did not know is not taken for a handover:
 * its push may be any change (a visitor's message, told already) to one that
 * was theirs all along.
 */
export function handedTo(meId: number | undefined, before: AgentConversation | undefined, after: AgentConversation, byMe: boolean): boolean {
  return meId !== undefined && !byMe && before !== undefined && after.status === 'open' && after.assignee?.id === meId && before.assignee?.id !== meId;
}

/**
 * The tab title's count: unread visitor messages of open conversations, and
 * at least one for each conversation handed to the agent (`waiting`) and not
 * opened since.
 */
export function titleCount(all: Iterable<AgentConversation>, waiting: ReadonlySet<string>, meId: number | undefined): number {
  let n = 0;
  for (const c of all) {
    if (c.status !== 'open') continue;
    n += waiting.has(c.id) && c.assignee?.id === meId ? Math.max(c.unread, 1) : c.unread;
  }
  return n;
}

export function newsTitle(news: VisitorNews | 'assigned', label: string): string {
  switch (news) {
    case 'new_conversation':
      return `New conversation: ${label}`;
    case 'new_message':
      return `New message from ${label}`;
    case 'reopened':
      return `Reopened by ${label}`;
    case 'assigned':
      return `Assigned to you: ${label}`;
  }
}
