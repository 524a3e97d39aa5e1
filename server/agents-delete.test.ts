// Deleting an agent (agents:delete / data.agents.delete) revokes its key at once:
// REST 401, live agent sockets closed with CLOSE.TOKEN_REVOKED, in this process
// and (PostgreSQL, two server processes + the CLI as a third) in the others,
// without waiting for the agent cache's TTL; the visitor's history keeps the
// agent's messages. PostgreSQL comes from DATABASE_URL_TEST or /tmp/twt-ci-pg-url
// (.ci/install-postgres); without it the multi-process test is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CLOSE } from '../src/shared/wire-protocol.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { agentHeaders, agentSocket, api, newVisitor, spawnServer, startTestServer, visitorSocket } from '../test/helpers/node/server.js';
import { openStore } from './db/store.js';
import { Data } from './data/index.js';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** Runs the CLI (through tsx) with these env additions; resolves with its exit code and output. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const { DATABASE_URL: _omit, ...base } = process.env;
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...base, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
      ok({ code, stdout, stderr });
    });
  });
}

async function refusedAtAuth(wsUrl: string, key: string): Promise<number> {
  return (await (await agentSocket(wsUrl, key, { ready: false })).waitClose()).code;
}

/** The visitor's view of its conversation, through the visitor REST API. */
async function visitorHistory(base: string, token: string, conversationId: string) {
  const r = await api(base, `/v1/visitor/messages?conversation=${conversationId}&after=0`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(r.status, 200, r.text);
  return r.json.messages as Array<{ author: string; authorName?: string; text: string }>;
}

test('deleting an agent by id: REST 401 and its live socket closed 4003 at once; history and other agents untouched', async () => {
  const server = await startTestServer();
  try {
    assert.ok(await server.data.agents.create({ name: 'Leaky Lou', key: 'leaky-key', appid: 'demo' }));
    const id = (await server.data.agents.list()).find((a) => a.name === 'Leaky Lou')!.id;

    const v = await newVisitor(server.url);
    const { socket: visitor, ready } = await visitorSocket(server.wsUrl, v.token);
    const leaky = await agentSocket(server.wsUrl, 'leaky-key');
    const demo = await agentSocket(server.wsUrl, 'demo-agent-key');
    const sent = await api(server.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { body: { text: 'I will help you' }, headers: agentHeaders('leaky-key') });
    assert.equal(sent.status, 200);
    await visitor.waitFor((f) => f.type === 'message' && f.message.text === 'I will help you');
    // The key is in the agent cache now: what follows must not wait for its TTL.
    assert.equal((await api(server.url, '/v1/agent/conversations', { headers: agentHeaders('leaky-key') })).status, 200);

    const r = await server.data.agents.delete({ id });
    assert.deepEqual(r && { ...r, revokedAt: typeof r.revokedAt }, { agent: { id, name: 'Leaky Lou', appid: 'demo', role: 'agent', email: null }, revokedAt: 'string', already: false });

    // REST refused right after the delete returns (no waiting for any event).
    const refused = await api(server.url, '/v1/agent/conversations', { headers: agentHeaders('leaky-key') });
    assert.equal(refused.status, 401);
    assert.equal(
      (await api(server.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { body: { text: 'still here?' }, headers: agentHeaders('leaky-key') })).status,
      401,
    );
    const closed = await leaky.waitClose();
    assert.equal(closed.code, CLOSE.TOKEN_REVOKED);
    assert.equal(closed.reason, 'agent key revoked');
    assert.equal(await refusedAtAuth(server.wsUrl, 'leaky-key'), CLOSE.TOKEN_REVOKED);

    // Other agents and the visitor carry on; the visitor's history keeps the deleted agent's message and name.
    assert.equal((await api(server.url, '/v1/agent/conversations', { headers: agentHeaders() })).status, 200);
    demo.send({ type: 'ping' });
    await demo.waitFor((f) => f.type === 'pong');
    assert.equal(demo.closed, null);
    assert.equal(visitor.closed, null);
    const history = await visitorHistory(server.url, v.token, ready.conversationId);
    assert.deepEqual(
      history.map((m) => [m.author, m.authorName, m.text]),
      [['agent', 'Leaky Lou', 'I will help you']],
    );

    // Listed as deleted; deleting again says so; the revoked key can never be stored again.
    const listed = (await server.data.agents.list()).find((a) => a.id === id)!;
    assert.ok(listed.revokedAt);
    assert.equal((await server.data.agents.delete({ id }))?.already, true);
    assert.equal(await server.data.agents.create({ name: 'Again', key: 'leaky-key', appid: null }), false);
    assert.equal(await server.data.agents.delete({ id: 987654 }), null);
    assert.equal(await server.data.agents.delete({ key: 'no-such-key' }), null);
    visitor.close();
    demo.close();
  } finally {
    await server.close();
  }
});

test('deleting an agent by key: only the agent with that key hash goes', async () => {
  const server = await startTestServer();
  try {
    await server.data.agents.create({ name: 'Key A', key: 'key-a', appid: null });
    await server.data.agents.create({ name: 'Key B', key: 'key-b', appid: null });
    const a = await agentSocket(server.wsUrl, 'key-a');
    const b = await agentSocket(server.wsUrl, 'key-b');
    const r = await server.data.agents.delete({ key: 'key-a' });
    assert.equal(r?.agent.name, 'Key A');
    assert.equal((await api(server.url, '/v1/agent/conversations', { headers: agentHeaders('key-a') })).status, 401);
    assert.equal((await api(server.url, '/v1/agent/conversations', { headers: agentHeaders('key-b') })).status, 200);
    assert.equal((await a.waitClose()).code, CLOSE.TOKEN_REVOKED);
    b.send({ type: 'ping' });
    await b.waitFor((f) => f.type === 'pong');
    assert.equal(b.closed, null);
    b.close();
  } finally {
    await server.close();
  }
});

test('CLI agents:delete on PGlite: by key and by id, clear errors, list marks deleted, the seed does not bring the key back', async () => {
  const first = await startTestServer();
  const dataDir = first.dataDir;
  await first.data.agents.create({ name: 'Temp', key: 'temp-key', appid: 'demo' });
  await first.close(); // PGlite: one process owns the directory
  const env = { TWT_DATA_DIR: dataDir };

  const byKey = await cli(['agents:delete', '--key', 'demo-agent-key'], env);
  assert.equal(byKey.code, 0, byKey.stderr);
  assert.match(byKey.stdout, /^deleted agent \d+ \(Demo Agent, all apps\): key revoked/);

  const list = await cli(['agents:list'], env);
  assert.equal(list.code, 0, list.stderr);
  const lines = list.stdout.trim().split('\n');
  assert.match(lines.find((l) => l.includes('Demo Agent'))!, /\tdeleted \d{4}-\d\d-\d\dT/);
  const temp = lines.find((l) => l.includes('Temp'))!;
  assert.doesNotMatch(temp, /deleted/);
  const tempId = temp.split('\t')[0]!;

  const unknown = await cli(['agents:delete', '--id', '424242'], env);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.stderr, /no agent with id 424242/);
  const both = await cli(['agents:delete', '--id', tempId, '--key', 'temp-key'], env);
  assert.notEqual(both.code, 0);
  assert.match(both.stderr, /one of --id N or --key K/);
  const byId = await cli(['agents:delete', '--id', tempId], env);
  assert.equal(byId.code, 0, byId.stderr);
  assert.match(byId.stdout, new RegExp(`^deleted agent ${tempId} \\(Temp, demo\\)`));
  const unknownKey = await cli(['agents:delete', '--key', 'never-issued'], env);
  assert.notEqual(unknownKey.code, 0);
  assert.match(unknownKey.stderr, /no agent has that key/);

  // Restart on the same data: the demo seed runs again but the revoked key stays revoked.
  const again = await startTestServer({ dataDir });
  try {
    assert.equal((await api(again.url, '/v1/agent/conversations', { headers: agentHeaders() })).status, 401);
    assert.equal((await api(again.url, '/v1/agent/conversations', { headers: agentHeaders('temp-key') })).status, 401);
    assert.equal(await refusedAtAuth(again.wsUrl, 'demo-agent-key'), CLOSE.TOKEN_REVOKED);
  } finally {
    await again.close();
  }
});

// --- several processes on PostgreSQL -----------------------------------------
const db = testDatabase();

test('PostgreSQL: agents:delete from another process closes the agent on processes A and B and both refuse its REST calls at once', async (t) => {
  if (!db.available) {
    t.skip(db.skipReason);
    return;
  }
  // Cached rows never expire by age here: whatever refuses the key after the delete is the revoke event.
  const a = await spawnServer({ databaseUrl: db.url, stoppedCacheClock: true });
  const b = await spawnServer({ databaseUrl: db.url, stoppedCacheClock: true });
  const key = `leaky-${process.pid}-${Date.now()}`;
  const store = await openStore({ databaseUrl: db.url });
  try {
    assert.ok(await new Data(store).agents.create({ name: 'Leaky Across', key, appid: 'demo' }));
  } finally {
    await store.close();
  }
  try {
    const onA = await agentSocket(a.wsUrl, key);
    const onB = await agentSocket(b.wsUrl, key);
    const v = await newVisitor(a.url);
    const { socket: visitor, ready } = await visitorSocket(a.wsUrl, v.token);
    // Replies through B reach the visitor on A; both processes have the key cached afterwards.
    assert.equal((await api(b.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { body: { text: 'from B' }, headers: agentHeaders(key) })).status, 200);
    await visitor.waitFor((f) => f.type === 'message' && f.message.text === 'from B');
    assert.equal((await api(a.url, '/v1/agent/conversations', { headers: agentHeaders(key) })).status, 200);
    assert.equal((await api(b.url, '/v1/agent/conversations', { headers: agentHeaders(key) })).status, 200);

    const del = await cli(['agents:delete', '--key', key], { DATABASE_URL: db.url });
    assert.equal(del.code, 0, del.stderr);
    assert.match(del.stdout, /^deleted agent \d+ \(Leaky Across, demo\)/);

    // Both sockets close with the revoke code; the close and the cache drop happen in the same event handler,
    // so REST is refused right after (the cache clocks stand still: no TTL could have expired the key).
    const [closedA, closedB] = await Promise.all([onA.waitClose(), onB.waitClose()]);
    assert.equal(closedA.code, CLOSE.TOKEN_REVOKED);
    assert.equal(closedB.code, CLOSE.TOKEN_REVOKED);
    assert.equal((await api(b.url, '/v1/agent/conversations', { headers: agentHeaders(key) })).status, 401);
    assert.equal((await api(a.url, '/v1/agent/conversations', { headers: agentHeaders(key) })).status, 401);
    assert.equal(
      (await api(b.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { body: { text: 'after delete' }, headers: agentHeaders(key) })).status,
      401,
    );
    assert.equal(await refusedAtAuth(b.wsUrl, key), CLOSE.TOKEN_REVOKED);

    // The visitor (on A) still reads the deleted agent's reply; the demo agent still works.
    const history = await visitorHistory(a.url, v.token, ready.conversationId);
    assert.deepEqual(
      history.map((m) => [m.author, m.authorName, m.text]),
      [['agent', 'Leaky Across', 'from B']],
    );
    assert.equal(visitor.closed, null);
    assert.equal((await api(b.url, '/v1/agent/conversations', { headers: agentHeaders() })).status, 200);
    visitor.close();
  } finally {
    await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
  }
});

test('PostgreSQL: a process deaf while an agent is deleted closes its socket and refuses its key once it listens again', async (t) => {
  if (!db.available) {
    t.skip(db.skipReason);
    return;
  }
  // B's timers stand still until the test steps them: it stays deaf, whatever the load, until its reconnect wait is
  // stepped through, so the agent_revoked NOTIFY is sent while it is deaf.
  const b = await spawnServer({ databaseUrl: db.url, listenReconnectMs: { min: 1500, max: 1500 }, stoppedCacheClock: true, manualClock: true });
  const key = `deaf-${process.pid}-${Date.now()}`;
  const store = await openStore({ databaseUrl: db.url });
  const data = new Data(store);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    assert.ok(await data.agents.create({ name: 'Deaf Case', key, appid: null }));
    const onB = await agentSocket(b.wsUrl, key);
    assert.equal((await api(b.url, '/v1/agent/conversations', { headers: agentHeaders(key) })).status, 200); // cached on B
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1`, [
      `twt listen pid=${b.child.pid} %`,
    ]);
    assert.equal(killed.rowCount, 1, "B's LISTEN backend terminated");
    await b.logged(/LISTEN connection lost/);
    assert.equal((await data.agents.delete({ key }))?.already, false);
    // Deaf B has not heard it: the socket still answers (a frame handled after the delete committed).
    onB.send({ type: 'ping' });
    await onB.waitFor((f) => f.type === 'pong');
    assert.equal(onB.closed, null);
    await b.advance(1500);
    const closed = await onB.waitClose();
    assert.equal(closed.code, CLOSE.TOKEN_REVOKED);
    assert.equal((await api(b.url, '/v1/agent/conversations', { headers: agentHeaders(key) })).status, 401);
  } finally {
    await admin.end();
    await store.close();
    await b.kill('SIGTERM');
  }
});

test('PostgreSQL: one key revoked while a process is deaf: the socket that key opened closes once it listens again, the agent keeps its other key', async (t) => {
  if (!db.available) {
    t.skip(db.skipReason);
    return;
  }
  const b = await spawnServer({ databaseUrl: db.url, listenReconnectMs: { min: 1500, max: 1500 }, stoppedCacheClock: true, manualClock: true });
  const key = `deaf-key-${process.pid}-${Date.now()}`;
  const store = await openStore({ databaseUrl: db.url });
  const data = new Data(store);
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    assert.ok(await data.agents.create({ name: 'Deaf Key', key, appid: null }));
    const agentId = (await data.agents.list()).find((a) => a.name === 'Deaf Key')!.id;
    const other = (await data.agentKeys.create(agentId, 'other'))!;
    const keyId = (await data.agentKeys.list(agentId)).find((k) => k.label === 'key')!.id;
    const onB = await agentSocket(b.wsUrl, key);
    const otherOnB = await agentSocket(b.wsUrl, other.key);
    assert.equal((await api(b.url, '/v1/agent/conversations', { headers: agentHeaders(key) })).status, 200); // cached on B
    const killed = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1`, [
      `twt listen pid=${b.child.pid} %`,
    ]);
    assert.equal(killed.rowCount, 1, "B's LISTEN backend terminated");
    await b.logged(/LISTEN connection lost/);
    assert.ok(await data.agentKeys.revoke(agentId, keyId));
    // Deaf B has not heard it (see the test above); its reconnect wait, stepped through, ends the deaf spell.
    onB.send({ type: 'ping' });
    await onB.waitFor((f) => f.type === 'pong');
    assert.equal(onB.closed, null);
    await b.advance(1500);
    assert.equal((await onB.waitClose()).code, CLOSE.TOKEN_REVOKED);
    assert.equal((await api(b.url, '/v1/agent/conversations', { headers: agentHeaders(key) })).status, 401);
    otherOnB.send({ type: 'ping' });
    await otherOnB.waitFor((f) => f.type === 'pong');
    assert.equal(otherOnB.closed, null);
    otherOnB.close();
  } finally {
    await admin.end();
    await store.close();
    await b.kill('SIGTERM');
  }
});
