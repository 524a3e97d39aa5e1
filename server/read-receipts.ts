/**
 * Read receipts, coalesced: a `read` frame only raises the highest seq
 * pending for its conversation; one write per conversation per window stores
 * the highest (and its NOTIFY tells everyone). However many frames arrive,
 * the database sees at most one UPDATE per conversation and side per window.
 */
import { Coalescer } from './coalescer.js';
import type { Conversations } from './data/conversations.js';

/** How long read receipts are gathered before they are written. */
export const READ_WINDOW_MS = 250;

type Side = 'visitor' | 'agent';

export class ReadReceipts {
  /** Highest seq read, per side and conversation, not yet written. */
  private pending = new Map<string, { conversationId: string; side: Side; seq: number }>();
  private readonly batch: Coalescer;

  constructor(
    private readonly conversations: Conversations,
    windowMs = READ_WINDOW_MS,
  ) {
    this.batch = new Coalescer(windowMs, () => this.flush());
  }

  mark(conversationId: string, side: Side, seq: number): void {
    const key = `${side}\n${conversationId}`;
    const p = this.pending.get(key);
    if (p) p.seq = Math.max(p.seq, seq);
    else this.pending.set(key, { conversationId, side, seq });
    this.batch.schedule();
  }

  /**
   * At shutdown, once no socket can send another `read`: no more windows, a window's write already under way ends,
   * then everything still pending is written, so no receipt is dropped and none is written after the store closes.
   */
  async stop(): Promise<void> {
    await this.batch.stop();
    await this.flush();
  }

  /** Writes everything pending now. */
  async flush(): Promise<void> {
    this.batch.cancel();
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const r of due) await this.conversations.markRead(r.conversationId, r.side, r.seq);
  }
}
