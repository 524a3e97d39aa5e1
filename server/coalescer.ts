/**
 * Coalescing of work that many events ask for, so a burst costs one batched
 * query or NOTIFY per short window instead of one per event.
 */

/** Runs `flush` once, `windowMs` after the first `schedule()` since the last flush. */
export class Coalescer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  constructor(
    private readonly windowMs: number,
    private readonly flush: () => Promise<void>,
  ) {}
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((err) => console.error('twt: batched push failed', err));
    }, this.windowMs);
    this.timer.unref?.();
  }
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
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
