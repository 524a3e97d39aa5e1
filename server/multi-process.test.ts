// Two server processes on one PostgreSQL: a visitor on one and an agent on the
// other talk to each other (fan-out through LISTEN/NOTIFY).
// PostgreSQL comes from DATABASE_URL_TEST, or the URL .ci/install-postgres wrote.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { TestSocket, agentHeaders, api, newVisitor, spawnServer, visitorSocket } from './test/support.js';

const URL_FILE = '/tmp/twt-ci-pg-url';
const adminUrl = process.env.DATABASE_URL_TEST || (existsSync(URL_FILE) ? readFileSync(URL_FILE, 'utf8').trim() : '');
let dbUrl = '';
let dbName = '';
let available = false;

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

before(async () => {
  if (!adminUrl || !(await reachable(adminUrl))) return;
  available = true;
  // A fresh database per run, so earlier runs leave nothing behind.
  dbName = `twt_test_${process.pid}_${Date.now()}`;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${dbName}`);
    const u = new URL(adminUrl);
    u.pathname = '/' + dbName;
    dbUrl = u.toString();
  } catch {
    dbName = '';
    dbUrl = adminUrl; // no CREATE DATABASE right: share the given one
  } finally {
    await c.end();
  }
});

after(async () => {
  if (!dbName) return;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => {});
  await c.end();
});

test('visitor on process A and agent on process B deliver to each other', async (t) => {
  if (!available) {
    t.skip(`no PostgreSQL: run .ci/install-postgres (writes ${URL_FILE}) or set DATABASE_URL_TEST`);
    return;
  }
  const a = await spawnServer({ databaseUrl: dbUrl });
  const b = await spawnServer({ databaseUrl: dbUrl });
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
    assert.equal((await socket.waitClose()).code, 4005);
    agent.close();
  } finally {
    await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
  }
});
