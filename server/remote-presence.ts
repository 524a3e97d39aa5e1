/**
 * Who is online in the other processes, and whether those processes are
 * still alive.
 *
 * Each process beats (`presence_beat`) every `beatMs`; any event naming a
 * process counts as a sign of life, and a process silent for
 * PRESENCE_MISSED_BEATS of its intervals (killed, out of memory, machine
 * lost) is forgotten, its visitors and agents offline with the same pushes as
 * a normal going-offline. A clean shutdown says `presence_bye`. A forgotten
 * process heard again is asked for its state (`presence_hello` with `to`), so
 * one that was only slow comes back whole.
 *
 * After a deaf spell (a lost LISTEN) every process is asked for its state,
 * and each answer replaces what was known of that process.
 *
 * It handles the presence events (handle()), answering a `presence_hello`
 * with this process's own visitors and agents, which the hub lends it (deps).
 */
import { PRESENCE_MISSED_BEATS, type ServerEvent } from './events.js';
import type { Clock } from './clock.js';

/** How often a process announces it is alive (TWT_PRESENCE_BEAT_MS). */
export const DEFAULT_PRESENCE_BEAT_MS = 10_000;
/** How long a forgotten process is remembered as such (to ask for its state if it turns out alive). */
const FORGOTTEN_KEEP_MS = 60 * 60_000;
/** How long a clean shutdown waits for its goodbye NOTIFY at most. */
const BYE_TIMEOUT_MS = 1000;
/** After a deaf spell, how long the answers to presence_hello are collected before they replace what was known (2 beats, within these bounds). */
const RESYNC_MIN_MS = 200;
const RESYNC_MAX_MS = 2000;

type PresenceEvent = Extract<ServerEvent, { kind: 'presence' }>;
/** The events RemotePresence handles. */
export type PresenceEvents = Extract<ServerEvent, { kind: 'presence' | 'presence_hello' | 'presence_beat' | 'presence_bye' }>;

/** Visitor uids per presence NOTIFY (payloads are capped at 8000 bytes; uids are ~16 characters). */
export const PRESENCE_CHUNK = 250;

export interface RemotePresenceDeps {
  /** This process's id. */
  proc: string;
  beatMs: number;
  /** Beats and the judging of the others run on it (ticks every beatMs). */
  clock: Clock;
  emit(event: ServerEvent): Promise<void>;
  /** LISTEN is lost: the others' beats are not heard, so nobody is judged. */
  isDeaf(): boolean;
  /** Runs on each tick that judges the others (not stalled, not deaf): a place for periodic housekeeping. */
  onSteadyTick(now: number): void;
  /**
   * Visitors or agents came online or went offline (announced by any process,
   * this one included, or a process forgotten, or left out of a resync
   * answer): the pushes of a presence change are due.
   */
  presenceChanged(visitorUids: readonly string[], agentScopes: readonly (string | null)[]): void;
  /** This process's online visitors (uids) and agents (one entry per agent), to answer a hello. */
  localVisitorUids(): string[];
  hasLocalVisitor(uid: string): boolean;
  localAgents(): Array<{ id: number; appid: string | null }>;
}

export class RemotePresence {
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
  private stopBeating: (() => void) | null = null;
  private lastTick = 0;
  private stopped = false;
  /** After a deaf spell: each answering process's state, collected to replace what was known of it. */
  private resync: Map<string, RemoteState> | null = null;
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: RemotePresenceDeps) {}

  /** Asks the others for their state, and starts beating. */
  async start(): Promise<void> {
    await this.deps.emit({ kind: 'presence_hello', proc: this.deps.proc });
    await this.beat();
    this.lastTick = this.deps.clock.now();
    this.stopBeating = this.deps.clock.every(this.deps.beatMs, () => this.tick());
  }

  /** Stops timers, then says goodbye so the others drop this process's presence at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopBeating?.();
    this.stopBeating = null;
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
    this.resync = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.deps.emit({ kind: 'presence_bye', proc: this.deps.proc }).catch(() => {}),
      new Promise<void>((ok) => {
        timer = setTimeout(ok, BYE_TIMEOUT_MS);
        timer.unref?.();
      }),
    ]);
    clearTimeout(timer);
  }

  beat(): Promise<void> {
    return this.deps.emit({ kind: 'presence_beat', proc: this.deps.proc, everyMs: this.deps.beatMs }).catch((err) => console.error('twt: presence beat failed', err));
  }

  hasVisitor(uid: string): boolean {
    for (const r of this.remote.values()) if (r.visitors.has(uid)) return true;
    return false;
  }

  /** Adds to `ids` the remote agents who serve this app. */
  collectAgents(appid: string, ids: Set<number>): void {
    for (const r of this.remote.values()) for (const [id, scope] of r.agents) if (scope === null || scope === appid) ids.add(id);
  }

  /** Every beat interval: say this process is alive, and forget the processes silent for too long. */
  private tick(): void {
    if (this.stopped) return;
    void this.beat();
    const now = this.deps.clock.now();
    // A tick this late means this process was stalled: what the others sent
    // meanwhile may still wait in the queue behind this timer. Judge them next time.
    const late = now - this.lastTick > 2 * this.deps.beatMs;
    this.lastTick = now;
    // Deaf (LISTEN lost): the others' beats are not heard, which says nothing about them.
    if (late || this.deps.isDeaf()) return;
    this.deps.onSteadyTick(now);
    for (const [proc, p] of this.peers) {
      if (p.everyMs !== null && now - p.lastHeard > PRESENCE_MISSED_BEATS * p.everyMs) {
        this.forgotten.set(proc, now);
        this.forget(proc);
      }
    }
    for (const [proc, at] of this.forgotten) if (now - at > FORGOTTEN_KEEP_MS) this.forgotten.delete(proc);
  }

  /** A presence event heard through LISTEN (after heard()). */
  async handle(e: PresenceEvents): Promise<void> {
    switch (e.kind) {
      case 'presence': {
        const uids = e.visitorUids ?? (e.visitorUid ? [e.visitorUid] : []);
        // Our own announcements: local state is already right; only the pushes apply.
        if (e.proc !== this.deps.proc) this.apply(e, uids);
        this.deps.presenceChanged(uids, e.agent ? [e.agent.appid] : []);
        return;
      }
      case 'presence_hello':
        if (e.proc === this.deps.proc || (e.to !== undefined && e.to !== this.deps.proc)) return;
        return this.announceLocalState();
      case 'presence_beat':
        return; // a sign of life, taken by heard()
      case 'presence_bye':
        if (e.proc !== this.deps.proc) this.forget(e.proc);
        return;
    }
  }

  /** Answers a hello: this process's online visitors and agents. */
  private async announceLocalState(): Promise<void> {
    const { proc } = this.deps;
    // A beat first, so the asker can expire this process even before the next interval.
    await this.beat();
    const uids = this.deps.localVisitorUids();
    for (let i = 0; i < uids.length && !this.stopped; i += PRESENCE_CHUNK) {
      // Still online at the time of sending (one that left meanwhile has its own offline announcement queued).
      const chunk = uids.slice(i, i + PRESENCE_CHUNK).filter((uid) => this.deps.hasLocalVisitor(uid));
      if (chunk.length) await this.deps.emit({ kind: 'presence', proc, visitorUids: chunk, online: true });
    }
    for (const agent of this.deps.localAgents()) {
      if (this.stopped) return;
      await this.deps.emit({ kind: 'presence', proc, agent, online: true });
    }
  }

  /** Any event naming another process (but its goodbye): it is alive. One forgotten as dead is asked to announce its state again. */
  heard(e: ServerEvent): void {
    if (!('proc' in e) || typeof e.proc !== 'string' || e.proc === this.deps.proc || e.kind === 'presence_bye') return;
    const proc = e.proc;
    let p = this.peers.get(proc);
    if (!p) {
      this.peers.set(proc, (p = { lastHeard: 0, everyMs: null }));
      if (this.forgotten.delete(proc)) void this.deps.emit({ kind: 'presence_hello', proc: this.deps.proc, to: proc }).catch(() => {});
    }
    p.lastHeard = this.deps.clock.now();
    if (e.kind === 'presence_beat' && e.everyMs > 0) p.everyMs = e.everyMs;
    // Beating after our hello: alive, and its answer (a beat, then its state) replaces what we knew.
    if (e.kind === 'presence_beat' && this.resync && !this.resync.has(proc)) this.resync.set(proc, emptyRemote());
  }

  /** Another process's presence announcement (`uids`: its visitors named in it). */
  private apply(e: PresenceEvent, uids: readonly string[]): void {
    let r = this.remote.get(e.proc);
    if (!r) this.remote.set(e.proc, (r = emptyRemote()));
    applyPresence(r, uids, e);
    if (this.resync) {
      let f = this.resync.get(e.proc);
      if (!f) this.resync.set(e.proc, (f = emptyRemote()));
      applyPresence(f, uids, e);
    }
  }

  /** Drops a process's visitors and agents (dead or gone), with the pushes of a normal going-offline. */
  private forget(proc: string): void {
    this.peers.delete(proc);
    const r = this.remote.get(proc);
    this.remote.delete(proc);
    if (!r) return;
    this.wentOffline([...r.visitors], [...r.agents.values()]);
  }

  /**
   * Listening again after a deaf spell: nobody expires for the silence we
   * caused; every process is asked for its state, which then replaces what we
   * knew (missed offlines included).
   */
  resyncAfterDeafSpell(): void {
    const now = this.deps.clock.now();
    for (const p of this.peers.values()) p.lastHeard = now;
    this.lastTick = now;
    this.resync = new Map();
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = setTimeout(() => this.finishResync(), Math.max(RESYNC_MIN_MS, Math.min(RESYNC_MAX_MS, 2 * this.deps.beatMs)));
    this.resyncTimer.unref?.();
    void this.deps.emit({ kind: 'presence_hello', proc: this.deps.proc }).catch((err) => console.error('twt: presence hello failed', err));
  }

  /** The hello answers are in: a process that answered is known by its answer alone (what went offline meanwhile goes). */
  private finishResync(): void {
    this.resyncTimer = null;
    const fresh = this.resync;
    this.resync = null;
    if (!fresh || this.stopped) return;
    for (const [proc, f] of fresh) {
      const r = this.remote.get(proc);
      if (!r) continue;
      const goneVisitors = [...r.visitors].filter((uid) => !f.visitors.has(uid));
      const goneAgents = [...r.agents].filter(([id]) => !f.agents.has(id));
      for (const uid of goneVisitors) r.visitors.delete(uid);
      for (const [id] of goneAgents) r.agents.delete(id);
      this.wentOffline(
        goneVisitors,
        goneAgents.map(([, scope]) => scope),
      );
    }
  }

  private wentOffline(visitorUids: string[], agentScopes: (string | null)[]): void {
    if (visitorUids.length || agentScopes.length) this.deps.presenceChanged(visitorUids, agentScopes);
  }
}

interface RemoteState {
  visitors: Set<string>;
  agents: Map<number, string | null>;
}

const emptyRemote = (): RemoteState => ({ visitors: new Set(), agents: new Map() });

function applyPresence(r: RemoteState, uids: readonly string[], e: PresenceEvent): void {
  for (const uid of uids) e.online ? r.visitors.add(uid) : r.visitors.delete(uid);
  if (e.agent) e.online ? r.agents.set(e.agent.id, e.agent.appid) : r.agents.delete(e.agent.id);
}
