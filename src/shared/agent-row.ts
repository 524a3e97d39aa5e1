/**
 * An agent's inbox row after a `message` frame, derived from the message alone (no summary query on the server,
 * server/agent-row-updates.ts). The rule is the one of Messages.append's UPDATE (server/data/messages.ts) and of
 * the summary's SQL (server/data/conversations.ts), field by field (AgentConversation):
 *
 * Changed by a message:
 * - lastSeq, lastMessage: the message (seqs are gapless and increase: a newer one is the last).
 * - updatedAt: the message's createdAt (the UPDATE sets `updated_at = created_at`), so the row goes to the top.
 * - unread (visitor messages after the agents' read mark): +1 for a visitor's message. An agent's message does not
 *   move the agents' read mark (only POST …/read does, a `conversation` event with its own summary).
 * - waitingSince: a visitor's message starts the wait if none runs; an agent's answer ends it; a system one keeps it.
 * - status, resolvedAt, resolvedBy: a visitor's message reopens a resolved conversation (open, no resolution).
 *   The server also sends the full summary then; deriving it too keeps the row in the right view meanwhile.
 *
 * Not changed by a message (only by a `conversation` event, presence or profile, each with a full summary):
 * id and appid (fixed), visitor (the profile), online (the visitor's sockets), assignee (assign routes only; a
 * reply does not take the conversation), rating (kept across a reopen, cleared by the next resolve) and
 * followUpEmail (the email route).
 *
 * Returns null when the message cannot be applied: it is not the next one (seq > lastSeq + 1: a message this
 * client did not get, whose effect on unread and waitingSince is unknown), so the caller asks for the summary.
 * A message already counted (seq <= lastSeq: the summary was read after it) returns the row unchanged.
 */
import type { AgentConversation, MessageView } from './wire-protocol.js';

export function agentRowAfterMessage(row: AgentConversation, m: MessageView): AgentConversation | null {
  if (m.seq <= row.lastSeq) return row;
  if (m.seq !== row.lastSeq + 1) return null;
  const next: AgentConversation = { ...row, lastSeq: m.seq, lastMessage: m, updatedAt: m.createdAt };
  if (m.author === 'visitor') {
    next.unread = row.unread + 1;
    next.waitingSince = row.waitingSince ?? m.createdAt;
    if (row.status === 'resolved') {
      next.status = 'open';
      next.resolvedAt = null;
      next.resolvedBy = null;
    }
  } else if (m.author === 'agent') {
    next.waitingSince = null;
  }
  return next;
}

/**
 * A full summary arriving for a row this client already moved further with messages (the summary's query ran
 * before those messages committed, its frame or answer came after them): the summary's fields that messages do
 * not change, with the row's message-derived ones kept. Otherwise the summary as it is.
 */
export function agentRowFromSummary(known: AgentConversation | undefined, summary: AgentConversation): AgentConversation {
  if (!known || known.lastSeq <= summary.lastSeq) return summary;
  const { lastSeq, lastMessage, updatedAt, unread, waitingSince } = known;
  const merged = { ...summary, lastSeq, lastMessage, updatedAt, unread, waitingSince };
  // A later visitor message reopened what the older summary still calls resolved.
  if (known.status === 'open' && summary.status === 'resolved' && lastMessage?.author === 'visitor') {
    merged.status = 'open';
    merged.resolvedAt = null;
    merged.resolvedBy = null;
  }
  return merged;
}
