/**
 * When the agents need a conversation's full summary (`conversation` frame, one `forAgents` query) after a
 * message, and when the `message` frame they get anyway is enough to update their inbox row.
 *
 * What a message changes in a row (AgentConversation, src/shared/wire-protocol.ts) is known from the message
 * itself: the console derives it (src/shared/agent-row.ts, the same rule as Messages.append's UPDATE). So an
 * ordinary message to a conversation the agents already list costs no summary query: that query was the
 * biggest one after the insert (docs/performance.md, "Server CPU per message").
 *
 * The full summary still goes out when the message frame cannot say enough:
 * - the conversation's first message: it enters the inbox views now, and the agents have never had its row
 *   (visitor profile, assignee…);
 * - a message that reopened a resolved conversation (`reopened`; an event from an older process without the
 *   field, when a visitor wrote): status and resolution change, and the agents' views move it;
 * - a message read back after a deaf spell (ListenCatchUp): other changes may have gone unheard with it;
 * - whenever an agent socket here did not say it derives rows from messages (`rowsFromMessages` in its auth
 *   frame): an older console or an API-key integration that relies on a summary after every message.
 * `conversation` events, presence and profile changes queue summaries in the hub as before.
 */
import type { MessageView } from '../src/shared/wire-protocol.js';

/** Why a message reached the agents: heard live, or read back by the catch-up after a deaf spell. */
export type MessageRoute = 'live' | 'caught-up';

export class AgentRowUpdates {
  /** Agent sockets here that did not say they derive rows from messages: they get a summary per message. */
  private legacy = 0;

  added(c: { rowsFromMessages?: boolean }): void {
    if (!c.rowsFromMessages) this.legacy++;
  }

  removed(c: { rowsFromMessages?: boolean }): void {
    if (!c.rowsFromMessages) this.legacy--;
  }

  /** Whether this message must be followed by the conversation's full summary for the agents here. */
  summaryAfter(message: MessageView, event: { reopened?: boolean }, route: MessageRoute): boolean {
    if (this.legacy > 0 || route === 'caught-up') return true;
    if (message.seq <= 1) return true;
    // An older process's event says nothing: a visitor's message may have reopened the conversation.
    return event.reopened === true || (event.reopened === undefined && message.author === 'visitor');
  }
}
