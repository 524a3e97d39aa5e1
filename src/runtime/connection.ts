/**
 * The visitor WebSocket, on top of partysocket's reconnecting socket.
 *
 * - Auth is the first frame after every open (never the URL); the connection
 *   counts as `connected` once the server answers `ready`.
 * - Reconnect delays come from backoff.ts (partysocket has no jitter): its own
 *   delay is set to 0 and the URL provider sleeps the jittered delay instead.
 *   That sleep can be cut short, which is how `online` reconnects at once.
 * - `offline` drops the socket at once and reports `disconnected`: an open
 *   socket may not notice the lost network for a long time (Chromium keeps it
 *   open; a dead link is only caught by the ping), and meanwhile messages
 *   would go into it instead of waiting, shown as pending, in the outbox.
 * - Close codes 4003/4004/4005 end the session (`auth_closed`); 4001 gets a
 *   fresh token and reconnects once.
 * - `pagehide` closes the socket so the host page stays eligible for the
 *   back/forward cache; `pageshow` reopens it.
 * - A ping every 25 s; a ping still unanswered (no frame at all since) when
 *   the next one is due means a dead socket. Hidden tabs throttle timers (to
 *   once a minute, or less) but not incoming frames, so a late tick only
 *   judges later, never wrongly: a live socket has answered by then.
 *   Back to visible, a ping checks the socket at once (10 s to answer): a
 *   dead one reconnects and resumes from lastSeq.
 */
import { WebSocket as ReconnectingWebSocket } from 'partysocket';
import type { ConnectionStatus } from '../shared/bridge-protocol.js';
import {
  AUTH_CLOSE_TYPES,
  CLOSE,
  parseFrame,
  VISITOR_SERVER_TYPES,
  type AuthClosedPayload,
  type VisitorClientFrame,
  type VisitorServerFrame,
} from '../shared/wire-protocol.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from '../shared/backoff.js';

type AuthFrame = Extract<VisitorClientFrame, { type: 'auth' }>;

const TERMINAL_CODES: readonly number[] = [CLOSE.TOKEN_REVOKED, CLOSE.APP_DISABLED, CLOSE.VISITOR_BANNED];

export interface ConnectionOptions {
  url: string;
  /** Built at every open, so it carries the current token and lastSeq. */
  authFrame: () => AuthFrame;
  /** Obtains a fresh token (after 4001); rejects when that is impossible. */
  refreshToken: () => Promise<void>;
  onFrame: (frame: VisitorServerFrame) => void;
  onStatus: (status: ConnectionStatus) => void;
  onAuthClosed: (payload: AuthClosedPayload) => void;
  /** Test doubles. */
  WebSocket?: unknown;
  random?: () => number;
  backoff?: BackoffOptions;
  win?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  doc?: Pick<Document, 'addEventListener' | 'removeEventListener' | 'visibilityState'>;
  now?: () => number;
  /** Schedules the backoff wait before a reconnect; returns its cancel. Default: setTimeout. */
  schedule?: (run: () => void, ms: number) => () => void;
  pingIntervalMs?: number;
  /** How long a ping sent when the page becomes visible may go unanswered. */
  visibleCheckMs?: number;
  connectionTimeoutMs?: number;
}

export class Connection {
  private socket: ReconnectingWebSocket | null = null;
  private statusValue: ConnectionStatus = 'disconnected';
  /** Set once auth is closed for good; nothing reopens the socket after that. */
  private terminated = false;
  /** True while closed on purpose (pagehide / stop), so our own close is not a failure. */
  private paused = false;
  private refreshedSinceReady = false;
  /** The browser said `offline` and not yet `online`: failed attempts report `disconnected`, not `reconnecting`. */
  private offline = false;
  private wakeSleep: (() => void) | null = null;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private visibleCheck: ReturnType<typeof setTimeout> | undefined;
  /** A ping went out at `pingSentAt` and no frame has come since. */
  private awaitingAnswer = false;
  private pingSentAt = 0;
  private readonly win: NonNullable<ConnectionOptions['win']>;
  private readonly doc: NonNullable<ConnectionOptions['doc']>;
  private readonly now: () => number;

  constructor(private readonly o: ConnectionOptions) {
    this.win = o.win ?? window;
    this.doc = o.doc ?? document;
    this.now = o.now ?? Date.now;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get isTerminated(): boolean {
    return this.terminated;
  }

  start(): void {
    if (this.socket || this.terminated) return;
    this.win.addEventListener('online', this.onOnline);
    this.win.addEventListener('offline', this.onOffline);
    this.win.addEventListener('pagehide', this.onPageHide);
    this.win.addEventListener('pageshow', this.onPageShow);
    this.doc.addEventListener('visibilitychange', this.onVisibility);
    const socket = new ReconnectingWebSocket(() => this.nextUrl(), undefined, {
      WebSocket: this.o.WebSocket,
      minReconnectionDelay: 0,
      maxReconnectionDelay: 0,
      connectionTimeout: this.o.connectionTimeoutMs ?? 8000,
      maxEnqueuedMessages: 0,
      shouldReconnectOnClose: (e) => !this.paused && !this.terminated && e.code !== CLOSE.TOKEN_EXPIRED && !TERMINAL_CODES.includes(e.code),
    });
    socket.addEventListener('open', this.onOpen);
    socket.addEventListener('message', this.onMessage);
    socket.addEventListener('close', this.onClose);
    this.socket = socket;
    this.setStatus('connecting');
  }

  /** Sends a frame if the session is live (after `ready`); false otherwise (the caller keeps it queued). */
  send(frame: VisitorClientFrame): boolean {
    if (!this.socket || this.statusValue !== 'connected') return false;
    return this.socket.send(JSON.stringify(frame));
  }

  /** Closes for good (teardown or a new login). */
  stop(): void {
    this.paused = true;
    this.win.removeEventListener('online', this.onOnline);
    this.win.removeEventListener('offline', this.onOffline);
    this.win.removeEventListener('pagehide', this.onPageHide);
    this.win.removeEventListener('pageshow', this.onPageShow);
    this.doc.removeEventListener('visibilitychange', this.onVisibility);
    this.stopPing();
    this.wakeSleep?.();
    const s = this.socket;
    this.socket = null;
    if (s) {
      s.removeEventListener('open', this.onOpen);
      s.removeEventListener('message', this.onMessage);
      s.removeEventListener('close', this.onClose);
      s.close(1000, 'stop');
    }
    this.setStatus('disconnected');
  }

  /** Reconnects now, skipping any backoff wait in progress. */
  reconnectNow(): void {
    if (!this.socket || this.terminated || this.paused) return;
    if (this.statusValue === 'connected') return;
    if (this.wakeSleep) this.wakeSleep();
    else if (this.socket.readyState !== this.socket.CONNECTING) this.socket.reconnect();
  }

  private async nextUrl(): Promise<string> {
    const attempt = this.socket?.retryCount ?? 0;
    const delay = backoffDelay(attempt, this.o.random, this.o.backoff ?? DEFAULT_BACKOFF);
    if (delay > 0) {
      await new Promise<void>((resolve) => {
        const cancel = (this.o.schedule ?? scheduleTimeout)(done, delay);
        const self = this;
        function done() {
          cancel();
          self.wakeSleep = null;
          resolve();
        }
        this.wakeSleep = done;
      });
    }
    return this.o.url;
  }

  private readonly onOpen = () => {
    this.socket?.send(JSON.stringify(this.o.authFrame()));
  };

  private readonly onMessage = (event: MessageEvent) => {
    if (typeof event.data !== 'string') return;
    const frame = parseFrame<VisitorServerFrame>(event.data, VISITOR_SERVER_TYPES);
    this.awaitingAnswer = false; // any frame, not only a pong, proves the socket alive
    if (!frame) return;
    if (frame.type === 'ready') {
      this.refreshedSinceReady = false;
      this.setStatus('connected');
      this.startPing();
    }
    this.o.onFrame(frame);
  };

  private readonly onClose = (event: CloseEvent) => {
    this.stopPing();
    if (this.paused || this.terminated) return;
    const code = event.code;
    if (TERMINAL_CODES.includes(code)) return this.terminate(code, event.reason);
    if (code === CLOSE.TOKEN_EXPIRED) {
      // One refresh per expiry; a second 4001 before `ready` means the new token did not help.
      if (this.refreshedSinceReady) return this.terminate(code, event.reason);
      this.refreshedSinceReady = true;
      this.setStatus('reconnecting');
      this.o.refreshToken().then(
        () => {
          if (!this.paused && !this.terminated) this.socket?.reconnect();
        },
        (err: unknown) => this.terminate(code, err instanceof Error ? err.message : 'token refresh failed', 'http'),
      );
      return;
    }
    this.setStatus(this.offline ? 'disconnected' : 'reconnecting');
  };

  private terminate(code: number, message: string, source: 'ws' | 'http' = 'ws'): void {
    this.terminated = true;
    const kind = AUTH_CLOSE_TYPES[code] ?? { closeAuthType: 'closed', reason: 'closed', clearToken: false };
    this.socket?.close(1000, 'auth closed');
    this.setStatus('disconnected');
    this.o.onAuthClosed({
      message: message || kind.reason,
      reason: kind.reason,
      source,
      clearToken: kind.clearToken,
      closeAuthType: kind.closeAuthType,
      closeCode: code,
      terminal: 'visitor',
    });
  }

  private readonly onOnline = () => {
    this.offline = false;
    if (this.socket && !this.terminated && !this.paused && this.statusValue === 'disconnected') this.setStatus('reconnecting');
    this.reconnectNow();
  };

  private readonly onOffline = () => {
    this.offline = true;
    if (!this.socket || this.terminated || this.paused) return;
    this.stopPing();
    this.setStatus('disconnected');
    // Closes the current socket (its close reports `disconnected` while offline) and keeps retrying with backoff; `online` cuts the wait short.
    this.socket.reconnect();
  };

  private readonly onPageHide = () => {
    if (!this.socket || this.terminated) return;
    this.paused = true;
    this.stopPing();
    this.wakeSleep?.();
    this.socket.close(1000, 'pagehide');
    this.setStatus('disconnected');
  };

  private readonly onPageShow = () => {
    if (!this.socket || this.terminated || !this.paused) return;
    // A page restored from the back/forward cache (or a pagehide without unload): reopen.
    this.paused = false;
    this.setStatus('connecting');
    this.socket.reconnect();
  };

  private startPing(): void {
    this.stopPing();
    this.awaitingAnswer = false;
    const every = this.o.pingIntervalMs ?? 25_000;
    // Half an interval of grace: a tick that fires a few ms early still judges the previous ping.
    this.pingTimer = setInterval(() => this.checkAlive(every / 2), every);
  }

  /**
   * Reconnects when the last ping is still unanswered after `grace` ms (a dead socket); else
   * sends a new ping if `ping`. Judged on frames received since the ping, never on how long ago
   * the timer last ran (a hidden tab's timers are late; its incoming frames are not).
   */
  private checkAlive(grace: number, ping = true): void {
    if (this.statusValue !== 'connected') return;
    if (this.awaitingAnswer && this.now() - this.pingSentAt >= grace) {
      this.stopPing();
      this.setStatus('reconnecting');
      this.socket?.reconnect();
    } else if (!this.awaitingAnswer && ping) {
      this.awaitingAnswer = true;
      this.pingSentAt = this.now();
      this.send({ type: 'ping' });
    }
  }

  private stopPing(): void {
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    clearTimeout(this.visibleCheck);
    this.pingTimer = this.visibleCheck = undefined;
  }

  /** Back to visible after a while (timers throttled, maybe a dead link): check the socket now. */
  private readonly onVisibility = () => {
    if (this.doc.visibilityState !== 'visible' || this.statusValue !== 'connected') return;
    const grace = this.o.visibleCheckMs ?? 10_000;
    this.checkAlive(grace);
    clearTimeout(this.visibleCheck);
    this.visibleCheck = setTimeout(() => this.checkAlive(grace, false), grace);
  };

  private setStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.o.onStatus(status);
  }
}

function scheduleTimeout(run: () => void, ms: number): () => void {
  const t = setTimeout(run, ms);
  return () => clearTimeout(t);
}
