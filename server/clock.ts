/**
 * The time presence expiry and the LISTEN catch-up run on: monotonic
 * milliseconds and a repeating timer. Injectable (StartOptions.presenceClock)
 * so tests step time instead of waiting for it and asserting how long it took.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Calls `fn` every `ms` (the process does not stay alive for it); returns what stops it. */
  every(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref?.();
    return () => clearInterval(timer);
  },
};
