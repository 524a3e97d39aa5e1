/**
 * Unread agent messages: agent messages with seq above the highest seq the
 * visitor has seen. The panel marks messages seen only while it is maximized,
 * the document is visible and the message is on screen.
 */
import type { MessageView } from '../shared/wire-protocol.js';

export class UnreadTracker {
  private readSeq = 0;
  private readonly agentSeqs = new Set<number>();
  private lastReported = -1;

  constructor(private readonly onChange: (count: number) => void) {}

  get visitorReadSeq(): number {
    return this.readSeq;
  }

  get count(): number {
    let n = 0;
    for (const s of this.agentSeqs) if (s > this.readSeq) n++;
    return n;
  }

  /** Records a stored message (duplicates are harmless). */
  add(message: MessageView): void {
    if (message.author === 'agent') this.agentSeqs.add(message.seq);
    this.report();
  }

  /** The server's or our own read position; it only moves forward. Returns true if it moved. */
  markRead(seq: number): boolean {
    if (!Number.isFinite(seq) || seq <= this.readSeq) return false;
    this.readSeq = seq;
    this.report();
    return true;
  }

  /** Forgets everything (a new visitor after a login). */
  reset(): void {
    this.readSeq = 0;
    this.agentSeqs.clear();
    this.report();
  }

  /** The newest unread agent message among `messages`, for the marketing card. */
  newestUnread(messages: readonly MessageView[]): MessageView | null {
    for (let i = messages.length - 1; i >= 0; i--) {
      const m = messages[i];
      if (m.author === 'agent' && m.seq > this.readSeq) return m;
    }
    return null;
  }

  /** Reports the count whenever it differs from the last report (and once initially). */
  report(): void {
    const c = this.count;
    if (c === this.lastReported) return;
    this.lastReported = c;
    this.onChange(c);
  }
}
