/**
 * /v1/ws: one visitor socket. The first frame authenticates (token in the
 * frame, never the URL); then send / typing / read / ping. Every refusal is an
 * error frame or a documented close code; nothing a client sends can crash it.
 */
import type { WebSocket, RawData } from 'ws';
import { CLOSE, LIMITS, VISITOR_CLIENT_TYPES, parseFrame, type MessageView, type VisitorClientFrame, type VisitorServerFrame, type WireErrorCode } from '../../src/protocol/wire.js';
import type { ServerContext } from '../context.js';
import type { VisitorConn } from '../hub.js';
import { authenticateVisitor } from '../visitor-auth.js';
import { requestOriginAllowed } from '../domains.js';
import type { RequestPlace } from '../visitor-session.js';
import { clientIdProblem, messageProblem, possibleId, storableSeq } from '../storable-input.js';
import { closeSocket, sendFrame, sendText } from './send.js';
import { logFailure } from '../failure-log.js';

const AUTH_TIMEOUT_MS = 10_000;
/** The longest delay setTimeout honours (2^31 - 1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Refusals (rate-limited or malformed frames) tolerated before the socket is closed. */
const MAX_STRIKES = 20;

/** `from`: the upgrade request's Origin and Host, checked against the app once the auth frame names it. */
export function handleVisitorSocket(ctx: ServerContext, ws: WebSocket, from: RequestPlace): void {
  let conn: VisitorConn | null = null;
  let authing = false;
  let strikes = 0;
  /** Typing, read and ping frames of this socket (messages have their per-visitor limit). */
  const frames = ctx.limits.socketFrames();
  /** Highest seq this socket has said it read: a lower or equal one changes nothing. */
  let readSeq = 0;
  const authTimer = setTimeout(() => closeSocket(ws, CLOSE.AUTH_TIMEOUT, 'no auth frame'), AUTH_TIMEOUT_MS);
  const send = (f: VisitorServerFrame) => sendFrame(ws, f);
  const refuse = (code: WireErrorCode, message: string, ref?: string) => {
    send({ type: 'error', code, message, ...(ref !== undefined ? { ref } : {}) });
    if (++strikes > MAX_STRIKES) closeSocket(ws, code === 'rate_limited' ? CLOSE.RATE_LIMITED : CLOSE.PROTOCOL_ERROR, 'too many refused frames');
  };
  // Frames are handled one at a time, in order, so acks keep the send order.
  let chain: Promise<void> = Promise.resolve();

  ws.on('message', (data: RawData, isBinary: boolean) => {
    chain = chain.then(() => onFrame(data, isBinary)).catch((err) => {
      logFailure('visitor frame', err);
      send({ type: 'error', code: 'internal', message: 'internal error' });
    });
  });
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;
  ws.on('close', () => {
    clearTimeout(authTimer);
    clearTimeout(expiryTimer);
    if (conn) ctx.hub.removeVisitor(conn);
  });
  ws.on('error', () => {});

  async function onFrame(data: RawData, isBinary: boolean): Promise<void> {
    if (ws.readyState !== ws.OPEN) return;
    const raw = isBinary ? null : data.toString();
    const frame = raw === null ? null : parseFrame<VisitorClientFrame>(raw, VISITOR_CLIENT_TYPES);
    if (!conn) {
      if (authing) return;
      if (!frame || frame.type !== 'auth') return closeSocket(ws, CLOSE.PROTOCOL_ERROR, 'first frame must be auth');
      authing = true;
      // The handshake has one outcome whatever happens: `ready` or a close code.
      return authenticate(frame).catch((err) => {
        logFailure('visitor auth', err);
        closeSocket(ws, CLOSE.INTERNAL_ERROR, 'internal error');
      });
    }
    if (!frame) {
      if (raw !== null && isJsonObjectWithType(raw)) return refuse('unknown_type', 'unknown frame type');
      return refuse('malformed', 'frames are JSON objects with a known type');
    }
    if (frame.type !== 'send' && !frames.take()) return refuse('rate_limited', 'too many frames; slow down');
    switch (frame.type) {
      case 'auth':
        return refuse('malformed', 'already authenticated');
      case 'ping':
        return send({ type: 'pong' });
      case 'send':
        return onSend(conn, frame);
      case 'typing':
        if (typeof frame.typing !== 'boolean') return refuse('malformed', 'typing must be a boolean');
        return ctx.typing.offer({ kind: 'typing', conversationId: conn.conversationId, from: 'visitor', typing: frame.typing });
      case 'read': {
        if (!Number.isSafeInteger(frame.seq) || frame.seq < 0) return refuse('malformed', 'read.seq must be a non-negative integer');
        const seq = storableSeq(frame.seq);
        if (seq <= readSeq) return;
        readSeq = seq;
        // Written with the others of this window; the answer is the `unread` frame its conversation event asks for.
        return ctx.readReceipts.mark(conn.conversationId, 'visitor', seq);
      }
    }
  }

  async function authenticate(frame: Extract<VisitorClientFrame, { type: 'auth' }>): Promise<void> {
    const auth = await authenticateVisitor(ctx, frame.token);
    clearTimeout(authTimer);
    if (!auth.ok) return closeSocket(ws, auth.closeCode, auth.reason);
    if (ws.readyState !== ws.OPEN) return;
    const { visitor, app } = auth;
    closeAtExpiry(auth.expiresAtMs);
    if (!requestOriginAllowed(from.origin, from.host, app.domains)) return closeSocket(ws, CLOSE.ORIGIN_REFUSED, 'origin not trusted');
    // A conversation id that is not this visitor's is ignored (the visitor's own one is used).
    // One that cannot exist (see storable-input.ts) is not looked up.
    const named = possibleId(frame.conversationId);
    let conv = named === null ? null : await ctx.data.conversations.get(named);
    const resumed = conv !== null && conv.visitor_id === visitor.id;
    if (!resumed) conv = await ctx.data.conversations.ensure(visitor);
    const conversationId = conv!.id;
    const lastSeq = resumed && Number.isSafeInteger(frame.lastSeq) && frame.lastSeq! > 0 ? storableSeq(frame.lastSeq!) : 0;

    // Everything up to sentSeq has been sent on this socket, in seq order and
    // without gaps: live messages go straight out when they are the next one,
    // anything else (history, a gap, a message that arrived mid-catch-up) is
    // read from the DB by pump().
    let sentSeq = lastSeq;
    let started = false;
    let pumping: Promise<void> | null = null;
    let again = false;
    const pump = (): void => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = (async () => {
        do {
          again = false;
          for (;;) {
            const batch = await ctx.data.messages.after(conversationId, sentSeq, 200);
            for (const m of batch) {
              if (m.seq <= sentSeq) continue;
              send({ type: 'message', message: m });
              sentSeq = m.seq;
            }
            if (batch.length < 200 || ws.readyState !== ws.OPEN) break;
          }
        } while (again && ws.readyState === ws.OPEN);
      })()
        .catch((err) => logFailure('delivery', err))
        .finally(() => {
          pumping = null;
        });
    };
    const deliver = (m: MessageView, frame: string): void => {
      if (!started || pumping) {
        // `ready` not sent yet (the pump after it reads this too), or a catch-up is running: it reads again.
        again = true;
        return;
      }
      if (m.seq <= sentSeq) return;
      if (m.seq === sentSeq + 1) {
        sendText(ws, frame);
        sentSeq = m.seq;
        return;
      }
      pump();
    };

    // Not started yet: the pump after `ready` reads everything anyway.
    const catchUp = (): void => {
      if (started) pump();
      else again = true;
    };

    conn = { ws, visitorUid: visitor.uid, appid: app.appid, conversationId, deliver, catchUp };
    // Register before reading history, so nothing committed meanwhile is missed.
    ctx.hub.addVisitor(conn);
    const state = (await ctx.data.conversations.visitorReadState(conversationId))!;
    send({
      type: 'ready',
      conversationId,
      lastSeq: state.lastSeq,
      visitorReadSeq: state.visitorReadSeq,
      unread: state.unread,
      agentsOnline: ctx.hub.agentsOnline(app.appid),
    });
    started = true;
    pump();
  }

  /**
   * A token is checked once, at auth; the socket it opened lives no longer
   * than the token: closed with TOKEN_EXPIRED then (the widget gets a fresh
   * token and resumes). Re-armed in steps, as timers cannot wait past ~24 days.
   */
  function closeAtExpiry(expiresAtMs: number): void {
    const left = expiresAtMs - Date.now();
    if (left <= 0) return closeSocket(ws, CLOSE.TOKEN_EXPIRED, 'token expired');
    expiryTimer = setTimeout(() => closeAtExpiry(expiresAtMs), Math.min(left, MAX_TIMER_MS));
  }

  async function onSend(c: VisitorConn, frame: Extract<VisitorClientFrame, { type: 'send' }>): Promise<void> {
    const clientId = frame.clientId;
    // Every refusal of a send carries the clientId it was given (when it is a
    // string at all), so the widget can mark that message "Not sent".
    const ref = typeof clientId === 'string' ? clientId : undefined;
    const badId = clientIdProblem(clientId, LIMITS.clientId);
    if (badId) return refuse('malformed', `send.${badId}`, ref);
    const badText = messageProblem(frame.text, LIMITS.messageText);
    if (badText) return refuse(badText.code, badText.message, ref);
    if (!ctx.limits.messages.take(c.visitorUid)) return refuse('rate_limited', 'too many messages; retry later', ref);
    let message: MessageView;
    try {
      ({ message } = await ctx.data.messages.append({ conversationId: c.conversationId, author: 'visitor', text: frame.text, clientId: clientId as string }));
    } catch (err) {
      logFailure('visitor send', err);
      return send({ type: 'error', code: 'internal', message: 'internal error', ref });
    }
    // Committed: only now is the message acknowledged.
    send({ type: 'ack', clientId: clientId as string, message });
  }
}

function isJsonObjectWithType(raw: string): boolean {
  if (raw.length > LIMITS.frameBytes) return false;
  try {
    const v = JSON.parse(raw);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.type === 'string';
  } catch {
    return false;
  }
}
