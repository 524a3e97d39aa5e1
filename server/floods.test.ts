// Cheap requests in bulk against a real server (RELIABILITY.md 36): new visitors,
// typing, read receipts, wrong agent keys, sockets per client address. Each is
// limited or coalesced; none needs a clock (limits small enough to hit at once,
// and "nothing more happened" is judged against an ordering sentinel).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { CLOSE } from '../src/shared/wire-protocol.js';
import { ORIGIN, agentHeaders, agentSocket, api, newVisitor, startTestServer, visitorSocket } from '../test/helpers/node/server.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

/** The limiters' clock, stopped: no bucket refills during a test, however slow the machine. */
const stopped = (t = Date.now()) => () => t;

const session = (server: Server, headers: Record<string, string> = {}, appid = 'demo') =>
  api(server.url, '/v1/visitor/session', { body: { appid, hostOrigin: ORIGIN }, headers });

describe('new visitors', () => {
  let server: Server;
  before(async () => {
    server = await startTestServer({ limits: { sessionsPerAddressPer10s: 5, sessionsPerAppPer10s: 8 }, trustProxyHops: 1, limitsClock: stopped() });
  });
  after(() => server.close());

  test('sessions from one client address past its bucket are refused 429 rate_limited with Retry-After, so their messages never arrive', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => session(server, { 'x-forwarded-for': '203.0.113.7' })));
    const ok = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(ok.length, 5);
    assert.equal(refused.length, 15);
    for (const r of refused) {
      assert.equal(r.json.reason, 'rate_limited');
      assert.ok(Number(r.headers.get('retry-after')) >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
    }
    // Each accepted visitor still has only its own per-visitor budget.
    const { socket } = await visitorSocket(server.wsUrl, ok[0]!.json.token);
    for (let i = 0; i < 12; i++) socket.send({ type: 'send', clientId: `m${i}`, text: `m${i}` });
    await socket.waitFor((f) => f.type === 'error' && f.ref === 'm11');
    assert.equal(socket.frames.filter((f) => f.type === 'ack').length, 10);
    socket.close();
  });

  test('the per-app bucket holds across addresses; X-Forwarded-For is read only from the trusted hop', async () => {
    // 5 taken above. Other addresses: 3 more fit the app's 8, then the app is full for everyone.
    const answers = [];
    for (const a of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']) answers.push(await session(server, { 'x-forwarded-for': `10.9.9.9, ${a}` }));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 429],
    );
    // Another app has its own bucket; the spoofed leftmost entry is not the client (the address 203.0.113.7 is still empty).
    const other = (await api(server.url, '/v1/test/apps', { body: { appid: 'flood-other', domains: ['localhost'] } })).json.app;
    const spoofed = await session(server, { 'x-forwarded-for': '192.0.2.50, 203.0.113.7' }, other.appid);
    assert.equal(spoofed.status, 429);
    assert.equal(spoofed.json.reason, 'rate_limited');
    assert.equal((await session(server, { 'x-forwarded-for': '203.0.113.7, 192.0.2.50' }, other.appid)).status, 200);
  });

  test('without a trusted proxy, X-Forwarded-For is ignored: every request is the TCP peer', async () => {
    const direct = await startTestServer({ limits: { sessionsPerAddressPer10s: 2 }, limitsClock: stopped() });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await session(direct, { 'x-forwarded-for': `198.51.100.${i}` })).status);
      assert.deepEqual(statuses, [200, 200, 429]);
    } finally {
      await direct.close();
    }
  });
});

describe('typing and read receipts', () => {
  let server: Server;
  before(async () => {
    server = await startTestServer({ limits: { socketFramesPer10s: 40 }, limitsClock: stopped() });
  });
  after(() => server.close());

  test('a burst of typing frames reaches the agent as one state change (sentinel: a message after them)', async () => {
    const agent = await agentSocket(server.wsUrl);
    const v = await newVisitor(server.url);
    const { socket, ready } = await visitorSocket(server.wsUrl, v.token);
    for (let i = 0; i < 30; i++) socket.send({ type: 'typing', typing: i % 2 === 0 });
    socket.send({ type: 'send', clientId: 'sentinel', text: 'after the typing' });
    const sentinel = await agent.waitFor((f) => f.type === 'message' && f.message.clientId === 'sentinel');
    const typing = agent.frames.slice(0, agent.frames.indexOf(sentinel)).filter((f) => f.type === 'typing' && f.conversationId === ready.conversationId);
    assert.deepEqual(
      typing.map((f) => f.typing),
      [true],
    );
    // The last wish (false) still arrives, once the window closes.
    await agent.waitFor((f) => f.type === 'typing' && f.conversationId === ready.conversationId && f.typing === false);
    socket.close();
    agent.close();
  });

  test('agent typing bursts reach the visitor as one state change', async () => {
    const agent = await agentSocket(server.wsUrl);
    const v = await newVisitor(server.url);
    const { socket, ready } = await visitorSocket(server.wsUrl, v.token);
    for (let i = 0; i < 30; i++) agent.send({ type: 'typing', conversationId: ready.conversationId, typing: i % 2 === 0 });
    // The agent socket's frames have been handled once it answers a ping sent after them.
    agent.send({ type: 'ping' });
    await agent.waitFor((f) => f.type === 'pong');
    await api(server.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { body: { text: 'sentinel' }, headers: agentHeaders() });
    const sentinel = await socket.waitFor((f) => f.type === 'message' && f.message.text === 'sentinel');
    const typing = socket.frames.slice(0, socket.frames.indexOf(sentinel)).filter((f) => f.type === 'typing');
    assert.deepEqual(
      typing.map((f) => f.typing),
      [true],
    );
    socket.close();
    agent.close();
  });

  test('typing frames count against the socket: a flood is refused rate_limited and the socket closed 4008', async () => {
    const v = await newVisitor(server.url);
    const { socket } = await visitorSocket(server.wsUrl, v.token);
    for (let i = 0; i < 2000; i++) socket.send({ type: 'typing', typing: i % 2 === 0 });
    assert.equal((await socket.waitClose()).code, CLOSE.RATE_LIMITED);
    assert.ok(socket.frames.some((f) => f.type === 'error' && f.code === 'rate_limited'));
    const agent = await agentSocket(server.wsUrl);
    for (let i = 0; i < 2000; i++) agent.send({ type: 'ping' });
    assert.equal((await agent.waitClose()).code, CLOSE.RATE_LIMITED);
  });

  test('read receipts are coalesced: only the highest seq is written, never one write per frame', async () => {
    const v = await newVisitor(server.url);
    const { socket, ready } = await visitorSocket(server.wsUrl, v.token);
    for (const t of ['one', 'two', 'three']) await api(server.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { body: { text: t }, headers: agentHeaders() });
    await socket.waitFor((f) => f.type === 'message' && f.message.seq === 3);
    // Watch the store's writes (the real method runs).
    const conversations = server.data.conversations;
    const real = conversations.markRead.bind(conversations);
    const writes: number[] = [];
    conversations.markRead = (id, side, seq) => {
      if (id === ready.conversationId) writes.push(seq);
      return real(id, side, seq);
    };
    try {
      for (let i = 0; i < 30; i++) socket.send({ type: 'read', seq: (i % 3) + 1 });
      await socket.waitFor((f) => f.type === 'unread' && f.visitorReadSeq === 3 && f.count === 0);
      assert.ok(writes.length <= 2, `writes: ${JSON.stringify(writes)}`);
      assert.equal(writes.at(-1), 3);
    } finally {
      conversations.markRead = real;
    }
    socket.close();
  });
});

describe('agent keys', () => {
  let server: Server;
  before(async () => {
    server = await startTestServer({ limits: { agentAuthFailuresPerMinute: 3 }, trustProxyHops: 1, limitsClock: stopped() });
  });
  after(() => server.close());

  test('wrong keys past the allowance are refused 429 with Retry-After, the right key too, from that address only', async () => {
    const from = (a: string, key: string) => api(server.url, '/v1/agent/conversations', { headers: { ...agentHeaders(key), 'x-forwarded-for': a } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await from('203.0.113.20', `wrong-${i}`)).status);
    assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429]);
    const right = await from('203.0.113.20', 'demo-agent-key');
    assert.equal(right.status, 429);
    assert.equal(right.json.reason, 'rate_limited');
    assert.ok(Number(right.headers.get('retry-after')) >= 1);
    assert.equal((await from('203.0.113.21', 'demo-agent-key')).status, 200);
  });

  test('the agent socket counts wrong keys against the same address, then closes 4008 with retryAfter', async () => {
    // This server sees sockets from the TCP peer (no X-Forwarded-For on them): loopback.
    const closes = [];
    for (let i = 0; i < 4; i++) {
      const s = await agentSocket(server.wsUrl, `wrong-${i}`, { ready: false });
      closes.push({ code: (await s.waitClose()).code, error: s.frames.find((f) => f.type === 'error') });
    }
    assert.deepEqual(
      closes.map((c) => c.code),
      [CLOSE.TOKEN_REVOKED, CLOSE.TOKEN_REVOKED, CLOSE.TOKEN_REVOKED, CLOSE.RATE_LIMITED],
    );
    assert.equal(closes[3]!.error.code, 'rate_limited');
    assert.ok(closes[3]!.error.retryAfter >= 1);
  });
});

describe('sockets per client address', () => {
  test('visitor and agent sockets together are capped per address; the next upgrade is refused 429', async () => {
    const server = await startTestServer({ limits: { socketsPerAddress: 3 } });
    try {
      const v = await newVisitor(server.url);
      const held = [(await visitorSocket(server.wsUrl, v.token)).socket, (await visitorSocket(server.wsUrl, v.token)).socket, await agentSocket(server.wsUrl)];
      const refusal = await new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
        const ws = new WebSocket(server.wsUrl + '/v1/ws');
        ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] as string | undefined }));
        ws.on('open', () => reject(new Error('a socket past the cap was accepted')));
        ws.on('error', () => {});
      });
      assert.equal(refusal.status, 429);
      assert.ok(Number(refusal.retryAfter) >= 1);
      for (const s of held) s.close();
    } finally {
      await server.close();
    }
  });
});
