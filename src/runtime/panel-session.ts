/**
 * The panel's session: everything between the boot data the host handed over
 * and the chat view. It creates or resumes the visitor over HTTP, opens the
 * WebSocket, keeps the conversation, the outbox and the unread count, and
 * reports the lifecycle to the host in the order the spec's table gives.
 * It knows nothing about rendering; the view subscribes to its state.
 */
import type { ConnectionStatus, SurfaceBoot, SurfaceEventName, SurfaceEvents, CardContent } from '../shared/bridge-protocol.js';
import type { AuthClosedPayload, ConversationRating, ConversationSummary, ConversationStatus, LoginTriple, MessageView, RatingValue, ReplyTime, VisitorProfile, VisitorServerFrame, VisitorSessionResponse } from '../shared/wire-protocol.js';
import { agentAvatarPath } from '../shared/wire-protocol.js';
import type { AttachmentView } from '../shared/attachments.js';
import { messageLine } from '../shared/message-line.js';
import { Connection, type ConnectionOptions } from './connection.js';
import { Conversation } from './conversation.js';
import { Outbox, OutboxFullError, type OutboxEntry } from './outbox.js';
import { SessionApi, type FetchLike } from './session.js';
import { Refusal } from './refusal.js';
import { UnreadTracker } from './unread.js';
import { backoffDelay } from '../shared/backoff.js';
import type { PageView, VisitorEnvironment } from '../shared/visitor-context.js';
import { visitorEnvironment } from './environment.js';

export type Emit = <K extends SurfaceEventName>(name: K, payload: SurfaceEvents[K]) => void;

export interface PanelState {
  phase: 'booting' | 'active' | 'auth_closed' | 'failed';
  status: ConnectionStatus;
  messages: readonly MessageView[];
  outbox: readonly OutboxEntry[];
  unread: number;
  visitorReadSeq: number;
  agentsOnline: number;
  /** Name of the agent typing now, '' for an unnamed one, null when nobody types. */
  agentTyping: string | null;
  appName: string;
  greeting: string;
  /** How soon the team usually replies (app setting), '' when the app does not say. */
  replyTime: ReplyTime | '';
  /** Set when the outbox refused a message because it is full. */
  outboxFull: boolean;
  authClosed: AuthClosedPayload | null;
  /** The conversation's state: resolved by an agent, the panel offers a rating (writing again reopens it). */
  conversationStatus: ConversationStatus;
  /** The visitor's rating of the current resolution, or null. */
  rating: ConversationRating | null;
}

export interface PanelSessionOptions {
  boot: SurfaceBoot;
  /** The widget origin W (the panel's own origin). */
  server: string;
  emit: Emit;
  fetch?: FetchLike;
  /** Test doubles for the socket layer. */
  WebSocket?: ConnectionOptions['WebSocket'];
  random?: () => number;
  win?: ConnectionOptions['win'];
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  /** Waits before retrying a rate-limited session request (test double: records the delay). */
  sleep?: (ms: number) => Promise<void>;
  /** The browser's environment for the agents (test double); default: environment.ts. */
  environment?: () => VisitorEnvironment;
  /** An agent message stored after the socket became ready: a new one, not history or a resume's catch-up (the tone, config `sound`). */
  onAgentMessage?: (message: MessageView) => void;
}

const BOOT_FAILURE_REASONS = ['domain_not_whitelisted', 'login_failed', 'invalid_bootstrap', 'timeout'];

export class PanelSession {
  /** The HTTP calls; the chat UI's lazy ones (visitor-requests.ts) go through it with `token`. */
  readonly api: SessionApi;
  private readonly conversation = new Conversation();
  private readonly outbox: Outbox;
  private readonly unread: UnreadTracker;
  private connection: Connection | null = null;
  /** The visitor's current token (renewed on expiry); the chat UI's uploads (attachment-uploads.ts) send it too. */
  token = '';
  private identity: { bs: string; bs_mm: string; fk_id: string } | undefined;
  private login: LoginTriple | undefined;
  private profile: VisitorProfile | undefined;
  private lastCard: string | undefined;
  /** The conversation's last seq when the socket was last ready: messages above it are new (see onAgentMessage). */
  private liveAfter = Infinity;
  /** The host page the visitor is on (bridge command `page_view`), sent at every `ready` and when it changes. */
  private page: PageView | undefined;
  /** The environment went out on a socket: once per session is enough (the server keeps it). */
  private envSent = false;
  private readonly listeners = new Set<(s: PanelState) => void>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private started: Promise<void> | undefined;
  private disposed = false;
  state: PanelState;

  constructor(private readonly o: PanelSessionOptions) {
    this.api = new SessionApi({ server: o.server, fetch: o.fetch });
    this.outbox = new Outbox({ key: `twt:outbox:${o.boot.appid}`, storage: o.storage });
    this.unread = new UnreadTracker((count) => {
      this.update({ unread: count });
      this.o.emit('unread_count_changed', { count });
    });
    this.identity = o.boot.clue ? { bs: o.boot.clue.bs, bs_mm: o.boot.clue.bs_mm, fk_id: o.boot.clue.fk_id ?? '' } : undefined;
    this.login = o.boot.login;
    this.profile = o.boot.profile;
    this.state = {
      phase: 'booting',
      status: 'disconnected',
      messages: [],
      outbox: this.outbox.list(),
      unread: 0,
      visitorReadSeq: 0,
      agentsOnline: 0,
      agentTyping: null,
      appName: o.boot.app?.name ?? '',
      greeting: o.boot.app?.greeting ?? '',
      replyTime: '',
      outboxFull: false,
      authClosed: null,
      conversationStatus: 'open',
      rating: null,
    };
  }

  /** The URL of the avatar of agent `agentId` (an agent message's authorAgentId) as this app's visitors get it. */
  avatarUrl(agentId: number): string {
    return this.o.server + agentAvatarPath(this.o.boot.appid, agentId);
  }

  subscribe(fn: (s: PanelState) => void): () => void {
    this.listeners.add(fn);
    fn(this.state);
    return () => this.listeners.delete(fn);
  }

  /** Runs the boot sequence; lifecycle events go to the host as each step completes. */
  start(): Promise<void> {
    this.started ??= this.boot();
    return this.started;
  }

  private async boot(): Promise<void> {
    let session: VisitorSessionResponse;
    try {
      session = await this.createSession(this.login);
    } catch (err) {
      // A document being unloaded (its iframe taken out of the page) sees its requests cut off: that is no
      // failure of the widget, and the host may already be talking to the reloaded panel.
      if (this.disposed) return;
      const e = err instanceof Refusal ? err : new Refusal('invalid_bootstrap', String(err));
      const reason = BOOT_FAILURE_REASONS.includes(e.reason) ? e.reason : 'invalid_bootstrap';
      this.update({ phase: 'failed' });
      this.o.emit('bootstrap_failed', { reason, source: 'visitor_session', mode: 'embedded', message: e.message });
      return;
    }
    if (this.disposed) return;
    this.outbox.claim(session.visitor.visitorUid);
    await this.activate(session);
  }

  /** Host command `login`: a new business user. The old session keeps running if the new one is refused. */
  async relogin(triple: LoginTriple, profile: VisitorProfile): Promise<void> {
    // Never race the first boot: the new identity replaces a finished one.
    await this.started;
    const session = await this.createSession(triple, profile);
    this.connection?.stop();
    this.connection = null;
    this.conversation.reset();
    this.liveAfter = Infinity;
    this.outbox.clear();
    this.login = triple;
    this.profile = { ...this.profile, ...profile };
    this.unread.reset();
    this.update({ messages: [], outbox: [], authClosed: null, phase: 'booting', agentTyping: null });
    await this.activate(session);
  }

  /** Queues and sends a visitor message (with uploaded files). Returns false (and flags the notice) when the outbox is full. */
  send(text: string, attachments?: AttachmentView[]): boolean {
    let entry: OutboxEntry;
    try {
      entry = this.outbox.add(text, attachments);
    } catch (err) {
      if (err instanceof OutboxFullError) this.update({ outboxFull: true });
      return false;
    }
    this.update({ outbox: this.outbox.list(), outboxFull: false });
    this.sendEntry(entry);
    return true;
  }

  /** Sends a failed message again; `attachments`: its files uploaded again (attachment-uploads.ts), instead of the ones it named. */
  retry(clientId: string, attachments?: AttachmentView[]): void {
    const entry = this.outbox.retry(clientId, attachments);
    this.update({ outbox: this.outbox.list() });
    if (entry) this.sendEntry(entry);
  }

  private sendEntry(e: OutboxEntry): void {
    this.connection?.send({ type: 'send', clientId: e.clientId, text: e.text, attachments: e.attachments?.map((a) => a.id) });
  }

  /** The visitor has seen everything up to `seq` (panel maximized, message on screen). */
  markSeen(seq: number): void {
    if (this.unread.markRead(seq)) {
      this.update({ visitorReadSeq: this.unread.visitorReadSeq });
      this.connection?.send({ type: 'read', seq });
      this.reportCard();
    }
  }

  /**
   * Host command `page_view` (already checked): the visitor is on this page now. Sent at once when connected,
   * else with the next `ready`; the same page twice in a row is sent once.
   */
  reportPage(page: PageView): void {
    if (this.page && this.page.url === page.url && this.page.title === page.title) return;
    this.page = page;
    this.connection?.send({ type: 'page', ...page });
  }

  /** The visitor is typing (the view calls this on input); stops by itself after 3 s. */
  typing(): void {
    if (this.typingTimer === undefined) this.connection?.send({ type: 'typing', typing: true });
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => {
      this.typingTimer = undefined;
      this.connection?.send({ type: 'typing', typing: false });
    }, 3000);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.typingTimer);
    this.connection?.stop();
    this.connection = null;
    this.listeners.clear();
  }

  // -------------------------------------------------------------------------

  /**
   * Creates (or renews) the session. A `rate_limited` refusal (too many sessions from this address or for
   * this app) is not a failure: it is asked again after the server's Retry-After, or the reconnect backoff
   * if that is longer, until it succeeds or the panel is disposed.
   */
  private async createSession(login: LoginTriple | undefined, profile?: VisitorProfile): Promise<VisitorSessionResponse> {
    const b = this.o.boot;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.api.createSession({
          appid: b.appid,
          hostOrigin: b.hostOrigin,
          // With a login too: on a first login the anonymous visitor's conversation carries over to the business
          // user; the server never hands a business user's visitor to an anonymous clue (server/visitor-session.ts).
          clue: this.identity,
          login,
          profile: { ...this.profile, ...profile },
          locale: b.locale,
        });
      } catch (err) {
        if (!(err instanceof Refusal) || err.reason !== 'rate_limited' || this.disposed) throw err;
        const delay = Math.max(err.retryAfterMs, backoffDelay(attempt, this.o.random));
        await (this.o.sleep ?? ((ms) => new Promise<void>((r) => setTimeout(r, ms))))(delay);
        if (this.disposed) throw err;
      }
    }
  }

  private async activate(session: VisitorSessionResponse): Promise<void> {
    this.adoptSession(session);
    const v = session.visitor;
    this.o.emit('visitor_auth_ready', { bs: v.bs, bs_mm: v.bs_mm, fk_id: v.fkid, fkid: v.fkid, hasToken: true, source: v.source, visitorUid: v.visitorUid });
    // The session answer lists the conversations (no request of its own at boot); the socket's `ready` frame
    // carries the same facts, so an answer without the list (an older server) only loses the head start.
    const current = Array.isArray(session.conversations) ? session.conversations[0] : undefined;
    if (current) {
      this.conversation.id = current.id;
      this.unread.markRead(current.visitorReadSeq);
    }
    this.update({ phase: 'active', visitorReadSeq: this.unread.visitorReadSeq });
    this.o.emit('runtime_activated', {});
    this.unread.report();
    this.reportCard(true);
    this.openConnection();
  }

  private adoptSession(session: VisitorSessionResponse): void {
    this.token = session.token;
    const v = session.visitor;
    this.identity = { bs: v.bs, bs_mm: v.bs_mm, fk_id: v.fkid };
    this.update({ appName: session.app.name || this.state.appName, greeting: session.app.greeting || this.state.greeting, agentsOnline: session.app.agentsOnline, replyTime: session.app.replyTime ?? '' });
  }

  private openConnection(): void {
    const wsUrl = this.o.server.replace(/^http/, 'ws') + '/v1/ws';
    let wasConnected = false;
    const connection = new Connection({
      url: wsUrl,
      WebSocket: this.o.WebSocket,
      random: this.o.random,
      win: this.o.win,
      authFrame: () => ({ type: 'auth', token: this.token, conversationId: this.conversation.id, lastSeq: this.conversation.lastSeq }),
      refreshToken: async () => {
        // The clue of this visitor (or the business login) yields a fresh token for the same identity.
        this.adoptSession(await this.createSession(this.login));
      },
      onFrame: (f) => this.onFrame(f),
      onStatus: (status) => {
        this.update({ status, agentTyping: status === 'connected' ? this.state.agentTyping : null });
        this.o.emit('connection_state_changed', { status });
        if (status === 'connected') {
          wasConnected = true;
          this.o.emit('session_connected', { status: 'connected' });
        } else if (wasConnected) {
          wasConnected = false;
          this.o.emit('session_disconnected', { status });
        }
      },
      onAuthClosed: (payload) => {
        this.update({ phase: 'auth_closed', authClosed: payload });
        this.o.emit('auth_closed', payload);
      },
    });
    this.connection = connection;
    connection.start();
  }

  private onFrame(f: VisitorServerFrame): void {
    switch (f.type) {
      case 'ready': {
        // Another conversation than the one shown (it was deleted while this panel was away): none of it stays.
        if (this.conversation.id !== f.conversationId) this.forget();
        this.conversation.id = f.conversationId;
        this.liveAfter = f.lastSeq;
        this.unread.markRead(f.visitorReadSeq);
        // Our own read position got ahead while offline: tell the server.
        if (this.unread.visitorReadSeq > f.visitorReadSeq) this.connection?.send({ type: 'read', seq: this.unread.visitorReadSeq });
        this.update({ agentsOnline: f.agentsOnline, visitorReadSeq: this.unread.visitorReadSeq, conversationStatus: f.status ?? 'open', rating: f.rating ?? null });
        for (const e of this.outbox.sendable()) this.sendEntry(e);
        // The agents' context: where the visitor is now (the server keeps one row per page change), and once, the environment.
        if (!this.envSent) this.envSent = !!this.connection?.send({ type: 'env', ...(this.o.environment ?? visitorEnvironment)() });
        if (this.page) this.connection?.send({ type: 'page', ...this.page });
        break;
      }
      case 'message':
        this.receive(f.message);
        break;
      case 'ack':
        this.receive(f.message);
        if (this.outbox.ack(f.clientId)) this.update({ outbox: this.outbox.list(), outboxFull: false });
        break;
      case 'typing':
        this.update({ agentTyping: f.typing ? (f.authorName ?? '') : null });
        break;
      case 'unread':
        if (this.unread.markRead(f.visitorReadSeq)) this.update({ visitorReadSeq: this.unread.visitorReadSeq });
        this.reportCard();
        break;
      case 'presence':
        this.update({ agentsOnline: f.agentsOnline });
        break;
      case 'status':
        if (f.conversationId === this.conversation.id) this.update({ conversationStatus: f.status, rating: f.rating });
        break;
      case 'deleted':
        // The socket closes next and resumes in another conversation; unsent messages wait in the outbox for it.
        if (f.conversationId === this.conversation.id) this.forget();
        break;
      case 'error':
        if (f.ref) {
          this.outbox.fail(f.ref, f.code);
          this.update({ outbox: this.outbox.list() });
        }
        break;
      case 'pong':
        break;
    }
  }

  /** The conversation the panel is in (null before the socket's first `ready`). */
  get conversationId(): string | null {
    return this.conversation.id ?? null;
  }

  /** The visitor started conversation `id` (visitor-requests.ts asked the server for it): the chat starts empty and the socket resumes there. */
  moveTo(id: string): void {
    this.connection?.stop();
    this.forget();
    this.conversation.id = id;
    this.openConnection();
  }

  /** Shows none of the current conversation any more (left, or deleted): no message, no unread, no card. */
  private forget(): void {
    this.conversation.reset();
    this.liveAfter = Infinity;
    this.unread.reset();
    this.update({ messages: [], conversationStatus: 'open', rating: null, agentTyping: null, visitorReadSeq: 0 });
    this.reportCard();
  }

  /** The visitor's conversations, newest first (the history list). */
  async pastConversations(): Promise<ConversationSummary[]> {
    return (await this.api.conversations(this.token)).conversations;
  }

  /** A conversation's messages, to read (the history; the server answers only the visitor's own). */
  async readConversation(id: string): Promise<MessageView[]> {
    return (await this.api.messages(this.token, id, 0)).messages;
  }

  /**
   * Rates the resolved conversation (good / bad, an optional comment; re-rating replaces it). Rejects with the
   * server's Refusal (e.g. `not_resolved` when it was reopened meanwhile); the `status` frame that follows updates
   * every panel of the visitor.
   */
  async rate(value: RatingValue, comment: string): Promise<void> {
    const id = this.conversation.id;
    if (!id) throw new Refusal('not_found', 'no conversation yet');
    const { rating } = await this.api.rate(this.token, id, value, comment);
    this.update({ rating });
  }

  private receive(message: MessageView): void {
    if (!this.conversation.add(message)) return;
    // A visitor message stored from another tab or a resend: its outbox entry is done.
    if (message.author === 'visitor' && message.clientId && this.outbox.ack(message.clientId)) {
      this.update({ outbox: this.outbox.list() });
    }
    const update: Partial<PanelState> = { messages: this.conversation.messages };
    if (message.author === 'agent') update.agentTyping = null;
    this.update(update);
    this.unread.add(message);
    this.reportCard();
    if (message.author === 'agent' && message.seq > this.liveAfter) this.o.onAgentMessage?.(message);
  }

  private reportCard(force = false): void {
    const m = this.unread.newestUnread(this.conversation.messages);
    const card: CardContent | null = m ? { kind: 'message', text: messageLine(m), ...(m.authorName ? { author: m.authorName } : {}) } : null;
    const key = JSON.stringify(card);
    if (!force && key === this.lastCard) return;
    this.lastCard = key;
    this.o.emit('card_content', { card });
  }

  private update(patch: Partial<PanelState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }
}
