/**
 * /v1/ws: one visitor socket. The first frame authenticates (token in the
 * frame, never the URL); then send / typing / read / ping. Every refusal is an
 * error frame or a documented close code; nothing a client sends can crash it.
 */
import type { WebSocket } from 'ws';
import { CLOSE, LIMITS, VISITOR_CLIENT_TYPES, parseFrame, type MessageView, type VisitorClientFrame, type VisitorServerFrame } from '../../src/shared/wire-protocol.js';
import type { ServerContext } from '../context.js';
import type { VisitorConn } from '../hub.js';
import { authenticateVisitor } from '../visitor-auth.js';
import { requestOriginAllowed } from '../domains.js';
import type { RequestPlace } from '../visitor-session.js';
import { clientIdProblem, possibleId, storableSeq } from '../storable-input.js';
import { claimAttachments, sendProblem } from '../attachment-upload.js';
import { sendFrame, sendText } from './send.js';
import { SocketSession } from './socket-session.js';
import { logFailure } from '../failure-log.js';
import { checkPageView, cleanEnvironment } from '../../src/shared/visitor-context.js';
import type { TrailVisitor } from '../data/visit-trail.js';

/** The longest delay setTimeout honours (2^31 - 1 ms); longer ones fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Messages read from the DB per query when a socket catches up. */
const CATCH_UP_PAGE = 200;

type AuthFrame = Extract<VisitorClientFrame, { type: 'auth' }>;
type SendFrame = Extract<VisitorClientFrame, { type: 'send' }>;

/** `from`: the upgrade request's Origin and Host, checked against the app once the auth frame names it. */
export function handleVisitorSocket(ctx: ServerContext, ws: WebSocket, from: RequestPlace): void {
  new VisitorSocket(ctx, ws, from);
}

class VisitorSocket extends SocketSession<VisitorServerFrame> {
  /** Registered with the hub once authenticated. */
  private conn: VisitorDelivery | null = null;
  private authing = false;
  /** Highest seq this socket has said it read: a lower or equal one changes nothing. */
  private readSeq = 0;
  /** Cancels the close at the token's expiry (armed at auth). */
  private cancelExpiry: () => void = () => {};
  /** The authenticated visitor, for its page reports and environment. */
  private visitor: TrailVisitor | null = null;
  /** This socket's page reports (the host sends at most one a second). */
  private readonly pages = this.ctx.limits.socketPages();
  private envStored = false;
  /** Frames are handled one at a time, in order, so acks keep the send order. */
  private chain: Promise<void> = Promise.resolve();

  constructor(
    ctx: ServerContext,
    ws: WebSocket,
    private readonly from: RequestPlace,
  ) {
    super(ctx, ws);
  }

  protected received(raw: string | null): void {
    this.chain = this.chain
      .then(() => this.onFrame(raw))
      .catch((err) => {
        logFailure('visitor frame', err);
        this.send({ type: 'error', code: 'internal', message: 'internal error' });
      });
  }

  protected closed(): void {
    this.cancelExpiry();
    if (this.conn) this.ctx.hub.removeVisitor(this.conn);
  }

  private async onFrame(raw: string | null): Promise<void> {
    const { ws, ctx } = this;
    if (ws.readyState !== ws.OPEN) return;
    const frame = raw === null ? null : parseFrame<VisitorClientFrame>(raw, VISITOR_CLIENT_TYPES);
    const conn = this.conn;
    if (!conn) {
      if (this.authing) return;
      if (!frame || frame.type !== 'auth') return this.closeWith(CLOSE.PROTOCOL_ERROR, 'first frame must be auth');
      this.authing = true;
      // The handshake has one outcome whatever happens: `ready` or a close code.
      return this.authenticate(frame).catch((err) => {
        logFailure('visitor auth', err);
        this.closeWith(CLOSE.INTERNAL_ERROR, 'internal error');
      });
    }
    if (!frame) {
      if (raw !== null && isJsonObjectWithType(raw)) return this.refuse('unknown_type', 'unknown frame type');
      return this.refuse('malformed', 'frames are JSON objects with a known type');
    }
    if (frame.type !== 'send' && !this.frames.take()) return this.refuse('rate_limited', 'too many frames; slow down');
    switch (frame.type) {
      case 'auth':
        return this.refuse('malformed', 'already authenticated');
      case 'ping':
        return this.send({ type: 'pong' });
      case 'send':
        return this.onSend(conn, frame);
      case 'typing':
        if (typeof frame.typing !== 'boolean') return this.refuse('malformed', 'typing must be a boolean');
        return ctx.typing.offer({ kind: 'typing', conversationId: conn.conversationId, from: 'visitor', typing: frame.typing, appid: conn.appid });
      case 'page': {
        if (!this.pages.take()) return this.refuse('rate_limited', 'too many page reports; slow down');
        const page = checkPageView(frame);
        if (typeof page === 'string') return this.refuse('malformed', `page: ${page}`);
        await ctx.data.visitTrail.record(this.visitor!, page, new Date());
        return;
      }
      case 'env': {
        // Once per socket is all the widget sends (once per session, in fact): more is a client gone wrong.
        if (this.envStored) return this.refuse('malformed', 'env was already sent on this socket');
        this.envStored = true;
        return ctx.data.visitTrail.setEnvironment(this.visitor!.id, cleanEnvironment(frame));
      }
      case 'read': {
        if (!Number.isSafeInteger(frame.seq) || frame.seq < 0) return this.refuse('malformed', 'read.seq must be a non-negative integer');
        const seq = storableSeq(frame.seq);
        if (seq <= this.readSeq) return;
        this.readSeq = seq;
        // Written with the others of this window; the answer is the `unread` frame its conversation event asks for.
        return ctx.readReceipts.mark(conn.conversationId, 'visitor', seq);
      }
    }
  }

  private async authenticate(frame: AuthFrame): Promise<void> {
    const { ws, ctx } = this;
    const auth = await authenticateVisitor(ctx, frame.token);
    this.authSettled();
    if (!auth.ok) return this.closeWith(auth.closeCode, auth.reason);
    if (ws.readyState !== ws.OPEN) return;
    const { visitor, app } = auth;
    this.closeAtExpiry(auth.expiresAtMs);
    if (!requestOriginAllowed(this.from.origin, this.from.host, app.domains)) return this.closeWith(CLOSE.ORIGIN_REFUSED, 'origin not trusted');
    // A conversation id that is not this visitor's is ignored (the visitor's own one is used).
    // One that cannot exist (see storable-input.ts) is not looked up.
    const named = possibleId(frame.conversationId);
    let conv = named === null ? null : await ctx.data.conversations.get(named);
    const resumed = conv !== null && conv.visitor_id === visitor.id;
    if (!resumed) conv = await ctx.data.conversations.ensure(visitor);
    const conversationId = conv!.id;
    const lastSeq = resumed && Number.isSafeInteger(frame.lastSeq) && frame.lastSeq! > 0 ? storableSeq(frame.lastSeq!) : 0;

    this.visitor = { id: visitor.id, uid: visitor.uid, appid: app.appid };
    const conn = new VisitorDelivery(ctx, ws, { visitorUid: visitor.uid, appid: app.appid, conversationId }, lastSeq);
    this.conn = conn;
    // Register before reading history, so nothing committed meanwhile is missed.
    ctx.hub.addVisitor(conn);
    // The hub's unread count of this conversation starts from what `ready` reads (no query of its own).
    const seedUnread = ctx.hub.unreadSeeder(conversationId);
    const [state, status] = await Promise.all([
      ctx.data.conversations.visitorReadState(conversationId),
      ctx.data.conversations.visitorStatuses([conversationId]).then((m) => m.get(conversationId)),
    ]);
    // Deleted after it was looked up and before this socket was registered (its event went by): as the hub says it.
    if (!state || !status) {
      this.send({ type: 'deleted', conversationId });
      return this.closeWith(CLOSE.GOING_AWAY, 'conversation deleted');
    }
    this.send({
      type: 'ready',
      conversationId,
      lastSeq: state.lastSeq,
      visitorReadSeq: state.visitorReadSeq,
      unread: state.unread,
      agentsOnline: ctx.hub.agentsOnline(app.appid),
      status: status.status,
      rating: status.rating,
    });
    ctx.hub.queueStatus(conversationId, { type: 'status', conversationId, status: status.status, rating: status.rating });
    seedUnread(state);
    conn.start();
  }

  /**
   * A token is checked once, at auth; the socket it opened lives no longer
   * than the token: closed with TOKEN_EXPIRED then (the widget gets a fresh
   * token and resumes). Expiry is wall-clock time (ctx.now, as the token's
   * claim), the wait until then runs on the server's timers (ctx.clock); both
   * are the test's to step. Re-armed in steps, as timers cannot wait past ~24 days.
   */
  private closeAtExpiry(expiresAtMs: number): void {
    const left = expiresAtMs - this.ctx.now();
    if (left <= 0) return this.closeWith(CLOSE.TOKEN_EXPIRED, 'token expired');
    this.cancelExpiry = this.ctx.clock.after(Math.min(left, MAX_TIMER_MS), () => this.closeAtExpiry(expiresAtMs));
  }

  private async onSend(c: VisitorConn, frame: SendFrame): Promise<void> {
    const { ctx } = this;
    const clientId = frame.clientId;
    // Every refusal of a send carries the clientId it was given (when it is a
    // string at all), so the widget can mark that message "Not sent".
    const ref = typeof clientId === 'string' ? clientId : undefined;
    const badId = clientIdProblem(clientId, LIMITS.clientId);
    if (badId) return this.refuse('malformed', `send.${badId}`, ref);
    const badText = sendProblem(frame.text, frame.attachments, LIMITS.messageText);
    if (badText) return this.refuse(badText.code, badText.message, ref);
    if (!ctx.limits.messages.take(c.visitorUid)) return this.refuse('rate_limited', 'too many messages; retry later', ref);
    let message: MessageView;
    try {
      const attachments = await claimAttachments(ctx, c.conversationId, { kind: 'visitor', uid: c.visitorUid }, frame.attachments, clientId as string);
      if (!attachments) return this.refuse('invalid_attachment', 'an attachment is not a file you uploaded to this conversation', ref);
      ({ message } = await ctx.data.messages.append({ conversationId: c.conversationId, author: 'visitor', text: frame.text, clientId: clientId as string, attachments }));
    } catch (err) {
      logFailure('visitor send', err);
      return this.send({ type: 'error', code: 'internal', message: 'internal error', ref });
    }
    // Committed: only now is the message acknowledged.
    this.send({ type: 'ack', clientId: clientId as string, message });
  }
}

/**
 * An authenticated visitor socket as the hub sees it: its conversation's
 * messages go out in seq order without gaps. Everything up to sentSeq has
 * been sent on this socket; live messages go straight out when they are the
 * next one, anything else (history, a gap, a message that arrived mid-catch-up)
 * is read from the DB by pump().
 */
class VisitorDelivery implements VisitorConn {
  readonly visitorUid: string;
  readonly appid: string;
  readonly conversationId: string;
  private sentSeq: number;
  /** `ready` has been sent: from now on messages may go out. */
  private started = false;
  private pumping: Promise<void> | null = null;
  /** Something may have been stored since the running pump read: it reads again. */
  private again = false;

  constructor(
    private readonly ctx: ServerContext,
    readonly ws: WebSocket,
    who: { visitorUid: string; appid: string; conversationId: string },
    lastSeq: number,
  ) {
    this.visitorUid = who.visitorUid;
    this.appid = who.appid;
    this.conversationId = who.conversationId;
    this.sentSeq = lastSeq;
  }

  /** After `ready`: sends what was stored after the resume point. */
  start(): void {
    this.started = true;
    this.pump();
  }

  deliver(m: MessageView, frame: string): void {
    if (!this.started || this.pumping) {
      // `ready` not sent yet (the pump after it reads this too), or a catch-up is running: it reads again.
      this.again = true;
      return;
    }
    if (m.seq <= this.sentSeq) return;
    if (m.seq === this.sentSeq + 1) {
      sendText(this.ws, frame);
      this.sentSeq = m.seq;
      return;
    }
    this.pump();
  }

  catchUp(): void {
    // Not started yet: the pump after `ready` reads everything anyway.
    if (this.started) this.pump();
    else this.again = true;
  }

  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    const { ws } = this;
    this.pumping = (async () => {
      do {
        this.again = false;
        for (;;) {
          const batch = await this.ctx.data.messages.after(this.conversationId, this.sentSeq, CATCH_UP_PAGE);
          for (const m of batch) {
            if (m.seq <= this.sentSeq) continue;
            sendFrame(ws, { type: 'message', message: m } satisfies VisitorServerFrame);
            this.sentSeq = m.seq;
          }
          if (batch.length < CATCH_UP_PAGE || ws.readyState !== ws.OPEN) break;
        }
      } while (this.again && ws.readyState === ws.OPEN);
    })()
      .catch((err) => logFailure('delivery', err))
      .finally(() => {
        this.pumping = null;
      });
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
