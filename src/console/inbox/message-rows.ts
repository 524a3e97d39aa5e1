/**
 * The inbox's rows kept current from `message` frames: the server sends no summary after an ordinary message
 * (server/agent-row-updates.ts; the console says `rowsFromMessages` when it authenticates), so each message moves
 * its row here (src/shared/agent-row.ts: last line, seq, time and order, unread, waiting, a reopen).
 *
 * A message to a conversation this console has not loaded (beyond the pages it holds) or one that skips a seq
 * (a message missed) cannot be applied: the row is asked for
 * (GET /v1/agent/conversations/:id) and shown once the summary is here, never half-filled from the message.
 * Messages heard while that request runs wait for its answer and are applied after it, so a summary read
 * before them does not hide them. A refused request (the conversation deleted, or out of the agent's apps)
 * shows nothing. A new conversation's first message is not asked for: its summary comes pushed.
 */
import type { AgentConversation, MessageView } from '../../shared/wire-protocol.js';
import { agentRowAfterMessage, agentRowFromSummary } from '../../shared/agent-row.js';

export interface MessageRowsHost {
  /** The row as this console knows it now. */
  row(id: string): AgentConversation | undefined;
  /** Stores a row (the host skips deleted conversations). */
  put(c: AgentConversation): void;
  /** The conversation's summary from the server. */
  fetch(id: string): Promise<AgentConversation>;
}

export class MessageRows {
  /** Conversations whose summary is being asked for, with the messages heard meanwhile. */
  private readonly pending = new Map<string, MessageView[]>();

  constructor(private readonly host: MessageRowsHost) {}

  /** A `message` frame: its row moves, or is asked for. */
  message(conversationId: string, m: MessageView): void {
    const waiting = this.pending.get(conversationId);
    if (waiting) {
      waiting.push(m);
      return;
    }
    const row = this.host.row(conversationId);
    // A conversation's first message: the server's summary follows it (server/agent-row-updates.ts), no need to ask.
    if (!row && m.seq === 1) return;
    const next = row && agentRowAfterMessage(row, m);
    if (next) {
      if (next !== row) this.host.put(next);
      return;
    }
    this.ask(conversationId, [m]);
  }

  /** A `conversation` frame (or an action's answer): the row it makes, given what messages already moved. */
  summary(c: AgentConversation): AgentConversation {
    return agentRowFromSummary(this.host.row(c.id), c);
  }

  /** Whether a summary request for this conversation is running (tests wait on it). */
  asking(conversationId: string): boolean {
    return this.pending.has(conversationId);
  }

  private ask(id: string, heard: MessageView[]): void {
    this.pending.set(id, heard);
    this.host.fetch(id).then(
      (summary) => {
        let row = this.summary(summary);
        for (const m of this.pending.get(id) ?? []) row = agentRowAfterMessage(row, m) ?? row;
        this.pending.delete(id);
        this.host.put(row);
      },
      () => this.pending.delete(id),
    );
  }
}
