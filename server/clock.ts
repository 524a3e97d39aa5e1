/**
 * The time the server's timers run on: monotonic milliseconds, a repeating
 * timer and a one-shot one. Presence beats and expiry, the LISTEN catch-up
 * and reconnect waits, the socket heartbeat and an open socket's close at its token's expiry all
 * use it. Injectable (StartOptions.clock) so tests step time instead of
 * waiting for it and asserting how long it took.
 */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Calls `fn` every `ms` (the process does not stay alive for it); returns what stops it. */
  every(ms: number, fn: () => void): () => void;
  /** Calls `fn` once, `ms` from now (the process does not stay alive for it); returns what cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  every(ms, fn) {
    const timer = setInterval(fn, ms);
    timer.unref?.();
    return () => clearInterval(timer);
  },
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};
