/**
 * Coalescing of work that many events ask for, so a burst costs one batched
 * query or NOTIFY per short window instead of one per event.
 */

/**
 * Runs `flush` once, `windowMs` after the first `schedule()` since the last flush. `stop()` ends it for good: no
 * flush starts after it, and it waits for those already running, so what the flushes use (the store) can close
 * after it without a flush failing halfway.
 */
export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Flushes under way (a window's flush can start while the previous one still writes). */
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  constructor(
    private readonly windowMs: number,
    private readonly flush: () => Promise<void>,
  ) {}
  schedule(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const run: Promise<void> = this.flush()
        .catch((err) => console.error('twt: batched push failed', err))
        .finally(() => this.running.delete(run));
      this.running.add(run);
    }, this.windowMs);
    this.timer.unref?.();
  }
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
  /** Cancels what is scheduled, refuses what would be, and resolves once the flushes already running have ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel();
    await Promise.all(this.running);
  }
}

/** Removes and returns up to `n` entries of a set (insertion order): one batch, the rest left for the next window. */
export function takeSome<T>(set: Set<T>, n: number): T[] {
  const out: T[] = [];
  for (const v of set) {
    if (out.length >= n) break;
    out.push(v);
  }
  for (const v of out) set.delete(v);
  return out;
}
