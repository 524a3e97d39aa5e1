/**
 * Protocol-level pings to every socket. A peer gone without a close (a phone
 * that lost its network, a half-open TCP connection) answers no pong and is
 * terminated at the next round, so its socket, presence and buffers are freed
 * instead of lingering until the OS gives up on it (hours). Browsers answer
 * these pings themselves, unthrottled even in hidden tabs; the visitor's JSON
 * pings serve its own side of the liveness check.
 */
import type { WebSocket, WebSocketServer } from 'ws';
import { systemClock, type Clock } from '../clock.js';

export const DEFAULT_HEARTBEAT_MS = 30_000;

export interface Heartbeat {
  /** Starts checking a freshly upgraded socket. */
  watch(ws: WebSocket): void;
  stop(): void;
}

/** `clock`: the rounds' timer (the server's clock, so a test steps the rounds instead of racing them). */
export function startHeartbeat(wss: WebSocketServer, everyMs = DEFAULT_HEARTBEAT_MS, clock: Clock = systemClock): Heartbeat {
  const answered = new WeakSet<WebSocket>();
  const stop = clock.every(everyMs, () => {
    for (const ws of wss.clients) {
      if (!answered.has(ws)) {
        ws.terminate(); // no pong since the last round
        continue;
      }
      answered.delete(ws);
      ws.ping();
    }
  });
  return {
    watch(ws) {
      answered.add(ws);
      ws.on('pong', () => answered.add(ws));
    },
    stop,
  };
}
