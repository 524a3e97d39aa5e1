/**
 * The fan-out hub of one process: which visitor and agent sockets are open
 * here, who is online in other processes, and what to push when an event
 * arrives. Every change goes out as a NOTIFY and comes back through LISTEN
 * (including to this process), so one process and many behave alike.
 *
 * Cost per message is kept flat: the stored row arrives inside the NOTIFY
 * (no read-back), each frame is serialised once for all sockets, and the
 * derived state (visitor unread counts, agents' conversation summaries,
 * presence announcements) is coalesced and loaded in one batched query per
 * short window instead of once per message.
 */
import type { WebSocket } from 'ws';
import type { AgentServerFrame, MessageView, VisitorServerFrame } from '../src/protocol/wire.js';
import { CLOSE } from '../src/protocol/wire.js';
import { EVENTS_CHANNEL, parseEvent, type ServerEvent } from './events.js';
import { publish, toMessageView, type AgentRow, type MessageRow, type Repo } from './repo.js';
import { randomId } from './auth.js';
import { closeSocket, sendText } from './ws/send.js';

export interface VisitorConn {
  ws: WebSocket;
  visitorUid: string;
  appid: string;
  conversationId: string;
  /** A stored message of this conversation, with its `message` frame already serialised: send it, or catch up from the DB if there is a gap. */
  deliver(message: MessageView, frame: string): void;
}

export interface AgentConn {
  ws: WebSocket;
  agent: AgentRow;
}

/** How long unread counts for visitors are coalesced before one batched query. */
const UNREAD_WINDOW_MS = 20;
/** How long agents' conversation summaries are coalesced before one batched query. */
const SUMMARY_WINDOW_MS = 50;
/** Conversations (and visitors) summarised per batched query at most. */
const SUMMARY_BATCH = 500;
/** How long visitor presence changes are coalesced into one NOTIFY. */
const PRESENCE_WINDOW_MS = 50;
/** Visitor uids per presence NOTIFY (payloads are capped at 8000 bytes; uids are ~16 characters). */
const PRESENCE_CHUNK = 250;

/** Runs `flush` once, `windowMs` after the first `schedule()` since the last flush. */
class Coalescer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  constructor(
    private readonly windowMs: number,
    private readonly flush: () => Promise<void>,
  ) {}
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((err) => console.error('twt: batched push failed', err));
    }, this.windowMs);
    this.timer.unref?.();
  }
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export class Hub {
  readonly proc = randomId(8);
  private visitorsByConv = new Map<string, Set<VisitorConn>>();
  private visitorsByUid = new Map<string, Set<VisitorConn>>();
  private agents = new Set<AgentConn>();
  /** Remote processes' online visitors and agents. */
  private remote = new Map<string, { visitors: Set<string>; agents: Map<number, string | null> }>();
  private closed = false;

  /** Conversations whose visitors here need a fresh `unread` frame. */
  private unreadDirty = new Set<string>();
  private unreadBatch = new Coalescer(UNREAD_WINDOW_MS, () => this.flushUnread());
  /** Conversations (by id or by visitor) whose summary the agents here need again. */
  private summaryDirty = { ids: new Set<string>(), visitorUids: new Set<string>() };
  private summaryBatch = new Coalescer(SUMMARY_WINDOW_MS, () => this.flushSummaries());
  /** Visitor presence changes not yet announced (latest state wins). */
  private presenceDirty = new Map<string, boolean>();
  private presenceBatch = new Coalescer(PRESENCE_WINDOW_MS, () => this.flushPresence());

  constructor(private readonly repo: Repo) {}

  async start(): Promise<void> {
    await this.repo.store.listen(EVENTS_CHANNEL, (payload) => {
      const event = parseEvent(payload);
      if (event && !this.closed) this.handle(event).catch((err) => console.error('twt: event handling failed', err));
    });
    await this.emit({ kind: 'presence_hello', proc: this.proc });
  }

  stop(): void {
    this.closed = true;
    this.unreadBatch.cancel();
    this.summaryBatch.cancel();
    this.presenceBatch.cancel();
  }

  emit(event: ServerEvent): Promise<void> {
    return publish(this.repo.store, event);
  }

  // --- registry ---------------------------------------------------------
  addVisitor(c: VisitorConn): void {
    add(this.visitorsByConv, c.conversationId, c);
    const firstHere = !this.visitorsByUid.get(c.visitorUid)?.size;
    add(this.visitorsByUid, c.visitorUid, c);
    if (firstHere) this.announceVisitor(c.visitorUid, true);
  }

  removeVisitor(c: VisitorConn): void {
    remove(this.visitorsByConv, c.conversationId, c);
    if (remove(this.visitorsByUid, c.visitorUid, c) && !this.closed) this.announceVisitor(c.visitorUid, false);
  }

  addAgent(c: AgentConn): void {
    const firstHere = ![...this.agents].some((a) => a.agent.id === c.agent.id);
    this.agents.add(c);
    if (firstHere) void this.emit({ kind: 'presence', proc: this.proc, agent: { id: c.agent.id, appid: c.agent.appid }, online: true }).catch(() => {});
  }

  removeAgent(c: AgentConn): void {
    if (!this.agents.delete(c)) return;
    const lastHere = ![...this.agents].some((a) => a.agent.id === c.agent.id);
    if (lastHere && !this.closed) void this.emit({ kind: 'presence', proc: this.proc, agent: { id: c.agent.id, appid: c.agent.appid }, online: false }).catch(() => {});
  }

  allSockets(): WebSocket[] {
    return [...[...this.visitorsByUid.values()].flatMap((s) => [...s].map((c) => c.ws)), ...[...this.agents].map((a) => a.ws)];
  }

  // --- presence ---------------------------------------------------------
  visitorOnline = (uid: string): boolean => {
    if (this.visitorsByUid.get(uid)?.size) return true;
    for (const r of this.remote.values()) if (r.visitors.has(uid)) return true;
    return false;
  };

  agentsOnline(appid: string): number {
    const ids = new Set<number>();
    for (const a of this.agents) if (a.agent.appid === null || a.agent.appid === appid) ids.add(a.agent.id);
    for (const r of this.remote.values()) for (const [id, scope] of r.agents) if (scope === null || scope === appid) ids.add(id);
    return ids.size;
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
  /** Sends the visitors of this conversation (on this process) their unread count, soon and once per window. */
  queueUnread(conversationId: string): void {
    if (!this.visitorsByConv.has(conversationId)) return;
    this.unreadDirty.add(conversationId);
    this.unreadBatch.schedule();
  }

  private async flushUnread(): Promise<void> {
    const ids = [...this.unreadDirty].filter((id) => this.visitorsByConv.has(id));
    this.unreadDirty.clear();
    if (!ids.length) return;
    const states = await this.repo.visitorReadStates(ids);
    for (const [id, s] of states) {
      const frame: VisitorServerFrame = { type: 'unread', count: s.unread, visitorReadSeq: s.visitorReadSeq };
      const text = JSON.stringify(frame);
      for (const c of this.visitorsByConv.get(id) ?? []) sendText(c.ws, text);
    }
  }

  /** Pushes the agents here a fresh summary of this conversation, soon and once per window. */
  queueSummary(conversationId: string): void {
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
    const convs = await this.repo.agentConversations({ ...(ids.length ? { ids } : {}), ...(visitorUids.length ? { visitorUids } : {}) }, this.visitorOnline);
    // Oldest first, so an agent's list ends with the newest on top.
    for (const conv of convs.reverse()) this.toAgents(conv.appid, { type: 'conversation', conversation: conv });
  }

  // --- events -----------------------------------------------------------
  private async handle(e: ServerEvent): Promise<void> {
    switch (e.kind) {
      case 'message': {
        const locals = this.visitorsByConv.get(e.conversationId);
        if (!locals?.size && !this.agents.size) return;
        // The row travels in the NOTIFY; only an oversized one is read back.
        const message = e.row ? toMessageView(e.row as unknown as MessageRow) : await this.repo.message(e.messageId);
        if (!message) return;
        if (locals?.size) {
          const frame = JSON.stringify({ type: 'message', message } satisfies VisitorServerFrame);
          for (const c of locals) c.deliver(message, frame);
          // A visitor's own message does not change what the visitor has unread.
          if (message.author !== 'visitor') this.queueUnread(e.conversationId);
        }
        if (this.agents.size) {
          const appid = e.appid ?? (await this.repo.conversationAppid(e.conversationId));
          if (!appid) return;
          this.toAgents(appid, { type: 'message', conversationId: e.conversationId, message });
          this.queueSummary(e.conversationId);
        }
        return;
      }
      case 'conversation': {
        this.queueUnread(e.conversationId);
        this.queueSummary(e.conversationId);
        return;
      }
      case 'typing': {
        if (e.from === 'visitor') {
          if (!this.agents.size) return;
          const appid = await this.repo.conversationAppid(e.conversationId);
          if (appid) this.toAgents(appid, { type: 'typing', conversationId: e.conversationId, typing: e.typing });
        } else {
          const frame: VisitorServerFrame = { type: 'typing', typing: e.typing, ...(e.authorName ? { authorName: e.authorName } : {}) };
          const text = JSON.stringify(frame);
          for (const c of this.visitorsByConv.get(e.conversationId) ?? []) sendText(c.ws, text);
        }
        return;
      }
      case 'visitor_closed': {
        const reason = e.code === CLOSE.VISITOR_BANNED ? 'visitor banned' : 'token revoked';
        for (const c of [...(this.visitorsByUid.get(e.visitorUid) ?? [])]) closeSocket(c.ws, e.code, reason);
        return;
      }
      case 'app_disabled': {
        this.repo.forgetApp(e.appid);
        for (const set of this.visitorsByUid.values()) for (const c of [...set]) if (c.appid === e.appid) closeSocket(c.ws, CLOSE.APP_DISABLED, 'app disabled');
        return;
      }
      case 'app_changed': {
        this.repo.forgetApp(e.appid);
        return;
      }
      case 'presence': {
        const uids = e.visitorUids ?? (e.visitorUid ? [e.visitorUid] : []);
        if (e.proc !== this.proc) {
          // Our own announcements: local state is already right; only the pushes below apply.
          let r = this.remote.get(e.proc);
          if (!r) this.remote.set(e.proc, (r = { visitors: new Set(), agents: new Map() }));
          for (const uid of uids) e.online ? r.visitors.add(uid) : r.visitors.delete(uid);
          if (e.agent) e.online ? r.agents.set(e.agent.id, e.agent.appid) : r.agents.delete(e.agent.id);
        }
        if (uids.length) this.queueVisitorSummaries(uids);
        if (e.agent) {
          const frames = new Map<string, string>();
          for (const set of this.visitorsByUid.values())
            for (const c of set) {
              if (e.agent.appid !== null && e.agent.appid !== c.appid) continue;
              let text = frames.get(c.appid);
              if (text === undefined) frames.set(c.appid, (text = JSON.stringify({ type: 'presence', agentsOnline: this.agentsOnline(c.appid) } satisfies VisitorServerFrame)));
              sendText(c.ws, text);
            }
        }
        return;
      }
      case 'presence_hello': {
        if (e.proc === this.proc) return;
        const uids = [...this.visitorsByUid.keys()];
        for (let i = 0; i < uids.length; i += PRESENCE_CHUNK) {
          await this.emit({ kind: 'presence', proc: this.proc, visitorUids: uids.slice(i, i + PRESENCE_CHUNK), online: true });
        }
        const seen = new Set<number>();
        for (const a of this.agents) {
          if (seen.has(a.agent.id)) continue;
          seen.add(a.agent.id);
          await this.emit({ kind: 'presence', proc: this.proc, agent: { id: a.agent.id, appid: a.agent.appid }, online: true });
        }
        return;
      }
    }
  }

  /** Pushes one conversation's summary to the agents now (e.g. after a visitor's profile changed). */
  async pushConversation(conversationId: string): Promise<void> {
    this.queueSummary(conversationId);
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

/** Removes and returns up to `n` entries of a set (insertion order). */
function takeSome<T>(set: Set<T>, n: number): T[] {
  const out: T[] = [];
  for (const v of set) {
    if (out.length >= n) break;
    out.push(v);
  }
  for (const v of out) set.delete(v);
  return out;
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
