/**
 * What the visitor and the agent socket share: the deadline for the auth
 * frame, the per-socket frame bucket, refusals counted towards a close, and
 * the wiring of a fresh `ws` (its frames, its close, its errors).
 */
import type { RawData, WebSocket } from 'ws';
import { CLOSE, type WireErrorCode } from '../../src/shared/wire-protocol.js';
import type { ServerContext } from '../context.js';
import { SOCKET_AUTH_TIMEOUT_MS, SOCKET_MAX_REFUSALS } from '../limits.js';
import type { TokenBucket } from '../rate-limit.js';
import { closeSocket, sendFrame } from './send.js';

export abstract class SocketSession<ServerFrame extends object> {
  /** Typing, read and ping frames of this socket (a visitor's messages have their own per-visitor limit). */
  protected readonly frames: TokenBucket;
  private refusals = 0;
  private readonly authTimer: ReturnType<typeof setTimeout>;

  constructor(
    protected readonly ctx: ServerContext,
    protected readonly ws: WebSocket,
  ) {
    this.frames = ctx.limits.socketFrames();
    this.authTimer = setTimeout(() => closeSocket(ws, CLOSE.AUTH_TIMEOUT, 'no auth frame'), SOCKET_AUTH_TIMEOUT_MS);
    ws.on('message', (data: RawData, isBinary: boolean) => this.received(isBinary ? null : data.toString()));
    ws.on('close', () => {
      clearTimeout(this.authTimer);
      this.closed();
    });
    ws.on('error', () => {});
  }

  /** A frame arrived (`raw`: its text, null for a binary frame). */
  protected abstract received(raw: string | null): void;
  /** The socket is closed: unregister, stop timers. */
  protected abstract closed(): void;

  /** The handshake has an outcome (ready or a close): no more auth deadline. */
  protected authSettled(): void {
    clearTimeout(this.authTimer);
  }

  protected send(frame: ServerFrame): void {
    sendFrame(this.ws, frame);
  }

  /** An error frame for a refused frame; a socket refused more than SOCKET_MAX_REFUSALS times is closed. */
  protected refuse(code: WireErrorCode, message: string, ref?: string): void {
    sendFrame(this.ws, { type: 'error', code, message, ...(ref !== undefined ? { ref } : {}) });
    if (++this.refusals > SOCKET_MAX_REFUSALS) closeSocket(this.ws, code === 'rate_limited' ? CLOSE.RATE_LIMITED : CLOSE.PROTOCOL_ERROR, 'too many refused frames');
  }

  protected closeWith(code: number, reason: string): void {
    closeSocket(this.ws, code, reason);
  }
}
