// The hub's in-memory unread counts (visitor-unread.ts): exact from a snapshot plus the events heard, in
// whatever order snapshots and events meet; unknown (to be queried) whenever they cannot be exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Author } from '../src/shared/wire-protocol.js';
import type { VisitorReadState } from './data/conversations.js';
import { LIVE_SEQS_MAX, VisitorUnread } from './visitor-unread.js';

const snap = (lastSeq: number, visitorReadSeq: number, unread: number): VisitorReadState => ({ lastSeq, visitorReadSeq, unread });

test('seeded from ready, +1 per agent or system message, nothing for the visitor’s own, 0 once read to the end', () => {
  const u = new VisitorUnread();
  u.watch('c');
  const seed = u.seeder('c');
  assert.equal(u.current('c'), null, 'unknown until seeded');
  seed(snap(4, 2, 1));
  assert.deepEqual(u.current('c'), { count: 1, visitorReadSeq: 2 });
  assert.equal(u.message('c', 5, 'agent'), true);
  assert.equal(u.message('c', 6, 'visitor'), false);
  assert.equal(u.message('c', 7, 'system'), true);
  assert.deepEqual(u.current('c'), { count: 3, visitorReadSeq: 2 });
  assert.equal(u.message('c', 5, 'agent'), false, 'a message heard twice counts once');
  assert.equal(u.message('c', 3, 'agent'), false, 'one the snapshot counted already');
  assert.equal(u.read('c', 7), true);
  assert.deepEqual(u.current('c'), { count: 0, visitorReadSeq: 7 });
  assert.equal(u.read('c', 6), false, 'a read mark never goes back');
});

test('a read mark between heard messages drops exactly those it covers', () => {
  const u = new VisitorUnread();
  u.watch('c');
  u.seeder('c')(snap(2, 2, 0));
  for (const s of [3, 4, 5]) u.message('c', s, 'agent');
  assert.equal(u.read('c', 4), true);
  assert.deepEqual(u.current('c'), { count: 1, visitorReadSeq: 4 });
});

test('a read mark inside the snapshot’s unread messages cannot be counted: unknown, and the query that follows is used', async () => {
  const u = new VisitorUnread();
  u.watch('c');
  u.seeder('c')(snap(5, 1, 3));
  u.message('c', 6, 'agent');
  assert.equal(u.read('c', 3), true);
  assert.equal(u.current('c'), null);
  const asked: string[][] = [];
  const { counts, again } = await u.counts(['c'], async (ids) => {
    asked.push([...ids]);
    return new Map([['c', snap(6, 3, 2)]]);
  });
  assert.deepEqual(asked, [['c']]);
  assert.deepEqual(counts.get('c'), { count: 2, visitorReadSeq: 3 });
  assert.deepEqual(again, []);
  // Known now: the next look costs no query.
  u.message('c', 7, 'agent');
  const next = await u.counts(['c'], async () => assert.fail('no query for a known count'));
  assert.deepEqual(next.counts.get('c'), { count: 3, visitorReadSeq: 3 });
});

test('events heard while the snapshot query runs are merged by seq, whichever committed first', () => {
  const u = new VisitorUnread();
  u.watch('c');
  const seed = u.seeder('c');
  // Heard before the answer: 4 committed before the snapshot was taken (it counts it), 5 after.
  u.message('c', 4, 'agent');
  u.message('c', 5, 'agent');
  seed(snap(4, 0, 4));
  assert.deepEqual(u.current('c'), { count: 5, visitorReadSeq: 0 });
});

test('a read mark heard before an older snapshot arrives: exact when it covers the snapshot, else unknown', () => {
  const covered = new VisitorUnread();
  covered.watch('c');
  const seed = covered.seeder('c');
  covered.message('c', 5, 'agent');
  covered.read('c', 5);
  seed(snap(4, 0, 2));
  assert.deepEqual(covered.current('c'), { count: 0, visitorReadSeq: 5 });

  const inside = new VisitorUnread();
  inside.watch('c');
  const seed2 = inside.seeder('c');
  inside.read('c', 2);
  seed2(snap(4, 0, 3));
  assert.equal(inside.current('c'), null);
});

test('a snapshot asked for before a deaf spell ended is not used; a second one while known is ignored', () => {
  const u = new VisitorUnread();
  u.watch('c');
  const early = u.seeder('c');
  u.forget('c');
  early(snap(3, 0, 3));
  assert.equal(u.current('c'), null, 'it may lack what went unheard');
  u.seeder('c')(snap(9, 0, 5));
  u.seeder('c')(snap(1, 0, 1));
  assert.deepEqual(u.current('c'), { count: 5, visitorReadSeq: 0 });
  u.unwatch('c');
  assert.equal(u.message('c', 10, 'agent'), false, 'not watched: nothing kept');
  assert.equal(u.current('c'), null);
});

test('a conversation the query does not find (deleted) is not asked for again', async () => {
  const u = new VisitorUnread();
  u.watch('gone');
  const { counts, again } = await u.counts(['gone'], async () => new Map());
  assert.equal(counts.size, 0);
  assert.deepEqual(again, []);
});

test('memory stays bounded: past LIVE_SEQS_MAX unread messages heard, the count is queried again', () => {
  const u = new VisitorUnread();
  u.watch('c');
  u.seeder('c')(snap(0, 0, 0));
  for (let s = 1; s <= LIVE_SEQS_MAX; s++) u.message('c', s, 'agent');
  assert.equal(u.current('c')!.count, LIVE_SEQS_MAX);
  u.message('c', LIVE_SEQS_MAX + 1, 'agent');
  assert.equal(u.current('c'), null);
});

/** A deterministic PRNG (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Op = { kind: 'message'; seq: number; author: Author } | { kind: 'read'; seq: number };

/** The truth after the first `n` commits, as the database's query answers it. */
function truthAfter(ops: readonly Op[], n: number): VisitorReadState {
  let lastSeq = 0;
  let read = 0;
  const authors: Author[] = [];
  for (const op of ops.slice(0, n)) {
    if (op.kind === 'message') {
      lastSeq = op.seq;
      authors[op.seq] = op.author;
    } else read = Math.max(read, op.seq);
  }
  let unread = 0;
  for (let s = read + 1; s <= lastSeq; s++) if (authors[s] !== 'visitor') unread++;
  return snap(lastSeq, read, unread);
}

test('random interleavings of commits, late events, snapshots and deaf spells: whenever a count is known, it is the truth', async () => {
  for (let run = 0; run < 300; run++) {
    const r = rng(run + 1);
    // The commits: messages of any author, and read marks up to the last seq at the time (never back).
    const ops: Op[] = [];
    let seq = 0;
    let read = 0;
    for (let i = 0; i < 60; i++) {
      if (seq > 0 && r() < 0.3) {
        read = Math.max(read, read + Math.floor(r() * (seq - read + 1)));
        ops.push({ kind: 'read', seq: read });
      } else ops.push({ kind: 'message', seq: ++seq, author: r() < 0.3 ? 'visitor' : r() < 0.9 ? 'agent' : 'system' });
    }
    // The order they are heard in: commit order, but an (oversized) message may be handled a few events late.
    const order = ops.map((_, i) => ({ i, at: i + (ops[i]!.kind === 'message' && r() < 0.15 ? 1 + r() * 4 : 0) })).sort((a, b) => a.at - b.at);
    const u = new VisitorUnread();
    // Watched once a few commits have happened (a socket joining an ongoing conversation).
    const start = Math.floor(r() * 10);
    u.watch('c');
    let committed = start;
    const pending: Array<{ seed: (s: VisitorReadState) => void; from: number }> = [];
    let deafUntil = -1;
    /** Heard so far: indexes (of commits at or after `start`). */
    const heard = new Set<number>();
    for (let k = 0; k < start; k++) heard.add(k);
    const queue = order.filter((o) => o.i >= start);
    const check = () => {
      if (deafUntil > 0) return; // stale until the catch-up, as in the hub
      // Compare only when what was heard is a prefix of the commits and no snapshot newer than it was merged.
      let prefix = 0;
      while (heard.has(prefix)) prefix++;
      if ([...heard].some((i) => i >= prefix)) return;
      const c = u.current('c');
      if (c && mergedUpTo <= prefix) {
        const t = truthAfter(ops, prefix);
        assert.deepEqual(c, { count: t.unread, visitorReadSeq: t.visitorReadSeq }, `run ${run}, after ${prefix} commits`);
      }
    };
    let mergedUpTo = 0;
    while (queue.length) {
      const x = r();
      if (x < 0.15) {
        // A query starts: its snapshot is of a moment after this (at least what was heard, at most what committed).
        pending.push({ seed: u.seeder('c'), from: committed });
      } else if (x < 0.3 && pending.length) {
        const p = pending.splice(Math.floor(r() * pending.length), 1)[0]!;
        // The database may be a few commits ahead of what was heard.
        const at = Math.min(ops.length, p.from + Math.floor(r() * (committed + 3 - p.from + 1)));
        committed = Math.max(committed, at);
        const hadBase = !!u.current('c');
        p.seed(truthAfter(ops, at));
        if (!hadBase && u.current('c')) mergedUpTo = Math.max(mergedUpTo, at);
      } else if (x < 0.33 && deafUntil < 0) {
        // A deaf spell: the next few events go unheard, then the hub forgets.
        deafUntil = 1 + Math.floor(r() * 4);
      } else {
        const next = queue.shift()!;
        committed = Math.max(committed, next.i + 1);
        heard.add(next.i);
        if (deafUntil > 0) {
          deafUntil--;
          if (deafUntil === 0) {
            u.forget('c');
            mergedUpTo = 0;
            deafUntil = -1;
          }
          continue;
        }
        const op = ops[next.i]!;
        if (op.kind === 'message') u.message('c', op.seq, op.author);
        else u.read('c', op.seq);
      }
      check();
    }
    if (deafUntil > 0) u.forget('c');
    // At the end, the hub's look (a query when unknown) gives the truth.
    const { counts } = await u.counts(['c'], async () => new Map([['c', truthAfter(ops, ops.length)]]));
    const t = truthAfter(ops, ops.length);
    assert.deepEqual(counts.get('c'), { count: t.unread, visitorReadSeq: t.visitorReadSeq }, `run ${run}, at the end`);
  }
});
