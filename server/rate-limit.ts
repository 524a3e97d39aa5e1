/**
 * The limiters behind every "cheap request" limit: token buckets (per key,
 * forgotten when idle) and counters of concurrent things per key. Every one
 * takes its clock from outside, so tests step time instead of sleeping.
 */

/** Milliseconds since some fixed point; Date.now in production, a stepped number in tests. */
export type Clock = () => number;

/** A token bucket: `capacity` actions, refilled evenly over `windowMs`. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    private readonly capacity: number,
    private readonly windowMs: number,
    private readonly now: Clock = Date.now,
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** How long until `take()` would succeed: 0 when it would now. */
  retryAfterMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) * this.windowMs) / this.capacity);
  }

  /** True when the bucket is full again (nothing to remember about its key). */
  isFull(): boolean {
    this.refill();
    return this.tokens >= this.capacity;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((t - this.last) * this.capacity) / this.windowMs);
    this.last = t;
  }
}

/** Keys remembered before idle (full) buckets are swept out. */
const SWEEP_ABOVE_KEYS = 10_000;

/** Per-key buckets (per visitor, per client address, per app), forgotten once full again. */
export class KeyedRateLimiter {
  private buckets = new Map<string, TokenBucket>();
  private lastSweep = 0;
  constructor(
    readonly capacity: number,
    readonly windowMs: number,
    private readonly now: Clock = Date.now,
  ) {}

  take(key: string): boolean {
    return this.bucket(key).take();
  }

  /** How long until `take(key)` would succeed: 0 when it would now. Takes nothing. */
  retryAfterMs(key: string): number {
    return this.buckets.get(key)?.retryAfterMs() ?? 0;
  }

  private bucket(key: string): TokenBucket {
    let b = this.buckets.get(key);
    if (!b) {
      this.sweep();
      b = new TokenBucket(this.capacity, this.windowMs, this.now);
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Many keys (a spread of addresses): drop the full buckets, at most once a second so a flood of new keys stays O(1) each. */
  private sweep(): void {
    if (this.buckets.size < SWEEP_ABOVE_KEYS) return;
    const t = this.now();
    if (t - this.lastSweep < 1000) return;
    this.lastSweep = t;
    for (const [k, b] of this.buckets) if (b.isFull()) this.buckets.delete(k);
  }
}

/**
 * Takes one token from every (limiter, key) pair, or from none: a request
 * refused by one bucket does not drain the others. Returns 0 when taken, else
 * how long until all of them would allow it.
 */
export function takeFromEach(pairs: ReadonlyArray<readonly [KeyedRateLimiter, string]>): number {
  const wait = Math.max(0, ...pairs.map(([limiter, key]) => limiter.retryAfterMs(key)));
  if (wait > 0) return wait;
  for (const [limiter, key] of pairs) limiter.take(key);
  return 0;
}

/** Counts concurrent holders per key (sockets per client address), up to `max` each. */
export class ConcurrencyLimiter {
  private held = new Map<string, number>();
  constructor(readonly max: number) {}

  /** A release function (call it once, when the holder ends), or null when the key is at its maximum. */
  acquire(key: string): (() => void) | null {
    const n = this.held.get(key) ?? 0;
    if (n >= this.max) return null;
    this.held.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
    };
  }

  count(key: string): number {
    return this.held.get(key) ?? 0;
  }
}
