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
 *
 * Presence of other processes expires: each process beats (`presence_beat`)
 * every `presenceBeatMs`, any event naming a process counts as a sign of life,
 * and a process silent for PRESENCE_MISSED_BEATS of its intervals (killed,
 * out of memory, machine lost) is forgotten, its visitors and agents offline
 * with the same pushes as a normal going-offline. A clean shutdown says
 * `presence_bye`. A forgotten process heard again is asked for its state
 * (`presence_hello` with `to`), so one that was only slow comes back whole.
 *
 * Losing LISTEN (PostgreSQL restart, failover, a network blip) makes this
 * process deaf until the store has listened again. Meanwhile nothing is
 * expired (a peer we cannot hear is not dead), and on resume the hub catches
 * up: each visitor socket reads the messages after the last seq it sent,
 * the agents get the messages stored while deaf (read from the table, in seq
 * order per conversation, none twice), and a `presence_hello` asks every
 * process for its state, which replaces what was known of it.
 */
import type { WebSocket } from 'ws';
import type { AgentServerFrame, MessageView, VisitorServerFrame } from '../src/protocol/wire.js';
import { CLOSE } from '../src/protocol/wire.js';
import { EVENTS_CHANNEL, PRESENCE_MISSED_BEATS, parseEvent, type ServerEvent } from './events.js';
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
  /** Reads and sends whatever was stored after the last message sent (after a deaf spell, when no live message would reveal the gap). */
  catchUp(): void;
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
/** How often a process announces it is alive (TWT_PRESENCE_BEAT_MS). */
export const DEFAULT_PRESENCE_BEAT_MS = 10_000;
/** How long a forgotten process is remembered as such (to ask for its state if it turns out alive). */
const FORGOTTEN_KEEP_MS = 60 * 60_000;
/** How long a clean shutdown waits for its goodbye NOTIFY at most. */
const BYE_TIMEOUT_MS = 1000;
/** After a deaf spell, messages this much older than the last event heard are read too (commit lag, clock drift). */
const CATCH_UP_MARGIN_MS = 5000;
/** Messages read per catch-up query. */
const CATCH_UP_PAGE = 500;
/** How long the highest seq heard per conversation is remembered (must exceed CATCH_UP_MARGIN_MS plus a beat). */
const HEARD_KEEP_MS = 10 * 60_000;
/** After a deaf spell, how long the answers to presence_hello are collected before they replace what was known (2 beats, within these bounds). */
const RESYNC_MIN_MS = 200;
const RESYNC_MAX_MS = 2000;

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
  private remote = new Map<string, RemoteState>();
  /**
   * Remote processes heard from: when last (monotonic ms), and their beat
   * interval once a beat was heard (a process that never beat, e.g. an older
   * version during a rolling deploy, never expires).
   */
  private peers = new Map<string, { lastHeard: number; everyMs: number | null }>();
  /** Processes forgotten as dead, and when. */
  private forgotten = new Map<string, number>();
  private readonly beatMs: number;
  private beatTimer: ReturnType<typeof setInterval> | null = null;
  private lastTick = 0;
  private closed = false;

  /** Highest message seq heard per conversation, and when: what a catch-up must not push to agents again. */
  private heardSeq = new Map<string, { seq: number; at: number }>();
  private lastPrune = 0;
  /** When (monotonic ms) an event last came through LISTEN. */
  private lastHeardAny = 0;
  /** LISTEN is connected (as far as the store told). */
  private listening = true;
  /** From a lost LISTEN until caught up: nothing expires, and message pushes to agents wait in `held`. */
  private deaf = false;
  /** lastHeardAny when the deaf spell began: anything stored since (minus a margin) may have been missed. */
  private deafSince = 0;
  private held: Array<Extract<ServerEvent, { kind: 'message' }>> = [];
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  /** After a deaf spell: each answering process's state, collected to replace what was known of it. */
  private resync: Map<string, RemoteState> | null = null;
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;

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
    private readonly repo: Repo,
    options: { presenceBeatMs?: number } = {},
  ) {
    this.beatMs = Math.max(1, options.presenceBeatMs ?? DEFAULT_PRESENCE_BEAT_MS);
  }

  async start(): Promise<void> {
    this.lastHeardAny = performance.now();
    await this.repo.store.listen(
      EVENTS_CHANNEL,
      (payload) => {
        this.lastHeardAny = performance.now();
        const event = parseEvent(payload);
        if (event && !this.closed) this.handle(event).catch((err) => console.error('twt: event handling failed', err));
      },
      { onLost: () => this.listenLost(), onResume: () => this.listenResumed() },
    );
    await this.emit({ kind: 'presence_hello', proc: this.proc });
    await this.beat();
    this.lastTick = performance.now();
    this.beatTimer = setInterval(() => this.tick(), this.beatMs);
    this.beatTimer.unref?.();
  }

  /** Stops timers and batches; says goodbye so other processes drop this one's presence at once. */
  async stop(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unreadBatch.cancel();
    this.summaryBatch.cancel();
    this.presenceBatch.cancel();
    if (this.beatTimer) clearInterval(this.beatTimer);
    this.beatTimer = null;
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
    this.resync = null;
    this.held = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.emit({ kind: 'presence_bye', proc: this.proc }).catch(() => {}),
      new Promise<void>((ok) => {
        timer = setTimeout(ok, BYE_TIMEOUT_MS);
        timer.unref?.();
      }),
    ]);
    clearTimeout(timer);
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

  private beat(): Promise<void> {
    return this.emit({ kind: 'presence_beat', proc: this.proc, everyMs: this.beatMs }).catch((err) => console.error('twt: presence beat failed', err));
  }

  /** Every beat interval: say this process is alive, and forget the processes silent for too long. */
  private tick(): void {
    if (this.closed) return;
    void this.beat();
    const now = performance.now();
    // A tick this late means this process was stalled: what the others sent
    // meanwhile may still wait in the queue behind this timer. Judge them next time.
    const late = now - this.lastTick > 2 * this.beatMs;
    this.lastTick = now;
    // Deaf (LISTEN lost): the others' beats are not heard, which says nothing about them.
    if (late || this.deaf) return;
    if (now - this.lastPrune > 60_000) {
      this.lastPrune = now;
      const keep = Math.max(HEARD_KEEP_MS, 10 * this.beatMs);
      for (const [id, h] of this.heardSeq) if (now - h.at > keep) this.heardSeq.delete(id);
    }
    for (const [proc, p] of this.peers) {
      if (p.everyMs !== null && now - p.lastHeard > PRESENCE_MISSED_BEATS * p.everyMs) {
        this.forgotten.set(proc, now);
        this.forget(proc);
      }
    }
    for (const [proc, at] of this.forgotten) if (now - at > FORGOTTEN_KEEP_MS) this.forgotten.delete(proc);
  }

  /** An event from another process: it is alive. One forgotten as dead is asked to announce its state again. */
  private heard(proc: string, e: ServerEvent): void {
    let p = this.peers.get(proc);
    if (!p) {
      this.peers.set(proc, (p = { lastHeard: 0, everyMs: null }));
      if (this.forgotten.delete(proc)) void this.emit({ kind: 'presence_hello', proc: this.proc, to: proc }).catch(() => {});
    }
    p.lastHeard = performance.now();
    if (e.kind === 'presence_beat' && e.everyMs > 0) p.everyMs = e.everyMs;
    // Beating after our hello: alive, and its answer (a beat, then its state) replaces what we knew.
    if (e.kind === 'presence_beat' && this.resync && !this.resync.has(proc)) this.resync.set(proc, emptyRemote());
  }

  /** Drops a process's visitors and agents (dead or gone), with the pushes of a normal going-offline. */
  private forget(proc: string): void {
    this.peers.delete(proc);
    const r = this.remote.get(proc);
    this.remote.delete(proc);
    if (!r) return;
    if (r.visitors.size) this.queueVisitorSummaries([...r.visitors]);
    if (r.agents.size) this.pushAgentsOnline([...r.agents.values()]);
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
    if ('proc' in e && typeof e.proc === 'string' && e.proc !== this.proc && e.kind !== 'presence_bye') this.heard(e.proc, e);
    switch (e.kind) {
      case 'message': {
        // Until a catch-up after a deaf spell is done, agents' pushes wait (in seq order after what it reads).
        const forAgents = !this.deaf && this.agents.size > 0;
        if (this.deaf) this.held.push(e);
        else {
          const seq = eventSeq(e);
          if (seq !== null) this.noteHeard(e.conversationId, seq);
        }
        const locals = this.visitorsByConv.get(e.conversationId);
        if (!locals?.size && !forAgents) return;
        // The row travels in the NOTIFY; only an oversized one is read back.
        const message = e.row ? toMessageView(e.row as unknown as MessageRow) : await this.repo.message(e.messageId);
        if (!message) return;
        if (locals?.size) {
          const frame = JSON.stringify({ type: 'message', message } satisfies VisitorServerFrame);
          for (const c of locals) c.deliver(message, frame);
          // A visitor's own message does not change what the visitor has unread.
          if (message.author !== 'visitor') this.queueUnread(e.conversationId);
        }
        if (forAgents) await this.messageToAgents(e.conversationId, e.appid, message);
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
          if (!r) this.remote.set(e.proc, (r = emptyRemote()));
          applyPresence(r, uids, e);
          if (this.resync) {
            let f = this.resync.get(e.proc);
            if (!f) this.resync.set(e.proc, (f = emptyRemote()));
            applyPresence(f, uids, e);
          }
        }
        if (uids.length) this.queueVisitorSummaries(uids);
        if (e.agent) this.pushAgentsOnline([e.agent.appid]);
        return;
      }
      case 'presence_hello': {
        if (e.proc === this.proc || (e.to !== undefined && e.to !== this.proc)) return;
        // A beat first, so the asker can expire this process even before the next interval.
        await this.beat();
        const uids = [...this.visitorsByUid.keys()];
        for (let i = 0; i < uids.length && !this.closed; i += PRESENCE_CHUNK) {
          // Still online at the time of sending (one that left meanwhile has its own offline announcement queued).
          const chunk = uids.slice(i, i + PRESENCE_CHUNK).filter((uid) => this.visitorsByUid.has(uid));
          if (chunk.length) await this.emit({ kind: 'presence', proc: this.proc, visitorUids: chunk, online: true });
        }
        const seen = new Set<number>();
        for (const a of this.agents) {
          if (this.closed) return;
          if (seen.has(a.agent.id)) continue;
          seen.add(a.agent.id);
          await this.emit({ kind: 'presence', proc: this.proc, agent: { id: a.agent.id, appid: a.agent.appid }, online: true });
        }
        return;
      }
      case 'presence_beat':
        return; // a sign of life, taken above
      case 'presence_bye': {
        if (e.proc !== this.proc) this.forget(e.proc);
        return;
      }
    }
  }

  private noteHeard(conversationId: string, seq: number): void {
    const h = this.heardSeq.get(conversationId);
    if (!h) this.heardSeq.set(conversationId, { seq, at: performance.now() });
    else if (seq > h.seq) {
      h.seq = seq;
      h.at = performance.now();
    }
  }

  private async messageToAgents(conversationId: string, appid: string | undefined, message: MessageView): Promise<void> {
    const app = appid ?? (await this.repo.conversationAppid(conversationId));
    if (!app) return;
    this.toAgents(app, { type: 'message', conversationId, message });
    this.queueSummary(conversationId);
  }

  // --- a lost LISTEN ------------------------------------------------------
  private listenLost(): void {
    this.listening = false;
    if (this.closed || this.deaf) return;
    this.deaf = true;
    this.deafSince = this.lastHeardAny;
  }

  /** Listening again: catch up what was missed (messages, presence). Called by the store, without waiting. */
  private listenResumed(): void {
    this.listening = true;
    if (this.closed) return;
    if (!this.deaf) {
      this.deaf = true;
      this.deafSince = this.lastHeardAny;
    }
    // Presence: nobody expires for the silence we caused; every process is asked
    // for its state, which then replaces what we knew (missed offlines included).
    const now = performance.now();
    for (const p of this.peers.values()) p.lastHeard = now;
    this.lastTick = now;
    this.resync = new Map();
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = setTimeout(() => this.finishResync(), Math.max(RESYNC_MIN_MS, Math.min(RESYNC_MAX_MS, 2 * this.beatMs)));
    this.resyncTimer.unref?.();
    void this.emit({ kind: 'presence_hello', proc: this.proc }).catch((err) => console.error('twt: presence hello failed', err));
    // Visitors: each socket reads from the last seq it sent (its own gap catch-up), and gets a fresh unread count.
    for (const [id, set] of this.visitorsByConv) {
      for (const c of set) c.catchUp();
      this.queueUnread(id);
    }
    // Agents: the messages stored meanwhile, then what arrived during the catch-up.
    this.runCatchUp();
  }

  private runCatchUp(): void {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return;
    }
    this.catchingUp = (async () => {
      for (let failures = 0; !this.closed; ) {
        this.catchUpAgain = false;
        try {
          await this.catchUpAgents();
        } catch (err) {
          if (++failures > 5) {
            console.error('twt: catch-up after a lost LISTEN failed; giving up (agents reload to see what they missed)', err);
            break;
          }
          console.error('twt: catch-up after a lost LISTEN failed; retrying', err);
          await sleepUnref(500 * failures);
          this.catchUpAgain = true;
        }
        if (!this.catchUpAgain) break;
      }
      await this.releaseHeld();
      // Still deaf if LISTEN was lost again meanwhile (its resume catches up again).
      if (this.listening) this.deaf = false;
    })()
      .catch((err) => console.error('twt: catch-up after a lost LISTEN failed', err))
      .finally(() => {
        this.catchingUp = null;
      });
  }

  /** Pushes the agents here the messages stored since the deaf spell began that they did not get, in seq order per conversation. */
  private async catchUpAgents(): Promise<void> {
    if (!this.agents.size) return;
    const scopes = new Set<string | null>([...this.agents].map((a) => a.agent.appid));
    const appids = scopes.has(null) ? null : [...scopes].filter((s): s is string => s !== null);
    const since = await this.repo.dbTimeAgo(performance.now() - this.deafSince + CATCH_UP_MARGIN_MS);
    let after: { conversationId: string; seq: number } | null = null;
    for (;;) {
      const page = await this.repo.messagesSince(since, appids, after, CATCH_UP_PAGE);
      for (const { appid, message } of page) {
        after = { conversationId: message.conversationId, seq: message.seq };
        if (message.seq <= (this.heardSeq.get(message.conversationId)?.seq ?? 0)) continue;
        this.noteHeard(message.conversationId, message.seq);
        await this.messageToAgents(message.conversationId, appid, message);
      }
      if (page.length < CATCH_UP_PAGE || this.closed) return;
    }
  }

  /** The message events heard during the catch-up, minus what it already pushed. */
  private async releaseHeld(): Promise<void> {
    while (this.held.length && !this.closed) {
      const e = this.held.shift()!;
      let seq = eventSeq(e);
      let message: MessageView | null = null;
      if (seq === null) {
        message = await this.repo.message(e.messageId);
        if (!message) continue;
        seq = message.seq;
      }
      if (seq <= (this.heardSeq.get(e.conversationId)?.seq ?? 0)) continue;
      this.noteHeard(e.conversationId, seq);
      if (!this.agents.size) continue;
      message ??= e.row ? toMessageView(e.row as unknown as MessageRow) : await this.repo.message(e.messageId);
      if (message) await this.messageToAgents(e.conversationId, e.appid, message);
    }
  }

  /** The hello answers are in: a process that answered is known by its answer alone (what went offline meanwhile goes). */
  private finishResync(): void {
    this.resyncTimer = null;
    const fresh = this.resync;
    this.resync = null;
    if (!fresh || this.closed) return;
    for (const [proc, f] of fresh) {
      const r = this.remote.get(proc);
      if (!r) continue;
      const goneVisitors = [...r.visitors].filter((uid) => !f.visitors.has(uid));
      const goneAgents = [...r.agents].filter(([id]) => !f.agents.has(id));
      for (const uid of goneVisitors) r.visitors.delete(uid);
      for (const [id] of goneAgents) r.agents.delete(id);
      if (goneVisitors.length) this.queueVisitorSummaries(goneVisitors);
      if (goneAgents.length) this.pushAgentsOnline(goneAgents.map(([, scope]) => scope));
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

interface RemoteState {
  visitors: Set<string>;
  agents: Map<number, string | null>;
}

const emptyRemote = (): RemoteState => ({ visitors: new Set(), agents: new Map() });

function applyPresence(r: RemoteState, uids: readonly string[], e: Extract<ServerEvent, { kind: 'presence' }>): void {
  for (const uid of uids) e.online ? r.visitors.add(uid) : r.visitors.delete(uid);
  if (e.agent) e.online ? r.agents.set(e.agent.id, e.agent.appid) : r.agents.delete(e.agent.id);
}

/** A message event's seq: from the event, or the row inside it (null for an oversized row from an older version). */
function eventSeq(e: Extract<ServerEvent, { kind: 'message' }>): number | null {
  const seq = e.seq ?? (e.row ? Number((e.row as { seq?: unknown }).seq) : NaN);
  return Number.isSafeInteger(seq) ? seq : null;
}

function sleepUnref(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms).unref?.());
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
