/** Small statistics helpers for latency samples (milliseconds). */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; null for none. */
export function percentile(samples: readonly number[], p: number): number | null {
  if (!samples.length) return null;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function median(samples: readonly number[]): number | null {
  return percentile(samples, 50);
}

export function max(samples: readonly number[]): number | null {
  return samples.length ? samples.reduce((a, b) => (b > a ? b : a), -Infinity) : null;
}

export function sum(samples: readonly number[]): number {
  return samples.reduce((a, b) => a + b, 0);
}

/** Wall-clock milliseconds with sub-ms precision, comparable across processes of one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
