import type { WebSocket } from 'ws';
import { CLOSE } from '../../src/shared/wire-protocol.js';
import { batchWrites } from './write-batch.js';

/** How long a peer has to answer our close frame before its connection is cut. */
const CLOSE_HANDSHAKE_TIMEOUT_MS = 2000;

/** Past this many queued bytes a peer is not reading: drop it rather than buffer forever. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Sends one JSON frame; closes slow consumers with CLOSE.TRY_AGAIN_LATER. */
export function sendFrame(ws: WebSocket, frame: object): void {
  if (ws.readyState !== ws.OPEN) return;
  sendText(ws, JSON.stringify(frame));
}

/**
 * Sends an already serialised frame (fan-out serialises once and sends the
 * same string to every socket); closes slow consumers with CLOSE.TRY_AGAIN_LATER.
 */
export function sendText(ws: WebSocket, text: string): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    closeSocket(ws, CLOSE.TRY_AGAIN_LATER, 'backpressure');
    return;
  }
  batchWrites(ws);
  ws.send(text);
}

/** Closes with a code; a peer that does not answer the close handshake is cut after CLOSE_HANDSHAKE_TIMEOUT_MS. */
export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  if (ws.readyState === ws.CLOSED) return;
  try {
    ws.close(code, reason.slice(0, 120));
  } catch {
    ws.terminate();
    return;
  }
  const t = setTimeout(() => ws.terminate(), CLOSE_HANDSHAKE_TIMEOUT_MS);
  t.unref();
}
