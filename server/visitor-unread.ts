/**
 * The visitor's unread count of each conversation with visitor sockets on this process, kept in memory so an
 * agent's message or a visitor's read mark costs no query: +1 per agent (or system) message heard, recomputed when
 * the visitor's read mark moves (the `conversation` event carries it, from whichever process wrote it).
 *
 * What is known of a conversation is a snapshot (its `ready` query, or a query of the hub's batch: the count up
 * to a seq) plus what was heard since the conversation was first watched: the seqs of the unread messages that
 * came after the snapshot, and the highest read mark. Events and snapshots may arrive in either order (a query
 * runs while events keep coming), so both are merged by seq, and anything that cannot be told exactly (a read
 * mark that falls inside the snapshot's unread messages, whose seqs it does not know) leaves the count unknown:
 * the next look queries it again. So does a deaf spell (forget()), after which anything may have been missed.
 *
 * The count is the one VisitorReadState.unread gives: messages above the visitor's read mark not written by
 * the visitor.
 */
import type { Author } from '../src/shared/wire-protocol.js';
import type { VisitorReadState } from './data/conversations.js';

/** What the visitor's `unread` frame says. */
export interface UnreadCount {
  count: number;
  visitorReadSeq: number;
}

/**
 * Unread seqs heard since a snapshot, kept per conversation at most: past this (agents writing to a visitor who
 * never reads) the count is forgotten and queried again, so memory stays bounded.
 */
export const LIVE_SEQS_MAX = 1000;

interface Tracked {
  /** Everything up to `lastSeq` is counted in `unread` (a snapshot's answer, updated by read marks); null: unknown. */
  base: { lastSeq: number; unread: number } | null;
  /** The visitor's highest read mark known. */
  readSeq: number;
  /** Seqs of unread non-visitor messages heard above `base.lastSeq` (all heard, while unknown), ascending. */
  live: number[];
  /**
   * Messages up to this seq were counted in a base since dropped (or dropped from `live`): a snapshot older than
   * it would miss them, so it is not used.
   */
  floor: number;
  /** Bumped by forget(): a snapshot asked for before then may miss what went unheard, so it is not used. */
  epoch: number;
}

export class VisitorUnread {
  private tracked = new Map<string, Tracked>();

  /**
   * A visitor socket on this conversation registered here: heard events count from now on. Call before the
   * socket's `ready` query runs, so its snapshot and the events after it meet (see seeder()).
   */
  watch(conversationId: string): void {
    if (!this.tracked.has(conversationId)) this.tracked.set(conversationId, { base: null, readSeq: 0, live: [], floor: 0, epoch: 0 });
  }

  /** The last visitor socket on it here closed. */
  unwatch(conversationId: string): void {
    this.tracked.delete(conversationId);
  }

  /**
   * Taken just before a snapshot query starts; call the result with its answer. It is used only when the count
   * is still unknown then, and nothing was forgotten meanwhile (a snapshot taken before a deaf spell ended may
   * lack what went unheard).
   */
  seeder(conversationId: string): (snapshot: VisitorReadState) => void {
    const t = this.tracked.get(conversationId);
    const epoch = t?.epoch;
    return (snapshot) => {
      if (!t || this.tracked.get(conversationId) !== t || t.epoch !== epoch || t.base || snapshot.lastSeq < t.floor) return;
      merge(t, snapshot);
    };
  }

  /** A stored message heard. True when the count changed (the visitor's panels need an `unread` frame). */
  message(conversationId: string, seq: number, author: Author): boolean {
    const t = this.tracked.get(conversationId);
    if (!t || author === 'visitor' || seq <= t.readSeq || (t.base && seq <= t.base.lastSeq)) return false;
    // Usually the newest; an oversized message is read back before it is handled, so a later one may come first.
    let i = t.live.length;
    while (i > 0 && t.live[i - 1]! > seq) i--;
    if (t.live[i - 1] === seq) return false;
    t.live.splice(i, 0, seq);
    if (t.live.length > LIVE_SEQS_MAX) {
      t.floor = t.live.at(-1)!;
      t.base = null;
      t.live = [];
    }
    return true;
  }

  /** The visitor's read mark moved to `seq` (a `conversation` event said so). True when the panels need a fresh `unread` frame. */
  read(conversationId: string, seq: number): boolean {
    const t = this.tracked.get(conversationId);
    if (!t || seq <= t.readSeq) return false;
    t.readSeq = seq;
    t.live = t.live.filter((s) => s > seq);
    if (t.base) {
      if (seq >= t.base.lastSeq) t.base.unread = 0;
      // Some of the snapshot's unread messages are read now, but not which: ask again.
      else if (t.base.unread > 0) t.base = null;
    }
    return true;
  }

  /** Anything may have changed unheard (a deaf spell, an event from an older process): the next count is queried. */
  forget(conversationId: string): void {
    const t = this.tracked.get(conversationId);
    if (!t) return;
    t.base = null;
    t.live = [];
    t.epoch++;
  }

  /** The count to send, or null while it must be queried. */
  current(conversationId: string): UnreadCount | null {
    const t = this.tracked.get(conversationId);
    if (!t?.base) return null;
    return { count: t.base.unread + t.live.length, visitorReadSeq: t.readSeq };
  }

  /**
   * The counts of these (watched) conversations: the known ones from memory, the others from one `query`.
   * `again`: those still unknown after it (a read mark moved while it ran), for another look. A conversation
   * the query did not find (deleted) is in neither.
   */
  async counts(ids: readonly string[], query: (ids: readonly string[]) => Promise<Map<string, VisitorReadState>>): Promise<{ counts: Map<string, UnreadCount>; again: string[] }> {
    const unknown = ids.filter((id) => this.tracked.has(id) && !this.current(id));
    const missing = new Set<string>();
    if (unknown.length) {
      const seeders = unknown.map((id) => this.seeder(id));
      const snapshots = await query(unknown);
      unknown.forEach((id, i) => {
        const s = snapshots.get(id);
        if (s) seeders[i]!(s);
        else missing.add(id);
      });
    }
    const counts = new Map<string, UnreadCount>();
    const again: string[] = [];
    for (const id of ids) {
      const c = this.current(id);
      if (c) counts.set(id, c);
      else if (this.tracked.has(id) && !missing.has(id)) again.push(id);
    }
    return { counts, again };
  }
}

/** A snapshot (taken after `t` began recording) merged with what was heard. */
function merge(t: Tracked, s: VisitorReadState): void {
  let unread = s.unread;
  if (t.readSeq > s.visitorReadSeq) {
    // A read mark newer than the snapshot was heard already: exact only if it covers all the snapshot's messages.
    if (t.readSeq >= s.lastSeq) unread = 0;
    else if (unread > 0) return;
  }
  t.readSeq = Math.max(t.readSeq, s.visitorReadSeq);
  t.base = { lastSeq: s.lastSeq, unread };
  t.floor = s.lastSeq;
  t.live = t.live.filter((seq) => seq > s.lastSeq && seq > t.readSeq);
}
