// Two server processes on one PostgreSQL: a visitor on one and an agent on the
// other talk to each other (fan-out through LISTEN/NOTIFY).
// PostgreSQL comes from DATABASE_URL_TEST, or the URL .ci/install-postgres wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { EVENTS_CHANNEL, PRESENCE_MISSED_BEATS, parseEvent } from './events.js';
import { CLOSE } from '../src/shared/wire-protocol.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { type TestSocket, agentHeaders, agentSocket, api, newVisitor, spawnServer, visitorSocket } from '../test/helpers/node/server.js';
import { openStore } from './db/store.js';
import { Data } from './data/index.js';

const db = testDatabase();

test('visitor on process A and agent on process B deliver to each other', async (t) => {
  if (!db.available) {
    t.skip(db.skipReason);
    return;
  }
  const a = await spawnServer({ databaseUrl: db.url });
  const b = await spawnServer({ databaseUrl: db.url });
  try {
    const agent = await agentSocket(b.wsUrl);

    const v = await newVisitor(a.url, { profile: { name: 'Across' } });
    const { socket, ready } = await visitorSocket(a.wsUrl, v.token);
    // presence crosses processes too
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === ready.conversationId && f.conversation.online);

    socket.send({ type: 'send', clientId: 'x1', text: 'hello from A' });
    await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'x1');
    const pushed = await agent.waitFor((f) => f.type === 'message' && f.message.clientId === 'x1');
    assert.equal(pushed.message.text, 'hello from A');

    const reply = await api(b.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { body: { text: 'hello from B' }, headers: agentHeaders() });
    assert.equal(reply.status, 200);
    const got = await socket.waitFor((f) => f.type === 'message' && f.message.text === 'hello from B');
    assert.equal(got.message.seq, 2);

    agent.send({ type: 'typing', conversationId: ready.conversationId, typing: true });
    await socket.waitFor((f) => f.type === 'typing' && f.typing === true);

    // banning on B closes the visitor's socket on A
    await api(b.url, `/v1/agent/visitors/${v.visitor.visitorUid}/ban`, { body: {}, headers: agentHeaders() });
    assert.equal((await socket.waitClose()).code, CLOSE.VISITOR_BANNED);
    agent.close();
  } finally {
    await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
  }
});

/** Frames received after `mark` (an index into socket.frames). */
const since = (s: TestSocket, mark: number, pred: (f: any) => boolean) => (f: any) => s.frames.indexOf(f) >= mark && pred(f);

/**
 * Process A holds a visitor and an agent (of the demo app only); process B an
 * agent of every app and a visitor. Returns what the expiry tests watch.
 */
async function presenceAcross(presenceBeatMs: number, agentKey: string) {
  const a = await spawnServer({ databaseUrl: db.url, presenceBeatMs });
  const b = await spawnServer({ databaseUrl: db.url, presenceBeatMs }).catch(async (err) => {
    await a.kill();
    throw err;
  });
  let events: Awaited<ReturnType<typeof listenToEvents>> | null = null;
  try {
    const store = await openStore({ databaseUrl: db.url });
    try {
      await new Data(store).agents.create({ name: 'Agent on A', key: agentKey, appid: 'demo' });
    } finally {
      await store.close();
    }
    const vb = await newVisitor(b.url);
    const onB = await visitorSocket(b.wsUrl, vb.token);
    const agentB = await agentSocket(b.wsUrl);
    const agentA = await agentSocket(a.wsUrl, agentKey);
    await onB.socket.waitFor((f) => f.type === 'presence' && f.agentsOnline === 2);
    // The events both processes send, heard on a connection of the test's own: whose beats, and which process is A.
    events = await listenToEvents();
    const va = await newVisitor(a.url);
    const onA = await visitorSocket(a.wsUrl, va.token);
    await agentB.waitFor((f) => f.type === 'conversation' && f.conversation.id === onA.ready.conversationId && f.conversation.online);
    // B heard A's announcement on its own connection; ours may not have delivered it yet.
    await events.synced();
    const procA = events.procOf(va.visitor.visitorUid);
    assert.ok(procA, "A's presence announcement heard");
    return { a, b, agentA, agentB, visitorB: onB.socket, conversationA: onA.ready.conversationId as string, events, procA };
  } catch (err) {
    // A failed setup fails its test: the processes and our connection would keep the file from ever ending.
    await Promise.all([a.kill(), b.kill(), events?.close()]);
    throw err;
  }
}

/** The test's own channel: a NOTIFY of ours that, heard back, says everything committed before it was heard too. */
const SENTINEL_CHANNEL = 'twt_test_sentinel';

/**
 * LISTENs on the events channel: which process announced a visitor, and the beats heard from the others since a mark.
 * Our connection hears the events in commit order but on its own schedule, not in step with what the processes push
 * over their sockets: `synced()` waits until it has heard everything committed so far (its own NOTIFY comes back).
 */
async function listenToEvents() {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  const announcedBy = new Map<string, string>();
  const beats: string[] = [];
  const sentinels = new Map<string, () => void>();
  client.on('notification', (n) => {
    if (n.channel === SENTINEL_CHANNEL) return sentinels.get(n.payload ?? '')?.();
    const e = parseEvent(n.payload ?? '');
    if (e?.kind === 'presence') for (const uid of e.visitorUids ?? []) announcedBy.set(uid, e.proc);
    if (e?.kind === 'presence_beat') beats.push(e.proc);
  });
  await client.query(`LISTEN ${EVENTS_CHANNEL}`);
  await client.query(`LISTEN ${SENTINEL_CHANNEL}`);
  let sentinelSeq = 0;
  return {
    async synced(): Promise<void> {
      const id = String(++sentinelSeq);
      const heard = new Promise<void>((ok) => sentinels.set(id, ok));
      await client.query('SELECT pg_notify($1, $2)', [SENTINEL_CHANNEL, id]);
      await heard;
      sentinels.delete(id);
    },
    procOf: (uid: string) => announcedBy.get(uid),
    mark: () => beats.length,
    /** Beats heard since `mark` from processes other than `proc`. */
    beatsSince: (mark: number, notFrom: string) => beats.slice(mark).filter((p) => p !== notFrom).length,
    close: () => client.end(),
  };
}

/**
 * Runs `run` (A goes away), waits until B's agent sees A's visitor offline and
 * B's visitor sees one agent online, and returns how many beats B sent in
 * between: the measure of when B let A go, counted in B's own intervals, not in ms.
 */
async function seenGone(s: Awaited<ReturnType<typeof presenceAcross>>, run: () => Promise<void>) {
  const markAgent = s.agentB.frames.length;
  const markVisitor = s.visitorB.frames.length;
  await s.events.synced(); // beats from before the mark are not counted after it
  const markBeats = s.events.mark();
  await run();
  await Promise.all([
    s.agentB.waitFor(since(s.agentB, markAgent, (f) => f.type === 'conversation' && f.conversation.id === s.conversationA && !f.conversation.online)),
    s.visitorB.waitFor(since(s.visitorB, markVisitor, (f) => f.type === 'presence' && f.agentsOnline === 1)),
  ]);
  // The beats B committed before its pushes, heard on our connection (which may lag behind B's sockets).
  await s.events.synced();
  const beatsOfB = s.events.beatsSince(markBeats, s.procA);
  const list = await api(s.b.url, '/v1/agent/conversations', { headers: agentHeaders() });
  assert.equal(list.json.conversations.find((c: any) => c.id === s.conversationA)?.online, false, 'listed offline on B too');
  return { beatsOfB };
}

test('a process killed with SIGKILL: its visitors and agents go offline on the others once it has missed its beats', async (t) => {
  if (!db.available) {
    t.skip(db.skipReason);
    return;
  }
  const BEAT = 200;
  const s = await presenceAcross(BEAT, 'agent-a-kill-key');
  try {
    const { beatsOfB } = await seenGone(s, () => s.a.kill('SIGKILL'));
    t.diagnostic(`after SIGKILL (beat ${BEAT} ms): B beat ${beatsOfB} times before A's visitor and agent were offline on B`);
    // B judges A at its own ticks, each of which beats first. A (whose last sign
    // of life came at most one interval before the kill) is let go at the first
    // tick past PRESENCE_MISSED_BEATS intervals of silence: at least
    // PRESENCE_MISSED_BEATS - 1 ticks after the kill. The beat of the last of
    // them may commit after the pushes, so one fewer is certain to be counted.
    assert.ok(beatsOfB >= PRESENCE_MISSED_BEATS - 2, `B beat ${beatsOfB} times first`);
    s.agentB.close();
    s.visitorB.close();
  } finally {
    await Promise.all([s.a.kill('SIGKILL'), s.b.kill('SIGTERM'), s.events.close()]);
  }
});

test('a clean shutdown says goodbye: the others drop its presence at once, without waiting for beats', async (t) => {
  if (!db.available) {
    t.skip(db.skipReason);
    return;
  }
  const BEAT = 60_000; // expiry would take 3 minutes
  const s = await presenceAcross(BEAT, 'agent-a-bye-key');
  try {
    const { beatsOfB } = await seenGone(s, () => s.a.kill('SIGTERM'));
    // Not one beat of B in between: A was not judged by beats, its goodbye dropped it.
    assert.equal(beatsOfB, 0, 'dropped before B beat again');
    s.agentB.close();
    s.visitorB.close();
  } finally {
    await Promise.all([s.a.kill('SIGKILL'), s.b.kill('SIGTERM'), s.events.close()]);
  }
});
