/**
 * Protocol-level pings to every socket. A peer gone without a close (a phone
 * that lost its network, a half-open TCP connection) answers no pong and is
 * terminated at the next round, so its socket, presence and buffers are freed
 * instead of lingering until the OS gives up on it (hours). Browsers answer
 * these pings themselves, unthrottled even in hidden tabs; the visitor's JSON
 * pings serve its own side of the liveness check.
 */
import type { WebSocket } from 'ws';
import { systemClock, type Clock } from '../clock.js';

export const DEFAULT_HEARTBEAT_MS = 30_000;

/**
 * A round is spread over this many ticks, each checking its own share of the sockets. Pinging every socket in
 * one turn is a write per socket, and their pongs come back together: with 19,000 sockets that held the event
 * loop for about 200 ms every round, and every message queued behind it (docs/performance.md, "PGlite in a
 * worker thread"). A thirtieth of them at a time costs a few milliseconds.
 */
const SLICES = 30;

export interface Heartbeat {
  /** Starts checking a freshly upgraded socket. */
  watch(ws: WebSocket): void;
  stop(): void;
}

/** `clock`: the rounds' timer (the server's clock, so a test steps the rounds instead of racing them). */
export function startHeartbeat(everyMs = DEFAULT_HEARTBEAT_MS, clock: Clock = systemClock): Heartbeat {
  const answered = new WeakSet<WebSocket>();
  // Each socket has one slice (round robin as they come), and its slice's tick checks it once a round: a socket
  // that has not answered the previous round's ping by then is terminated, as when all were checked at once.
  const slices: Array<Set<WebSocket>> = Array.from({ length: SLICES }, () => new Set());
  let joining = 0;
  let tick = 0;
  const stop = clock.every(everyMs / SLICES, () => {
    for (const ws of slices[tick++ % SLICES]!) {
      if (!answered.has(ws)) {
        ws.terminate(); // no pong since its last check
        continue;
      }
      answered.delete(ws);
      ws.ping();
    }
  });
  return {
    watch(ws) {
      const slice = slices[joining++ % SLICES]!;
      slice.add(ws);
      answered.add(ws);
      ws.on('pong', () => answered.add(ws));
      ws.once('close', () => slice.delete(ws));
    },
    stop,
  };
}
