// Two server processes on one PostgreSQL: a visitor on one and an agent on the
// other talk to each other (fan-out through LISTEN/NOTIFY).
// PostgreSQL comes from DATABASE_URL_TEST, or the URL .ci/install-postgres wrote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE } from '../src/protocol/wire.js';
import { testDatabase } from './test/postgres.js';
import { TestSocket, agentHeaders, api, newVisitor, spawnServer, visitorSocket } from './test/support.js';
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
    const agent = await TestSocket.open(b.wsUrl + '/v1/agent/ws');
    agent.send({ type: 'auth', key: 'demo-agent-key' });
    await agent.waitFor((f) => f.type === 'ready');

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

async function agentOn(wsUrl: string, key: string) {
  const s = await TestSocket.open(wsUrl + '/v1/agent/ws');
  s.send({ type: 'auth', key });
  await s.waitFor((f) => f.type === 'ready');
  return s;
}

/** Frames received after `mark` (an index into socket.frames). */
const since = (s: TestSocket, mark: number, pred: (f: any) => boolean) => (f: any) => s.frames.indexOf(f) >= mark && pred(f);

/**
 * Process A holds a visitor and an agent (of the demo app only); process B an
 * agent of every app and a visitor. Returns what the expiry tests watch.
 */
async function presenceAcross(presenceBeatMs: number, agentKey: string) {
  const a = await spawnServer({ databaseUrl: db.url, presenceBeatMs });
  const b = await spawnServer({ databaseUrl: db.url, presenceBeatMs });
  const store = await openStore({ databaseUrl: db.url });
  try {
    await new Data(store).agents.create({ name: 'Agent on A', key: agentKey, appid: 'demo' });
  } finally {
    await store.close();
  }
  const vb = await newVisitor(b.url);
  const onB = await visitorSocket(b.wsUrl, vb.token);
  const agentB = await agentOn(b.wsUrl, 'demo-agent-key');
  const agentA = await agentOn(a.wsUrl, agentKey);
  await onB.socket.waitFor((f) => f.type === 'presence' && f.agentsOnline === 2);
  const va = await newVisitor(a.url);
  const onA = await visitorSocket(a.wsUrl, va.token);
  await agentB.waitFor((f) => f.type === 'conversation' && f.conversation.id === onA.ready.conversationId && f.conversation.online);
  return { a, b, agentA, agentB, visitorB: onB.socket, conversationA: onA.ready.conversationId as string };
}

/** Waits until B's agent sees A's visitor offline and B's visitor sees one agent online; returns the ms each took. */
async function seenGone(s: Awaited<ReturnType<typeof presenceAcross>>, run: () => Promise<void>, timeoutMs: number) {
  const markAgent = s.agentB.frames.length;
  const markVisitor = s.visitorB.frames.length;
  const t0 = Date.now();
  await run();
  const [visitorOffline, agentsDrop] = await Promise.all([
    s.agentB
      .waitFor(since(s.agentB, markAgent, (f) => f.type === 'conversation' && f.conversation.id === s.conversationA && !f.conversation.online), timeoutMs)
      .then(() => Date.now() - t0),
    s.visitorB.waitFor(since(s.visitorB, markVisitor, (f) => f.type === 'presence' && f.agentsOnline === 1), timeoutMs).then(() => Date.now() - t0),
  ]);
  const list = await api(s.b.url, '/v1/agent/conversations', { headers: agentHeaders() });
  assert.equal(list.json.conversations.find((c: any) => c.id === s.conversationA)?.online, false, 'listed offline on B too');
  return { visitorOffline, agentsDrop };
}

test('a process killed with SIGKILL: its visitors and agents go offline on the others within ~3 beats', async (t) => {
  if (!db.available) {
    t.skip(db.skipReason);
    return;
  }
  const BEAT = 200;
  const s = await presenceAcross(BEAT, 'agent-a-kill-key');
  try {
    const took = await seenGone(s, () => s.a.kill('SIGKILL'), 20 * BEAT);
    t.diagnostic(`after SIGKILL (beat ${BEAT} ms): visitor offline on B after ${took.visitorOffline} ms, agentsOnline dropped after ${took.agentsDrop} ms`);
    for (const ms of [took.visitorOffline, took.agentsDrop]) assert.ok(ms <= 6 * BEAT, `expired within ~3 beats (+ a window), took ${ms} ms`);
    s.agentB.close();
    s.visitorB.close();
  } finally {
    await Promise.all([s.a.kill('SIGKILL'), s.b.kill('SIGTERM')]);
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
    const took = await seenGone(s, () => s.a.kill('SIGTERM'), 5000);
    t.diagnostic(`after SIGTERM: visitor offline on B after ${took.visitorOffline} ms, agentsOnline dropped after ${took.agentsDrop} ms`);
    for (const ms of [took.visitorOffline, took.agentsDrop]) assert.ok(ms < 2000, `dropped at once, took ${ms} ms`);
    s.agentB.close();
    s.visitorB.close();
  } finally {
    await Promise.all([s.a.kill('SIGKILL'), s.b.kill('SIGTERM')]);
  }
});
