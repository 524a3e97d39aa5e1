/**
 * Which agents are typing in each conversation, as the visitor sees it: one
 * "X is typing" line, whoever else types too. The gate (typing-gate.ts) lets
 * each agent's own changes through, so two agents typing are both shown to
 * the other agents; this folds them into the visitor's single indicator. It
 * stays on while any agent types: the first typist's name, then (when that one
 * stops) the next one's. Only typists are kept: a conversation leaves the map
 * when its last one stops.
 */

/** What the visitor's panel should show: nobody, or one named agent typing. */
export interface VisitorTyping {
  typing: boolean;
  authorName?: string;
}

export class AgentsTyping {
  /** Per conversation, the agents typing now (id -> name), in the order they started. */
  private typists = new Map<string, Map<number, string>>();

  /** Records one agent's change; returns what the visitor should now see, or null when that did not change. */
  change(conversationId: string, agentId: number, name: string, typing: boolean): VisitorTyping | null {
    const before = this.shown(conversationId);
    const typists = this.typists.get(conversationId) ?? new Map<number, string>();
    if (typing) {
      if (!typists.has(agentId)) typists.set(agentId, name);
      this.typists.set(conversationId, typists);
    } else {
      typists.delete(agentId);
      if (!typists.size) this.typists.delete(conversationId);
    }
    const after = this.shown(conversationId);
    return before.typing === after.typing && before.authorName === after.authorName ? null : after;
  }

  private shown(conversationId: string): VisitorTyping {
    const first = this.typists.get(conversationId)?.values().next();
    return first && !first.done ? { typing: true, ...(first.value ? { authorName: first.value } : {}) } : { typing: false };
  }
}
