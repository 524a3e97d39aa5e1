/**
 * The stored messages of the visitor's conversation as the panel knows them:
 * ordered by seq, de-duplicated by seq (history on resume can repeat what a
 * live frame already delivered), with `lastSeq` for the next resume.
 */
import type { MessageView } from '../shared/wire-protocol.js';

export class Conversation {
  private bySeq = new Map<number, MessageView>();
  private ordered: MessageView[] = [];
  id: string | undefined;

  get messages(): readonly MessageView[] {
    return this.ordered;
  }

  get lastSeq(): number {
    return this.ordered.length ? this.ordered[this.ordered.length - 1].seq : 0;
  }

  /** Adds a message; false when it is malformed or already known. */
  add(message: MessageView): boolean {
    if (!isMessage(message)) return false;
    if (this.id && message.conversationId !== this.id) return false;
    if (this.bySeq.has(message.seq)) return false;
    this.bySeq.set(message.seq, message);
    const last = this.ordered[this.ordered.length - 1];
    if (!last || last.seq < message.seq) this.ordered = [...this.ordered, message];
    else this.ordered = [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return true;
  }

  /** Clears everything (a new login is a new visitor). */
  reset(): void {
    this.bySeq = new Map();
    this.ordered = [];
    this.id = undefined;
  }
}

export function isMessage(m: unknown): m is MessageView {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  return (
    typeof o.id === 'string' &&
    typeof o.conversationId === 'string' &&
    Number.isInteger(o.seq) &&
    (o.seq as number) > 0 &&
    (o.author === 'visitor' || o.author === 'agent' || o.author === 'system') &&
    typeof o.text === 'string' &&
    typeof o.createdAt === 'string'
  );
}
