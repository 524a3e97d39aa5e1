// A lost LISTEN connection (PostgreSQL restart, failover, pg_terminate_backend):
// the store reconnects with a jittered backoff and says so; the hub then
// catches up the messages it could not hear, and presence survives.
// PostgreSQL comes from DATABASE_URL_TEST, or the URL .ci/install-postgres wrote.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgresStore, reconnectDelay, RECONNECT_MAX_MS, RECONNECT_MIN_MS } from './db/pg-store.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { agentHeaders, agentSocket, api, newVisitor, sleep, spawnServer, until, visitorSocket } from '../test/helpers/node/server.js';

// A database of our own: the tests close it to new connections for a while.
const db = testDatabase({ prefix: 'twt_test_listen', ownOnly: true });

/** Terminates the LISTEN backends of process `pid` (by their application_name); returns how many. */
async function killListener(pid: number): Promise<number> {
  const r = await db.admin!.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE $2`, [db.name, `twt listen pid=${pid} %`]);
  return r.rowCount ?? 0;
}

async function listenerBackends(pid: number): Promise<number> {
  const r = await db.admin!.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE $2`, [db.name, `twt listen pid=${pid} %`]);
  return r.rows[0].n;
}

const allowConnections = (on: boolean) => db.admin!.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS ${on}`);

describe('reconnect delay', () => {
  test('doubles from the minimum to the cap, jittered over the upper half of each step', () => {
    const steps = [100, 200, 400, 800, 1600, 3200, 5000, 5000];
    steps.forEach((step, attempt) => {
      assert.equal(reconnectDelay(attempt, () => 0), step / 2);
      assert.equal(reconnectDelay(attempt, () => 0.999999), step);
    });
    assert.equal(RECONNECT_MIN_MS, 100);
    assert.equal(RECONNECT_MAX_MS, 5000);
    assert.equal(reconnectDelay(10_000, () => 1), RECONNECT_MAX_MS, 'no overflow after many attempts');
    for (let i = 0; i < 200; i++) {
      const d = reconnectDelay(3);
      assert.ok(d >= 400 && d <= 800);
    }
  });
});

describe('the PostgreSQL store loses its LISTEN connection', () => {
  test('reconnects with backoff, listens again, says onLost/onResume once per outage, logs one line each; close() stops it', async (t) => {
    if (!db.available) return t.skip(db.skipReason);
    const store = await openPostgresStore(db.url, { reconnectMinMs: 20, reconnectMaxMs: 200 });
    const got: string[] = [];
    const other: string[] = [];
    const said: string[] = [];
    const logged: string[] = [];
    const origError = console.error;
    console.error = (...a: unknown[]) => void logged.push(a.map(String).join(' '));
    try {
      await store.listen('twt_test_a', (p) => got.push(p), { onLost: () => said.push('lost'), onResume: () => said.push('resume') });
      await store.listen('twt_test_b', (p) => other.push(p));
      const notify = (ch: string, p: string) => store.query('SELECT pg_notify($1, $2)', [ch, p]);
      await notify('twt_test_a', 'before');
      await until(() => got.includes('before'), 'live before the outage');

      // An outage with failing reconnects: the database refuses new connections for a while.
      await allowConnections(false);
      try {
        assert.equal(await killListener(process.pid), 1);
        await until(() => said.includes('lost'), 'onLost');
        await sleep(600); // several refused attempts (20 ms doubling to 200 ms)
        assert.deepEqual(said, ['lost'], 'no resume while the database refuses connections');
      } finally {
        await allowConnections(true);
      }
      await until(() => said.includes('resume'), 'onResume');
      assert.deepEqual(said, ['lost', 'resume']);
      // Both channels are listened again.
      await notify('twt_test_a', 'after');
      await notify('twt_test_b', 'after-b');
      await until(() => got.includes('after') && other.includes('after-b'), 'live after the outage');
      assert.deepEqual(got, ['before', 'after']);
      assert.equal(await listenerBackends(process.pid), 1, 'one LISTEN connection, the failed ones released');
      const lost = logged.filter((l) => l.includes('LISTEN connection lost'));
      const restored = logged.filter((l) => l.includes('LISTEN connection restored'));
      assert.equal(lost.length, 1, `one line per outage: ${JSON.stringify(logged)}`);
      assert.equal(restored.length, 1, `one line on recovery: ${JSON.stringify(logged)}`);

      // A second, plain outage (terminated; the reconnect succeeds at once).
      await killListener(process.pid);
      await until(() => said.length === 4, 'second outage and resume');
      assert.deepEqual(said, ['lost', 'resume', 'lost', 'resume']);

      // Lost, then closed before the reconnect: nothing reconnects, nothing is told.
      await allowConnections(false);
      try {
        await killListener(process.pid);
        await until(() => said.length === 5, 'third onLost');
        await store.close();
      } finally {
        await allowConnections(true);
      }
      await sleep(500);
      assert.equal(await listenerBackends(process.pid), 0, 'no LISTEN connection after close');
      assert.deepEqual(said.slice(4), ['lost']);
    } finally {
      console.error = origError;
      await store.close();
    }
  });

  test('close() does not count as an outage', async (t) => {
    if (!db.available) return t.skip(db.skipReason);
    const store = await openPostgresStore(db.url, { reconnectMinMs: 20, reconnectMaxMs: 200 });
    const said: string[] = [];
    await store.listen('twt_test_c', () => {}, { onLost: () => said.push('lost'), onResume: () => said.push('resume') });
    await store.close();
    await sleep(200);
    assert.deepEqual(said, []);
    assert.equal(await listenerBackends(process.pid), 0);
  });
});

test('process B loses LISTEN: after it listens again its agent and visitor tab get every message sent meanwhile, in order, once; presence survives', async (t) => {
  if (!db.available) return t.skip(db.skipReason);
  const BEAT = 200;
  // B's timers (presence beats and judging, the LISTEN reconnect wait) stand still until the test steps them:
  // B stays deaf for exactly as long as the test says, however slowly this machine sends the messages meanwhile.
  // Its reconnect comes 2..4 s (jittered) of B's time after the loss: deaf well past 3 beats (when a deaf B
  // used to forget A). A runs on real time; only what B sees is asserted.
  const RECONNECT_MS = 4000;
  const a = await spawnServer({ databaseUrl: db.url, presenceBeatMs: BEAT });
  const b = await spawnServer({ databaseUrl: db.url, presenceBeatMs: BEAT, listenReconnectMs: { min: RECONNECT_MS, max: RECONNECT_MS }, manualClock: true });
  try {
    const agent = await agentSocket(b.wsUrl);
    const v = await newVisitor(a.url);
    const { socket: onA, ready } = await visitorSocket(a.wsUrl, v.token);
    const conversationId = ready.conversationId as string;
    // The same visitor's second tab, on B.
    const { socket: onB } = await visitorSocket(b.wsUrl, v.token, { conversationId, lastSeq: 0 });
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === conversationId && f.conversation.online);
    // Another visitor on A, who leaves while B is deaf (B misses that offline NOTIFY).
    const v2 = await newVisitor(a.url);
    const leaving = await visitorSocket(a.wsUrl, v2.token);
    const leavingConv = leaving.ready.conversationId as string;
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === leavingConv && f.conversation.online);
    // A visitor on A alone, who stays: what B shows of A's presence (the first visitor has a tab on B too).
    const staying = await visitorSocket(a.wsUrl, (await newVisitor(a.url)).token);
    const stayingConv = staying.ready.conversationId as string;
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === stayingConv && f.conversation.online);

    const send = async (clientId: string) => {
      onA.send({ type: 'send', clientId, text: `text ${clientId}` });
      return (await onA.waitFor((f) => f.type === 'ack' && f.clientId === clientId)).message.seq as number;
    };
    const agentMessages = (mark: number) => agent.frames.slice(mark).filter((f) => f.type === 'message' && f.conversationId === conversationId).map((f) => f.message.clientId);
    const tabMessages = (mark: number) => onB.frames.slice(mark).filter((f) => f.type === 'message').map((f) => f.message.clientId);

    await send('live-0');
    await agent.waitFor((f) => f.type === 'message' && f.message.clientId === 'live-0');
    await onB.waitFor((f) => f.type === 'message' && f.message.clientId === 'live-0');

    const markAgent = agent.frames.length;
    const markTab = onB.frames.length;
    assert.equal(await killListener(b.child.pid!), 1, "B's LISTEN backend terminated");
    // B has noticed (its reconnect wait is scheduled on its clock once this line is out).
    await b.logged(/LISTEN connection lost/);
    leaving.socket.close();
    await leaving.socket.waitClose();
    const deaf = ['deaf-1', 'deaf-2', 'deaf-3', 'deaf-4', 'deaf-5'];
    const seqs: number[] = [];
    for (const id of deaf) seqs.push(await send(id));
    assert.deepEqual(seqs, [2, 3, 4, 5, 6]);
    // Five beats of B's time, deaf (its reconnect is 2 s away at the earliest): B judges nobody for the silence.
    await b.advance(5 * BEAT);
    assert.deepEqual(agentMessages(markAgent), [], 'B is deaf: its agent heard nothing yet');
    assert.deepEqual(tabMessages(markTab), [], 'B is deaf: its visitor tab heard nothing yet');

    // The reconnect wait runs out: B listens again and catches up.
    await b.advance(RECONNECT_MS);
    await agent.waitFor((f) => f.type === 'message' && f.message.clientId === 'deaf-5');
    await onB.waitFor((f) => f.type === 'message' && f.message.clientId === 'deaf-5');

    // Live fan-out works again; a last message is the sentinel that any duplicate would have come before.
    await send('live-after');
    await send('last');
    await agent.waitFor((f) => f.type === 'message' && f.message.clientId === 'last');
    await onB.waitFor((f) => f.type === 'message' && f.message.clientId === 'last');
    assert.deepEqual(agentMessages(markAgent), [...deaf, 'live-after', 'last'], "B's agent: all, in order, once");
    assert.deepEqual(tabMessages(markTab), [...deaf, 'live-after', 'last'], "B's visitor tab: all, in order, once");
    const agentSeqs = agent.frames.slice(markAgent).filter((f) => f.type === 'message' && f.conversationId === conversationId).map((f) => f.message.seq);
    assert.deepEqual(agentSeqs, [2, 3, 4, 5, 6, 7, 8]);

    // Presence: A's visitors were never shown offline on B, and still are online there.
    const offline = agent.frames.slice(markAgent).filter((f) => f.type === 'conversation' && [conversationId, stayingConv].includes(f.conversation.id) && !f.conversation.online);
    assert.deepEqual(offline, [], "B did not forget A's visitors while deaf");
    const list = await api(b.url, '/v1/agent/conversations', { headers: agentHeaders() });
    assert.equal(list.json.conversations.find((c: any) => c.id === conversationId)?.online, true, 'listed online on B');
    assert.equal(list.json.conversations.find((c: any) => c.id === stayingConv)?.online, true, "A's other visitor listed online on B");

    // The visitor who left meanwhile: B learned it from A's answer to its presence_hello.
    await agent.waitFor((f) => agent.frames.indexOf(f) >= markAgent && f.type === 'conversation' && f.conversation.id === leavingConv && !f.conversation.online);
    const list2 = await api(b.url, '/v1/agent/conversations', { headers: agentHeaders() });
    assert.equal(list2.json.conversations.find((c: any) => c.id === leavingConv)?.online, false, 'the one who left is listed offline on B');

    // Typing crosses again too (live, not caught up).
    agent.send({ type: 'typing', conversationId, typing: true });
    await onA.waitFor((f) => f.type === 'typing' && f.typing === true);
    agent.close();
    onA.close();
    onB.close();
    staying.socket.close();
  } finally {
    await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
  }
});
