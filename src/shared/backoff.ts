/**
 * Reconnect delays (the panel's socket and session, the agent console's socket): exponential, capped, with jitter, so that many visitors
 * dropped by one server restart do not all come back at the same instant.
 * "Equal jitter": half the capped delay is fixed, the other half random, so
 * the delay still grows with each failure but the herd spreads out.
 */
export interface BackoffOptions {
  /** First retry's capped delay (ms). */
  min: number;
  /** Upper bound (ms). */
  max: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { min: 1000, max: 30_000, factor: 2 };

/** Delay before retry number `attempt` (1 = first retry); 0 for the first connect. */
export function backoffDelay(attempt: number, random: () => number = Math.random, o: BackoffOptions = DEFAULT_BACKOFF): number {
  if (attempt <= 0) return 0;
  const cap = Math.min(o.max, o.min * o.factor ** (attempt - 1));
  return Math.round(cap / 2 + random() * (cap / 2));
}
