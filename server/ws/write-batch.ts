/**
 * One write to the kernel per socket per event-loop turn. `ws` writes every
 * frame to its TCP socket at once, and each write is a syscall (writev): under
 * load the agent socket gets one frame per message and a visitor its `ack`
 * right after its own message, so the server profile showed writev as the
 * largest self-time frame. A socket that is sent to is corked for the rest of
 * this turn and uncorked in setImmediate (after the I/O callbacks of this turn,
 * before the next poll), so its frames leave in one writev. Frame order is
 * unchanged; the added delay is the rest of the current turn.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

const corked = new Set<Duplex>();
let flushScheduled = false;

/** Corks this socket's TCP stream until the end of the current event-loop turn (no-op when already corked). */
export function batchWrites(ws: WebSocket): void {
  // `_socket` is ws's underlying net.Socket (not in its types); without it (not yet open) nothing is batched.
  const socket = (ws as unknown as { _socket?: Duplex })._socket;
  if (!socket || corked.has(socket) || socket.destroyed) return;
  socket.cork();
  corked.add(socket);
  if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flush);
  }
}

function flush(): void {
  flushScheduled = false;
  // Uncorked once each: ws corks and uncorks around a frame itself, so only our own cork is undone here.
  for (const socket of corked) if (!socket.destroyed) socket.uncork();
  corked.clear();
}
