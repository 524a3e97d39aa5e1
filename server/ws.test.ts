// Visitor and agent sockets against a real server: auth, close codes, idempotent
// resend, resume, limits, live fan-out to agents.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { CLOSE } from '../src/shared/wire-protocol.js';
import { TestSocket, agentHeaders, agentSocket, api, manualClock, newVisitor, startTestServer, visitorSocket } from '../test/helpers/node/server.js';

let server: Awaited<ReturnType<typeof startTestServer>>;

before(async () => {
  server = await startTestServer({ messagesPer10s: 10 });
});
after(() => server.close());

describe('visitor socket auth', () => {
  test('first frame must be auth', async () => {
    const s = await TestSocket.open(server.wsUrl + '/v1/ws');
    s.send({ type: 'ping' });
    assert.equal((await s.waitClose()).code, CLOSE.PROTOCOL_ERROR);
    const g = await TestSocket.open(server.wsUrl + '/v1/ws');
    g.send('garbage');
    assert.equal((await g.waitClose()).code, CLOSE.PROTOCOL_ERROR);
  });
  test('invalid token closes 4003', async () => {
    const s = await TestSocket.open(server.wsUrl + '/v1/ws');
    s.send({ type: 'auth', token: 'x.y' });
    assert.equal((await s.waitClose()).code, CLOSE.TOKEN_REVOKED);
  });
  test('expired token closes 4001', async () => {
    // Time moves only when the test steps it: a loaded machine cannot make the token expire early.
    const clock = manualClock();
    const short = await startTestServer({ tokenTtlSeconds: 60, clock, wallClock: clock.wall });
    try {
      const v = await newVisitor(short.url);
      const live = await visitorSocket(short.wsUrl, v.token);
      live.socket.close();
      clock.advance(60_000);
      const s = await TestSocket.open(short.wsUrl + '/v1/ws');
      s.send({ type: 'auth', token: v.token });
      assert.equal((await s.waitClose()).code, CLOSE.TOKEN_EXPIRED);
      const r = await api(short.url, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${v.token}` } });
      assert.equal(r.status, 401);
      assert.equal(r.json.reason, 'token_expired');
    } finally {
      await short.close();
    }
  });
  test('the handshake ends even when the store fails mid-auth: closed 1011, on both sockets', async () => {
    const broken = await startTestServer();
    try {
      const v = await newVisitor(broken.url);
      await broken.store.close(); // a store outage: every query now fails
      const s = await TestSocket.open(broken.wsUrl + '/v1/ws');
      s.send({ type: 'auth', token: v.token });
      assert.equal((await s.waitClose()).code, CLOSE.INTERNAL_ERROR);
      const a = await agentSocket(broken.wsUrl, 'a key nobody cached', { ready: false });
      assert.equal((await a.waitClose()).code, CLOSE.INTERNAL_ERROR);
    } finally {
      await broken.close();
    }
  });
  test('a socket authenticated before its token expired is closed 4001 at expiry', async () => {
    const clock = manualClock();
    // One step of 59 s would also run two heartbeat checks of this socket with no time for its pong between
    // them (a real minute has that time): the heartbeat is kept out of these steps, it is not what is tested.
    const short = await startTestServer({ tokenTtlSeconds: 60, clock, wallClock: clock.wall, heartbeatMs: 3_600_000 });
    try {
      const v = await newVisitor(short.url);
      const { socket } = await visitorSocket(short.wsUrl, v.token);
      // A second before expiry the socket lives: a ping is still answered (the answer orders after the step).
      clock.advance(59_000);
      socket.send({ type: 'ping' });
      await socket.waitFor((f) => f.type === 'pong');
      assert.equal(socket.closed, null);
      clock.advance(1_000);
      assert.equal((await socket.waitClose()).code, CLOSE.TOKEN_EXPIRED);
    } finally {
      await short.close();
    }
  });
  test('ban closes live sockets 4005 and refuses new ones', async () => {
    const v = await newVisitor(server.url);
    const { socket } = await visitorSocket(server.wsUrl, v.token);
    const r = await api(server.url, `/v1/agent/visitors/${v.visitor.visitorUid}/ban`, { body: {}, headers: agentHeaders() });
    assert.equal(r.status, 200);
    assert.equal((await socket.waitClose()).code, CLOSE.VISITOR_BANNED);
    const again = await TestSocket.open(server.wsUrl + '/v1/ws');
    again.send({ type: 'auth', token: v.token });
    assert.equal((await again.waitClose()).code, CLOSE.VISITOR_BANNED);
  });
  test('revoke closes 4003', async () => {
    const v = await newVisitor(server.url);
    const { socket } = await visitorSocket(server.wsUrl, v.token);
    await api(server.url, `/v1/agent/visitors/${v.visitor.visitorUid}/revoke`, { body: {}, headers: agentHeaders() });
    assert.equal((await socket.waitClose()).code, CLOSE.TOKEN_REVOKED);
    const fresh = await newVisitor(server.url, { clue: { bs: v.visitor.bs, bs_mm: v.visitor.bs_mm } });
    assert.equal(fresh.visitor.visitorUid, v.visitor.visitorUid);
    const { ready } = await visitorSocket(server.wsUrl, fresh.token);
    assert.equal(ready.type, 'ready');
  });
  test('disabling the app closes 4004', async () => {
    const app = (await api(server.url, '/v1/test/apps', { body: { appid: 'closing', domains: ['localhost'] } })).json.app;
    const r = await api(server.url, '/v1/visitor/session', { body: { appid: app.appid, hostOrigin: 'http://localhost:1' } });
    const { socket } = await visitorSocket(server.wsUrl, r.json.token);
    await api(server.url, `/v1/test/apps/${app.appid}/disable`, { body: {} });
    assert.equal((await socket.waitClose()).code, CLOSE.APP_DISABLED);
    const s = await TestSocket.open(server.wsUrl + '/v1/ws');
    s.send({ type: 'auth', token: r.json.token });
    assert.equal((await s.waitClose()).code, CLOSE.APP_DISABLED);
  });
});

describe('messaging', () => {
  test('send is acked once stored; a resent clientId is stored once and acked again', async () => {
    const v = await newVisitor(server.url);
    const { socket, ready } = await visitorSocket(server.wsUrl, v.token);
    assert.equal(ready.lastSeq, 0);
    socket.send({ type: 'send', clientId: 'c-1', text: 'hello' });
    const ack = await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'c-1');
    assert.equal(ack.message.seq, 1);
    socket.close();
    // reconnect and resend the same clientId (ack lost in flight)
    const again = await visitorSocket(server.wsUrl, v.token, { conversationId: ready.conversationId, lastSeq: 1 });
    again.socket.send({ type: 'send', clientId: 'c-1', text: 'hello' });
    const ack2 = await again.socket.waitFor((f) => f.type === 'ack');
    assert.equal(ack2.message.id, ack.message.id);
    const msgs = await api(server.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { headers: agentHeaders() });
    assert.equal(msgs.json.messages.length, 1);
    again.socket.close();
  });
  test('resume after reconnect delivers exactly what was missed, in order', async () => {
    const v = await newVisitor(server.url);
    const first = await visitorSocket(server.wsUrl, v.token);
    const conv = first.ready.conversationId;
    first.socket.send({ type: 'send', clientId: 'a', text: 'one' });
    await first.socket.waitFor((f) => f.type === 'ack');
    first.socket.close();
    for (const t of ['two', 'three', 'four']) {
      await api(server.url, `/v1/agent/conversations/${conv}/messages`, { body: { text: t }, headers: agentHeaders() });
    }
    const back = await visitorSocket(server.wsUrl, v.token, { conversationId: conv, lastSeq: 1 });
    assert.equal(back.ready.lastSeq, 4);
    assert.equal(back.ready.unread, 3);
    await back.socket.waitFor((f) => f.type === 'message' && f.message.seq === 4);
    const seqs = back.socket.frames.filter((f) => f.type === 'message').map((f) => f.message.seq);
    assert.deepEqual(seqs, [2, 3, 4]);
    back.socket.send({ type: 'read', seq: 4 });
    const unread = await back.socket.waitFor((f) => f.type === 'unread' && f.visitorReadSeq === 4);
    assert.equal(unread.count, 0);
    back.socket.close();
  });
  test('a conversation id that is not the visitor’s is ignored', async () => {
    const a = await newVisitor(server.url);
    const b = await newVisitor(server.url);
    const sa = await visitorSocket(server.wsUrl, a.token);
    const sb = await visitorSocket(server.wsUrl, b.token, { conversationId: sa.ready.conversationId, lastSeq: 0 });
    assert.notEqual(sb.ready.conversationId, sa.ready.conversationId);
    sa.socket.close();
    sb.socket.close();
  });
  test('malformed, unknown, invalid and oversized frames', async () => {
    const v = await newVisitor(server.url);
    const { socket } = await visitorSocket(server.wsUrl, v.token);
    socket.send('{not json');
    assert.equal((await socket.waitFor((f) => f.type === 'error')).code, 'malformed');
    socket.send({ type: '__proto__' });
    await socket.waitFor((f) => f.type === 'error' && f.code === 'unknown_type');
    socket.send({ type: 'send', clientId: 'e1', text: '   ' });
    assert.equal((await socket.waitFor((f) => f.type === 'error' && f.ref === 'e1')).code, 'invalid_text');
    socket.send({ type: 'send', clientId: 'e2', text: 'x'.repeat(4001) });
    assert.equal((await socket.waitFor((f) => f.type === 'error' && f.ref === 'e2')).code, 'too_large');
    socket.send({ type: 'send', clientId: 'y'.repeat(65), text: 'hi' });
    await socket.waitFor((f) => f.type === 'error' && f.code === 'malformed' && /clientId/.test(f.message));
    socket.send({ type: 'read', seq: 'x' });
    socket.send({ type: 'ping' });
    await socket.waitFor((f) => f.type === 'pong');
    assert.equal(socket.closed, null);
    socket.send(JSON.stringify({ type: 'send', clientId: 'big', text: 'x'.repeat(20000) }));
    assert.equal((await socket.waitClose()).code, CLOSE.TOO_BIG);
    // the server is fine afterwards
    assert.equal((await api(server.url, '/v1/health')).status, 200);
  });
  test('rate limit refuses with rate_limited (naming the clientId), then closes 4008 if abused', async () => {
    const v = await newVisitor(server.url);
    const { socket } = await visitorSocket(server.wsUrl, v.token);
    for (let i = 0; i < 12; i++) socket.send({ type: 'send', clientId: `r${i}`, text: `m${i}` });
    const refused = await socket.waitFor((f) => f.type === 'error' && f.code === 'rate_limited');
    assert.match(refused.ref, /^r\d+$/);
    const acks = () => socket.frames.filter((f) => f.type === 'ack').length;
    await socket.waitFor((f) => f.type === 'error' && f.ref === 'r11');
    assert.equal(acks(), 10);
    for (let i = 0; i < 30; i++) socket.send({ type: 'send', clientId: `s${i}`, text: 'spam' });
    assert.equal((await socket.waitClose()).code, CLOSE.RATE_LIMITED);
  });
});

describe('agents live', () => {
  test('agent socket gets visitor messages, conversation updates and typing; visitor gets replies and typing', async () => {
    const agent = await agentSocket(server.wsUrl);
    const v = await newVisitor(server.url, { profile: { name: 'Live' } });
    const { socket, ready } = await visitorSocket(server.wsUrl, v.token);
    const online = await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === ready.conversationId && f.conversation.online);
    assert.equal(online.conversation.visitor.name, 'Live');
    socket.send({ type: 'typing', typing: true });
    await agent.waitFor((f) => f.type === 'typing' && f.conversationId === ready.conversationId && f.typing === true);
    socket.send({ type: 'send', clientId: 'live-1', text: 'anyone?' });
    const m = await agent.waitFor((f) => f.type === 'message' && f.message.clientId === 'live-1');
    assert.equal(m.conversationId, ready.conversationId);
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === ready.conversationId && f.conversation.unread === 1);
    agent.send({ type: 'typing', conversationId: ready.conversationId, typing: true });
    await socket.waitFor((f) => f.type === 'typing' && f.typing === true && f.authorName === 'Demo Agent');
    await api(server.url, `/v1/agent/conversations/${ready.conversationId}/messages`, { body: { text: 'yes!' }, headers: agentHeaders() });
    await socket.waitFor((f) => f.type === 'message' && f.message.author === 'agent' && f.message.text === 'yes!');
    await socket.waitFor((f) => f.type === 'unread' && f.count === 1);
    socket.close();
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === ready.conversationId && !f.conversation.online);
    agent.close();
  });
  test('visitors learn when agents come online', async () => {
    const v = await newVisitor(server.url);
    const { socket } = await visitorSocket(server.wsUrl, v.token);
    const a = await agentSocket(server.wsUrl);
    await socket.waitFor((f) => f.type === 'presence' && f.agentsOnline >= 1);
    a.close();
    await socket.waitFor((f) => f.type === 'presence' && f.agentsOnline === 0);
    socket.close();
  });
  test('bad agent key closes 4003; unknown conversation typing is refused', async () => {
    const s = await agentSocket(server.wsUrl, 'nope', { ready: false });
    assert.equal((await s.waitClose()).code, CLOSE.TOKEN_REVOKED);
    const a = await agentSocket(server.wsUrl);
    a.send({ type: 'typing', conversationId: 'c_nope', typing: true });
    await a.waitFor((f) => f.type === 'error');
    a.close();
  });
});

describe('heartbeat', () => {
  test('a peer that answers no protocol ping is terminated; a live one stays', async () => {
    // The rounds run on a stepped clock: a live client slow to pong on a loaded machine misses no round.
    const HEARTBEAT_MS = 100;
    const clock = manualClock();
    const hb = await startTestServer({ heartbeatMs: HEARTBEAT_MS, clock, wallClock: clock.wall });
    try {
      const v = await newVisitor(hb.url);
      const live = await visitorSocket(hb.wsUrl, v.token);
      // A vanished peer: connected, but its pongs never come (as behind a dead network link).
      const gone = new WebSocket(hb.wsUrl + '/v1/ws', { autoPong: false });
      const goneClosed = new Promise<number>((ok) => gone.on('close', (code) => ok(code)));
      gone.on('error', () => {});
      const gonePinged = new Promise((ok) => gone.once('ping', ok));
      await new Promise((ok) => gone.once('open', ok));
      gone.send(JSON.stringify({ type: 'auth', token: v.token }));
      /**
       * A heartbeat round, then the live client's pong is in: ws queues its pong before it emits 'ping', so a JSON
       * ping sent then reaches the server after the pong (one TCP stream) and its answer orders after the pong's handling.
       */
      const round = async () => {
        const pinged = new Promise((ok) => live.socket.ws.once('ping', ok));
        clock.advance(HEARTBEAT_MS);
        await pinged;
        const mark = live.socket.frames.length;
        live.socket.send({ type: 'ping' });
        await live.socket.waitFor((f) => f.type === 'pong' && live.socket.frames.indexOf(f) >= mark);
      };
      await round(); // pings both
      await gonePinged;
      await round(); // the unanswered one is terminated, the live one pinged again
      assert.equal(await goneClosed, 1006, 'terminated (no close handshake) at the round after its unanswered ping');
      await round();
      assert.equal(live.socket.closed, null, 'a socket whose client answers pings stays open');
    } finally {
      await hb.close();
    }
  });
});
