/**
 * The fan-out hub of one process: which visitor and agent sockets are open
 * here, and what to push when an event arrives. Every change goes out as a
 * NOTIFY and comes back through LISTEN (including to this process), so one
 * process and many behave alike.
 *
 * Cost per message is kept flat: the stored row arrives inside the NOTIFY
 * (no read-back), each frame is serialised once for all sockets, and the
 * derived state (visitor unread counts, agents' conversation summaries,
 * presence announcements) is coalesced and loaded in one batched query per
 * short window instead of once per message.
 *
 * Who is online in other processes (and whether those are alive) is kept by
 * RemotePresence; what to do after a lost LISTEN, by ListenCatchUp.
 */
import type { WebSocket } from 'ws';
import type { AgentServerFrame, MessageView, VisitorServerFrame } from '../src/shared/wire-protocol.js';
import { AGENT_ACTIVITY_TTL_MS, CLOSE } from '../src/shared/wire-protocol.js';
import { AgentsTyping } from './agents-typing.js';
import { EVENTS_CHANNEL, parseEvent, publish, type ServerEvent } from './events.js';
import type { Data } from './data/index.js';
import type { AgentRow } from './data/agents.js';
import { toMessageView, type MessageRow } from './data/messages.js';
import { randomId } from './auth.js';
import { closeSocket, sendText } from './ws/send.js';
import { Coalescer, takeSome } from './coalescer.js';
import { DEFAULT_PRESENCE_BEAT_MS, PRESENCE_CHUNK, RemotePresence } from './remote-presence.js';
import { ListenCatchUp } from './listen-catch-up.js';
import { AgentRowUpdates, type MessageRoute } from './agent-row-updates.js';
import { systemClock, type Clock } from './clock.js';
import { VisitorUnread } from './visitor-unread.js';
import { visitorPanelChange } from './visitor-panel-changes.js';
import type { VisitorReadState, VisitorStatusView } from './data/conversations.js';

export interface VisitorConn {
  ws: WebSocket;
  visitorUid: string;
  appid: string;
  conversationId: string;
  /** A stored message of this conversation, with its `message` frame already serialised: send it, or catch up from the DB if there is a gap. */
  deliver(message: MessageView, frame: string): void;
  /** Reads and sends whatever was stored after the last message sent (after a deaf spell, when no live message would reveal the gap). */
  catchUp(): void;
}

export interface AgentConn {
  ws: WebSocket;
  agent: AgentRow;
  /** What authenticated the socket: an API key (its id) or a console session (its ref). */
  keyId?: number;
  sessionRef?: string;
  /** It updates its rows from `message` frames (auth frame): no summary after an ordinary message (agent-row-updates.ts). */
  rowsFromMessages?: boolean;
}

/** How long unread counts for visitors are coalesced before one batched query. */
const UNREAD_WINDOW_MS = 20;
/** How long agents' conversation summaries are coalesced before one batched query. */
const SUMMARY_WINDOW_MS = 50;
/** Conversations (and visitors) summarised per batched query at most. */
const SUMMARY_BATCH = 500;
/** How long visitor presence changes are coalesced into one NOTIFY. */
const PRESENCE_WINDOW_MS = 50;

export class Hub {
  readonly proc = randomId(8);
  private visitorsByConv = new Map<string, Set<VisitorConn>>();
  private readonly agentsTyping = new AgentsTyping();
  /** The last `status` frame (JSON) this process sent for each conversation with visitors here: only a change is sent. */
  private statusSent = new Map<string, string>();
  private statusDirty = new Set<string>();
  /** New statuses heard with their value (resolve, reopen, rating events carry it): sent with the next batch, no query. */
  private statusHeard = new Map<string, VisitorStatusView>();
  /** The unread count of each conversation with visitors here, kept from events (visitor-unread.ts). */
  private readonly unread = new VisitorUnread();
  private visitorsByUid = new Map<string, Set<VisitorConn>>();
  private agents = new Set<AgentConn>();
  private closed = false;
  private readonly remote: RemotePresence;
  private readonly catchUp: ListenCatchUp;
  private readonly rowUpdates = new AgentRowUpdates();

  /** Conversations whose visitors here need a fresh `unread` frame. */
  private unreadDirty = new Set<string>();
  private unreadBatch = new Coalescer(UNREAD_WINDOW_MS, () => this.flushUnread());
  /** Conversations (by id or by visitor) whose summary the agents here need again. */
  private summaryDirty = { ids: new Set<string>(), visitorUids: new Set<string>() };
  private summaryBatch = new Coalescer(SUMMARY_WINDOW_MS, () => this.flushSummaries());
  /** Visitor presence changes not yet announced (latest state wins). */
  private presenceDirty = new Map<string, boolean>();
  private presenceBatch = new Coalescer(PRESENCE_WINDOW_MS, () => this.flushPresence());

  constructor(
    private readonly data: Data,
    options: { presenceBeatMs?: number; clock?: Clock } = {},
  ) {
    const beatMs = Math.max(1, options.presenceBeatMs ?? DEFAULT_PRESENCE_BEAT_MS);
    const clock = options.clock ?? systemClock;
    this.remote = new RemotePresence({
      proc: this.proc,
      beatMs,
      clock,
      emit: (e) => this.emit(e),
      isDeaf: () => this.catchUp.deaf,
      onSteadyTick: (now) => this.catchUp.pruneHeard(now),
      presenceChanged: (visitorUids, agentScopes) => {
        if (visitorUids.length) this.queueVisitorSummaries(visitorUids);
        if (agentScopes.length) this.pushAgentsOnline(agentScopes);
      },
      localVisitorUids: () => [...this.visitorsByUid.keys()],
      hasLocalVisitor: (uid) => this.visitorsByUid.has(uid),
      localAgents: () => [...new Map([...this.agents].map((a) => [a.agent.id, { id: a.agent.id, appid: a.agent.appid }])).values()],
    });
    this.catchUp = new ListenCatchUp({
      messages: data.messages,
      clock,
      beatMs,
      agentScopes: () => new Set([...this.agents].map((a) => a.agent.appid)),
      hasAgents: () => this.agents.size > 0,
      toAgents: (conversationId, appid, message) => this.messageToAgents(conversationId, appid, message, {}, 'caught-up'),
      resyncPresence: () => this.remote.resyncAfterDeafSpell(),
      catchUpVisitors: () => {
        for (const [id, set] of this.visitorsByConv) {
          for (const c of set) c.catchUp();
          // Read marks and messages may have gone unheard: the count is queried again.
          this.unread.forget(id);
          this.queueUnread(id);
          // A reopen (or resolve, or rating) may have gone unheard too.
          this.queueStatus(id);
        }
      },
    });
  }

  async start(): Promise<void> {
    this.catchUp.heardAnything();
    await this.data.store.listen(
      EVENTS_CHANNEL,
      (payload) => {
        this.catchUp.heardAnything();
        const event = parseEvent(payload);
        if (!event || this.closed) return;
        // The cache first (synchronously), so what the event's handling does next already sees it.
        this.data.cache.heard(event);
        this.handle(event).catch((err) => console.error('twt: event handling failed', err));
      },
      {
        onLost: () => this.catchUp.lost(),
        onResume: () => {
          this.catchUp.resumed();
          this.recheckAgents();
        },
      },
    );
    await this.remote.start();
  }

  /** Stops timers and batches; says goodbye so other processes drop this one's presence at once. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Pushes already being written finish before the store closes (the server closes it after this); none start.
    await Promise.all([this.unreadBatch.stop(), this.summaryBatch.stop(), this.presenceBatch.stop()]);
    this.catchUp.stop();
    await this.remote.stop();
  }

  emit(event: ServerEvent): Promise<void> {
    return publish(this.data.store, event);
  }

  // --- registry ---------------------------------------------------------
  addVisitor(c: VisitorConn): void {
    add(this.visitorsByConv, c.conversationId, c);
    this.unread.watch(c.conversationId);
    const firstHere = !this.visitorsByUid.get(c.visitorUid)?.size;
    add(this.visitorsByUid, c.visitorUid, c);
    if (firstHere) this.announceVisitor(c.visitorUid, true);
  }

  removeVisitor(c: VisitorConn): void {
    remove(this.visitorsByConv, c.conversationId, c);
    if (!this.visitorsByConv.has(c.conversationId)) {
      this.statusSent.delete(c.conversationId);
      this.unread.unwatch(c.conversationId);
    }
    if (remove(this.visitorsByUid, c.visitorUid, c) && !this.closed) this.announceVisitor(c.visitorUid, false);
  }

  addAgent(c: AgentConn): void {
    const firstHere = ![...this.agents].some((a) => a.agent.id === c.agent.id);
    this.agents.add(c);
    this.rowUpdates.added(c);
    if (firstHere) void this.emit({ kind: 'presence', proc: this.proc, agent: { id: c.agent.id, appid: c.agent.appid }, online: true }).catch(() => {});
  }

  removeAgent(c: AgentConn): void {
    if (!this.agents.delete(c)) return;
    this.rowUpdates.removed(c);
    const lastHere = ![...this.agents].some((a) => a.agent.id === c.agent.id);
    if (lastHere && !this.closed) void this.emit({ kind: 'presence', proc: this.proc, agent: { id: c.agent.id, appid: c.agent.appid }, online: false }).catch(() => {});
  }

  allSockets(): WebSocket[] {
    return [...[...this.visitorsByUid.values()].flatMap((s) => [...s].map((c) => c.ws)), ...[...this.agents].map((a) => a.ws)];
  }

  // --- who is online -----------------------------------------------------
  visitorOnline = (uid: string): boolean => {
    return !!this.visitorsByUid.get(uid)?.size || this.remote.hasVisitor(uid);
  };

  agentsOnline(appid: string): number {
    const ids = new Set<number>();
    for (const a of this.agents) if (a.agent.appid === null || a.agent.appid === appid) ids.add(a.agent.id);
    this.remote.collectAgents(appid, ids);
    return ids.size;
  }

  /** Sends the visitors here whose app is in one of these agent scopes (null: every app) their app's agentsOnline. */
  private pushAgentsOnline(scopes: readonly (string | null)[]): void {
    const all = scopes.includes(null);
    const frames = new Map<string, string>();
    for (const set of this.visitorsByUid.values())
      for (const c of set) {
        if (!all && !scopes.includes(c.appid)) continue;
        let text = frames.get(c.appid);
        if (text === undefined) frames.set(c.appid, (text = JSON.stringify({ type: 'presence', agentsOnline: this.agentsOnline(c.appid) } satisfies VisitorServerFrame)));
        sendText(c.ws, text);
      }
  }

  private announceVisitor(uid: string, online: boolean): void {
    this.presenceDirty.set(uid, online);
    this.presenceBatch.schedule();
  }

  private async flushPresence(): Promise<void> {
    const byState = new Map<boolean, string[]>([
      [true, []],
      [false, []],
    ]);
    for (const [uid, online] of this.presenceDirty) byState.get(online)!.push(uid);
    this.presenceDirty.clear();
    for (const [online, uids] of byState) {
      for (let i = 0; i < uids.length; i += PRESENCE_CHUNK) {
        await this.emit({ kind: 'presence', proc: this.proc, visitorUids: uids.slice(i, i + PRESENCE_CHUNK), online });
      }
    }
  }

  // --- batched pushes -----------------------------------------------------
  /**
   * A visitor socket registered (addVisitor) is about to read its `ready` state: call the result with it, so the
   * hub's count starts from it (no query) unless something changed meanwhile.
   */
  unreadSeeder(conversationId: string): (state: VisitorReadState) => void {
    return this.unread.seeder(conversationId);
  }

  /** Sends the visitors of this conversation (on this process) their unread count, soon and once per window. */
  queueUnread(conversationId: string): void {
    if (!this.visitorsByConv.has(conversationId)) return;
    this.unreadDirty.add(conversationId);
    this.unreadBatch.schedule();
  }

  /**
   * The visitor's panels learn when their conversation is resolved, reopened or rated (a `status` frame, sent with
   * the unread batch, only when it changed: conversation events also come from read marks and assignment).
   * `initial`: what a socket was told in its `ready` frame.
   */
  queueStatus(conversationId: string, initial?: VisitorServerFrame & { type: 'status' }): void {
    if (initial && !this.statusSent.has(conversationId)) this.statusSent.set(conversationId, JSON.stringify(initial));
    if (initial || !this.visitorsByConv.has(conversationId)) return;
    this.statusDirty.add(conversationId);
    this.unreadBatch.schedule();
  }

  private async flushStatuses(): Promise<void> {
    const ids = [...this.statusDirty].filter((id) => this.visitorsByConv.has(id));
    this.statusDirty.clear();
    // A value heard is sent as is; one that is queried as well is older than the query's answer.
    const heard = [...this.statusHeard].filter(([id]) => !ids.includes(id));
    this.statusHeard.clear();
    this.sendStatuses(heard);
    if (!ids.length) return;
    const statuses = await this.data.conversations.visitorStatuses(ids);
    // Gone from the store: deleted while this process was deaf (its event unheard, see ListenCatchUp): as if heard.
    for (const id of ids) if (!statuses.has(id)) this.closeDeletedForVisitors(id);
    this.sendStatuses(statuses);
  }

  /** Sends each conversation's visitors here its status, if it is not the one they were sent last. */
  private sendStatuses(statuses: Iterable<[string, VisitorStatusView]>): void {
    for (const [id, s] of statuses) {
      const text = JSON.stringify({ type: 'status', conversationId: id, status: s.status, rating: s.rating } satisfies VisitorServerFrame);
      if (this.statusSent.get(id) === text || !this.visitorsByConv.has(id)) continue;
      this.statusSent.set(id, text);
      for (const c of this.visitorsByConv.get(id) ?? []) sendText(c.ws, text);
    }
  }

  private async flushUnread(): Promise<void> {
    await this.flushStatuses();
    const ids = [...this.unreadDirty].filter((id) => this.visitorsByConv.has(id));
    this.unreadDirty.clear();
    if (!ids.length) return;
    // Known counts cost nothing; only unknown ones (a socket's first moments, after a deaf spell) are queried.
    const { counts, again } = await this.unread.counts(ids, (unknown) => this.data.conversations.visitorReadStates(unknown));
    for (const [id, s] of counts) {
      const text = JSON.stringify({ type: 'unread', count: s.count, visitorReadSeq: s.visitorReadSeq } satisfies VisitorServerFrame);
      for (const c of this.visitorsByConv.get(id) ?? []) sendText(c.ws, text);
    }
    for (const id of again) this.queueUnread(id);
  }

  /**
   * Queues a fresh summary of this conversation for the agents here (e.g.
   * after a visitor's profile changed): it goes out with the next batch,
   * within SUMMARY_WINDOW_MS, once however often it is queued meanwhile.
   */
  queueConversationPush(conversationId: string): void {
    if (!this.agents.size) return;
    this.summaryDirty.ids.add(conversationId);
    this.summaryBatch.schedule();
  }

  private queueVisitorSummaries(visitorUids: readonly string[]): void {
    if (!this.agents.size) return;
    for (const uid of visitorUids) this.summaryDirty.visitorUids.add(uid);
    this.summaryBatch.schedule();
  }

  private async flushSummaries(): Promise<void> {
    // At most SUMMARY_BATCH of each per query (a reconnect storm can mark thousands); the rest goes in the next window.
    const ids = takeSome(this.summaryDirty.ids, SUMMARY_BATCH);
    const visitorUids = takeSome(this.summaryDirty.visitorUids, SUMMARY_BATCH);
    if (this.summaryDirty.ids.size || this.summaryDirty.visitorUids.size) this.summaryBatch.schedule();
    if (!this.agents.size || (!ids.length && !visitorUids.length)) return;
    const convs = await this.data.conversations.forAgents({ ...(ids.length ? { ids } : {}), ...(visitorUids.length ? { visitorUids } : {}) }, this.visitorOnline);
    // Oldest first, so an agent's list ends with the newest on top.
    for (const conv of convs.reverse()) this.toAgents(conv.appid, { type: 'conversation', conversation: conv });
  }

  // --- events -----------------------------------------------------------
  private async handle(e: ServerEvent): Promise<void> {
    this.remote.heard(e);
    switch (e.kind) {
      case 'message': {
        // Until a catch-up after a deaf spell is done, agents' pushes wait (in seq order after what it reads).
        const forAgents = this.catchUp.admit(e) && this.agents.size > 0;
        const locals = this.visitorsByConv.get(e.conversationId);
        if (!locals?.size && !forAgents) return;
        // The row travels in the NOTIFY; only an oversized one is read back.
        const message = e.row ? toMessageView(e.row as unknown as MessageRow) : await this.data.messages.get(e.messageId);
        if (!message) return;
        if (locals?.size) {
          const frame = JSON.stringify({ type: 'message', message } satisfies VisitorServerFrame);
          for (const c of locals) c.deliver(message, frame);
          // A visitor's own message does not change what the visitor has unread; the one that reopened a resolved
          // conversation (messages.ts says so) changes its status. An ordinary message costs no status query.
          if (message.author !== 'visitor') {
            if (this.unread.message(e.conversationId, message.seq, message.author)) this.queueUnread(e.conversationId);
          } else if (e.reopened !== false) this.queueStatus(e.conversationId);
        }
        if (forAgents) await this.messageToAgents(e.conversationId, e.appid, message, e, 'live');
        return;
      }
      case 'conversation': {
        this.conversationChangedForVisitors(e);
        this.queueConversationPush(e.conversationId);
        return;
      }
      case 'typing': {
        if (e.from === 'visitor') {
          if (!this.agents.size) return;
          const appid = e.appid ?? (await this.data.conversations.appid(e.conversationId));
          if (appid) this.toAgents(appid, { type: 'typing', conversationId: e.conversationId, typing: e.typing });
        } else {
          // The visitor sees one "X is typing" however many agents type (agents-typing.ts).
          const shown = this.agentsTyping.change(e.conversationId, e.agentId ?? 0, e.authorName ?? '', e.typing);
          if (shown) {
            const text = JSON.stringify({ type: 'typing', ...shown } satisfies VisitorServerFrame);
            for (const c of this.visitorsByConv.get(e.conversationId) ?? []) sendText(c.ws, text);
          }
          // The other agents see who is typing (no two agents answering blind).
          if (e.agentId !== undefined && e.appid && this.agents.size) {
            this.toAgents(e.appid, {
              type: 'activity',
              conversationId: e.conversationId,
              agent: { id: e.agentId, name: e.authorName ?? '' },
              activity: 'typing',
              active: e.typing,
              ttlMs: AGENT_ACTIVITY_TTL_MS,
            });
          }
        }
        return;
      }
      case 'agent_activity': {
        this.toAgents(e.appid, { type: 'activity', conversationId: e.conversationId, agent: e.agent, activity: e.activity, active: e.active, ttlMs: AGENT_ACTIVITY_TTL_MS });
        return;
      }
      case 'visitor_page': {
        this.toAgents(e.appid, { type: 'visitor_page', visitorUid: e.visitorUid, appid: e.appid, page: e.page });
        return;
      }
      case 'conversation_deleted': {
        this.conversationDeleted(e.conversationId, e.appid);
        return;
      }
      case 'visitor_closed': {
        const reason = e.code === CLOSE.VISITOR_BANNED ? 'visitor banned' : 'token revoked';
        for (const c of [...(this.visitorsByUid.get(e.visitorUid) ?? [])]) closeSocket(c.ws, e.code, reason);
        return;
      }
      case 'app_disabled': {
        for (const set of this.visitorsByUid.values()) for (const c of [...set]) if (c.appid === e.appid) closeSocket(c.ws, CLOSE.APP_DISABLED, 'app disabled');
        return;
      }
      case 'app_changed':
        return; // only the data cache keeps app rows (it heard the event first, in start())
      case 'agent_revoked': {
        this.closeRevokedAgent(e.agentId);
        return;
      }
      case 'agent_changed': {
        // Its sockets here name it (typing, viewing) as it is now; the cache heard the event first.
        for (const a of this.agents) if (a.agent.id === e.agentId) a.agent = { ...a.agent, name: e.name, role: e.role };
        return;
      }
      case 'agent_key_revoked': {
        for (const a of [...this.agents]) if (a.keyId === e.keyId) closeSocket(a.ws, CLOSE.TOKEN_REVOKED, 'agent key revoked');
        return;
      }
      case 'agent_sessions_ended': {
        for (const a of [...this.agents]) {
          if (a.agent.id === e.agentId && a.sessionRef !== undefined && (e.sessionRef === undefined || e.sessionRef === a.sessionRef)) closeSocket(a.ws, CLOSE.TOKEN_REVOKED, 'signed out');
        }
        return;
      }
      case 'presence':
      case 'presence_hello':
      case 'presence_beat':
      case 'presence_bye':
        return this.remote.handle(e);
    }
  }

  /** A `conversation` event: the visitors' panels here get what it changed for them (visitor-panel-changes.ts). */
  private conversationChangedForVisitors(e: Extract<ServerEvent, { kind: 'conversation' }>): void {
    const id = e.conversationId;
    if (!this.visitorsByConv.has(id)) return;
    const change = visitorPanelChange(e);
    if (change.status === 'query') this.queueStatus(id);
    else if (change.status) {
      this.statusHeard.set(id, change.status);
      this.unreadBatch.schedule();
    }
    if (change.unread === 'query') {
      this.unread.forget(id);
      this.queueUnread(id);
    } else if (change.unread && this.unread.read(id, change.unread.visitorReadSeq)) this.queueUnread(id);
  }

  /**
   * A conversation was deleted: its panels here clear it (`deleted`) and their sockets close GOING_AWAY, so they
   * reconnect into another conversation rather than write into this one; the agents here who may see the app drop it.
   */
  private conversationDeleted(conversationId: string, appid: string): void {
    this.closeDeletedForVisitors(conversationId);
    this.statusDirty.delete(conversationId);
    this.statusHeard.delete(conversationId);
    this.unreadDirty.delete(conversationId);
    this.summaryDirty.ids.delete(conversationId);
    this.toAgents(appid, { type: 'conversation_deleted', conversationId });
  }

  /** The visitors' panels here on a deleted conversation: told (`deleted`), then closed GOING_AWAY. */
  private closeDeletedForVisitors(conversationId: string): void {
    const text = JSON.stringify({ type: 'deleted', conversationId } satisfies VisitorServerFrame);
    for (const c of [...(this.visitorsByConv.get(conversationId) ?? [])]) {
      sendText(c.ws, text);
      closeSocket(c.ws, CLOSE.GOING_AWAY, 'conversation deleted');
    }
    this.statusSent.delete(conversationId);
  }

  /**
   * A deleted agent (already out of the cache and refused from now on): its
   * sockets here closed with TOKEN_REVOKED. Synchronous, and right after the
   * cache heard it, so a socket authenticating meanwhile either gets the agent
   * refused or is registered already and closed here.
   */
  private closeRevokedAgent(agentId: number): void {
    for (const a of [...this.agents]) if (a.agent.id === agentId) closeSocket(a.ws, CLOSE.TOKEN_REVOKED, 'agent key revoked');
  }

  /**
   * Listening again after a deaf spell: an `agent_revoked`, `agent_key_revoked`
   * or `agent_sessions_ended` may have gone unheard. The agent cache starts
   * over, and sockets here whose agent was deactivated, whose key was revoked
   * or whose console session ended meanwhile are closed as if the event had arrived.
   */
  private recheckAgents(): void {
    this.data.cache.listenResumed();
    const ids = [...new Set([...this.agents].map((a) => a.agent.id))];
    if (!ids.length) return;
    const keyIds = [...new Set([...this.agents].flatMap((a) => (a.keyId === undefined ? [] : [a.keyId])))];
    const refs = [...new Set([...this.agents].flatMap((a) => (a.sessionRef === undefined ? [] : [a.sessionRef])))];
    Promise.all([this.data.agents.revokedIds(ids), this.data.agentKeys.revokedIds(keyIds), this.data.agentSessions.liveRefs(refs)])
      .then(([revoked, revokedKeys, liveRefs]) => {
        for (const id of revoked) {
          this.data.cache.forgetAgent(id);
          this.closeRevokedAgent(id);
        }
        // A key revoked or a session ended (sign-out, password reset) while this process was deaf.
        for (const keyId of revokedKeys) this.data.cache.forgetKey(keyId);
        for (const a of [...this.agents]) {
          if ((a.keyId !== undefined && revokedKeys.includes(a.keyId)) || (a.sessionRef !== undefined && !liveRefs.has(a.sessionRef))) closeSocket(a.ws, CLOSE.TOKEN_REVOKED, 'credentials revoked');
        }
      })
      .catch((err) => console.error('twt: re-checking agents after a lost LISTEN failed', err));
  }

  private async messageToAgents(conversationId: string, appid: string | undefined, message: MessageView, event: { reopened?: boolean }, route: MessageRoute): Promise<void> {
    const app = appid ?? (await this.data.conversations.appid(conversationId));
    if (!app) return;
    this.toAgents(app, { type: 'message', conversationId, message });
    // The message frame updates the agents' row; a summary only when it cannot (agent-row-updates.ts).
    if (this.rowUpdates.summaryAfter(message, event, route)) this.queueConversationPush(conversationId);
  }

  private toAgents(appid: string, frame: AgentServerFrame): void {
    let text: string | null = null;
    for (const a of this.agents) {
      if (a.agent.appid !== null && a.agent.appid !== appid) continue;
      text ??= JSON.stringify(frame);
      sendText(a.ws, text);
    }
  }
}

function add<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

/** Removes; returns true when the key's set became empty. */
function remove<K, V>(map: Map<K, Set<V>>, key: K, value: V): boolean {
  const set = map.get(key);
  if (!set || !set.delete(value)) return false;
  if (set.size) return false;
  map.delete(key);
  return true;
}
