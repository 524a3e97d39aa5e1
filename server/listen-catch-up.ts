/**
 * Catching up after a lost LISTEN (PostgreSQL restart, failover, a network
 * blip), which makes this process deaf until the store has listened again.
 *
 * Meanwhile nothing is expired (a peer we cannot hear is not dead), and on
 * resume: each visitor socket reads the messages after the last seq it sent,
 * the agents get the messages stored while deaf (read from the table, in seq
 * order per conversation, none twice: the highest seq heard per conversation
 * is remembered), live message pushes to agents wait until that is done, and
 * every process is asked for its presence state again.
 */
import type { MessageView } from '../src/shared/wire-protocol.js';
import type { ServerEvent } from './events.js';
import { toMessageView, type MessageRow, type Messages } from './data/messages.js';
import type { Clock } from './clock.js';

/** After a deaf spell, messages this much older than the last event heard are read too (commit lag, clock drift). */
const CATCH_UP_MARGIN_MS = 5000;
/** Messages read per catch-up query. */
const CATCH_UP_PAGE = 500;
/** How long the highest seq heard per conversation is remembered (must exceed CATCH_UP_MARGIN_MS plus a beat). */
const HEARD_KEEP_MS = 10 * 60_000;

type MessageEvent = Extract<ServerEvent, { kind: 'message' }>;

export interface ListenCatchUpDeps {
  messages: Messages;
  /** The clock of the deaf spell's length and of the seqs kept (the server's clock, clock.ts). */
  clock: Clock;
  /** The presence beat interval (seqs heard are kept for at least 10 of them). */
  beatMs: number;
  /** Agent app scopes connected here (null: every app); empty without agents. */
  agentScopes(): Set<string | null>;
  hasAgents(): boolean;
  /** Pushes one stored message to the agents here. */
  toAgents(conversationId: string, appid: string | undefined, message: MessageView): Promise<void>;
  /** On resume: other processes' presence is asked for again. */
  resyncPresence(): void;
  /** On resume: each visitor socket reads from the last seq it sent, and gets a fresh unread count. */
  catchUpVisitors(): void;
}

export class ListenCatchUp {
  /** Highest message seq heard per conversation, and when: what a catch-up must not push to agents again. */
  private heardSeq = new Map<string, { seq: number; at: number }>();
  private lastPrune = 0;
  /** When (monotonic ms) an event last came through LISTEN. */
  private lastHeardAny = 0;
  /** LISTEN is connected (as far as the store told). */
  private listening = true;
  /** From a lost LISTEN until caught up: nothing expires, and message pushes to agents wait in `held`. */
  private inDeafSpell = false;
  /** lastHeardAny when the deaf spell began: anything stored since (minus a margin) may have been missed. */
  private deafSince = 0;
  private held: MessageEvent[] = [];
  private catchingUp: Promise<void> | null = null;
  private catchUpAgain = false;
  private stopped = false;

  constructor(private readonly deps: ListenCatchUpDeps) {}

  /** From a lost LISTEN until caught up. */
  get deaf(): boolean {
    return this.inDeafSpell;
  }

  /** Something came through LISTEN (or listening starts): a deaf spell may have missed what is stored after this. */
  heardAnything(): void {
    this.lastHeardAny = this.deps.clock.now();
  }

  stop(): void {
    this.stopped = true;
    this.held = [];
  }

  /**
   * A message event heard through LISTEN: true when the agents may get it now,
   * false while a catch-up is due or running (it is held, to go out in seq
   * order after what the catch-up reads).
   */
  admit(e: MessageEvent): boolean {
    if (this.inDeafSpell) {
      this.held.push(e);
      return false;
    }
    const seq = eventSeq(e);
    if (seq !== null) this.noteHeard(e.conversationId, seq);
    return true;
  }

  /** Forgets the seqs heard long ago (at most once a minute). */
  pruneHeard(now: number): void {
    if (now - this.lastPrune <= 60_000) return;
    this.lastPrune = now;
    const keep = Math.max(HEARD_KEEP_MS, 10 * this.deps.beatMs);
    for (const [id, h] of this.heardSeq) if (now - h.at > keep) this.heardSeq.delete(id);
  }

  lost(): void {
    this.listening = false;
    if (this.stopped || this.inDeafSpell) return;
    this.inDeafSpell = true;
    this.deafSince = this.lastHeardAny;
  }

  /** Listening again: catch up what was missed (messages, presence). Called by the store, without waiting. */
  resumed(): void {
    this.listening = true;
    if (this.stopped) return;
    if (!this.inDeafSpell) {
      this.inDeafSpell = true;
      this.deafSince = this.lastHeardAny;
    }
    this.deps.resyncPresence();
    this.deps.catchUpVisitors();
    // Agents: the messages stored meanwhile, then what arrived during the catch-up.
    this.runCatchUp();
  }

  private noteHeard(conversationId: string, seq: number): void {
    const h = this.heardSeq.get(conversationId);
    if (!h) this.heardSeq.set(conversationId, { seq, at: this.deps.clock.now() });
    else if (seq > h.seq) {
      h.seq = seq;
      h.at = this.deps.clock.now();
    }
  }

  private runCatchUp(): void {
    if (this.catchingUp) {
      this.catchUpAgain = true;
      return;
    }
    this.catchingUp = (async () => {
      for (let failures = 0; !this.stopped; ) {
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
      if (this.listening) this.inDeafSpell = false;
    })()
      .catch((err) => console.error('twt: catch-up after a lost LISTEN failed', err))
      .finally(() => {
        this.catchingUp = null;
      });
  }

  /** Pushes the agents here the messages stored since the deaf spell began that they did not get, in seq order per conversation. */
  private async catchUpAgents(): Promise<void> {
    const scopes = this.deps.agentScopes();
    if (!scopes.size) return;
    const appids = scopes.has(null) ? null : [...scopes].filter((s): s is string => s !== null);
    const since = await this.deps.messages.dbTimeAgo(this.deps.clock.now() - this.deafSince + CATCH_UP_MARGIN_MS);
    let after: { conversationId: string; seq: number } | null = null;
    for (;;) {
      const page = await this.deps.messages.since(since, appids, after, CATCH_UP_PAGE);
      for (const { appid, message } of page) {
        after = { conversationId: message.conversationId, seq: message.seq };
        if (message.seq <= (this.heardSeq.get(message.conversationId)?.seq ?? 0)) continue;
        this.noteHeard(message.conversationId, message.seq);
        await this.deps.toAgents(message.conversationId, appid, message);
      }
      if (page.length < CATCH_UP_PAGE || this.stopped) return;
    }
  }

  /** The message events heard during the catch-up, minus what it already pushed. */
  private async releaseHeld(): Promise<void> {
    while (this.held.length && !this.stopped) {
      const e = this.held.shift()!;
      let seq = eventSeq(e);
      let message: MessageView | null = null;
      if (seq === null) {
        message = await this.deps.messages.get(e.messageId);
        if (!message) continue;
        seq = message.seq;
      }
      if (seq <= (this.heardSeq.get(e.conversationId)?.seq ?? 0)) continue;
      this.noteHeard(e.conversationId, seq);
      if (!this.deps.hasAgents()) continue;
      message ??= e.row ? toMessageView(e.row as unknown as MessageRow) : await this.deps.messages.get(e.messageId);
      if (message) await this.deps.toAgents(e.conversationId, e.appid, message);
    }
  }
}

/** A message event's seq: from the event, or the row inside it (null for an oversized row from an older version). */
function eventSeq(e: MessageEvent): number | null {
  const seq = e.seq ?? (e.row ? Number((e.row as { seq?: unknown }).seq) : NaN);
  return Number.isSafeInteger(seq) ? seq : null;
}

function sleepUnref(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms).unref?.());
}
