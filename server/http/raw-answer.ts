/**
 * Error answers written straight to a socket, where Node gives no ServerResponse:
 * an upgrade refused before it became a WebSocket (unknown path, too many sockets
 * from one address, a malformed handshake) and a request the HTTP parser refused.
 * Same JSON body and security headers as sendError (respond.ts); the connection closes.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../../src/shared/wire-protocol.js';

export function writeRawError(socket: Duplex, status: number, reason: string, message: string, headers: Record<string, string> = {}): void {
  if (!socket.writable) return;
  const body: ErrorBody = { ok: false, reason, message };
  const text = JSON.stringify(body);
  const all: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    connection: 'close',
    ...headers,
  };
  const head = Object.entries(all).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head}\r\n${text}`);
}
