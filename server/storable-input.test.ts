// Text the database cannot hold (U+0000) and ids that cannot exist, sent to every
// place where a client string reaches a query: a typed refusal (with the client's
// ref on the socket) or not found, never a 500, a stack trace, or a socket left
// neither ready nor closed. Run on PGlite and, when one is reachable, on PostgreSQL
// (which is where U+0000 is refused: both stores are PostgreSQL underneath).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loginSignature } from './auth.js';
import { TestSocket, agentHeaders, agentSocket, api, newVisitor, startTestServer, visitorSocket } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';

const NUL = '\u0000';
const db = testDatabase({ prefix: 'twt_text' });

/** Everything the server logs while the tests run (it runs in this process). */
const logged: string[] = [];
const original = { error: console.error, warn: console.warn, log: console.log };
before(() => {
  for (const k of ['error', 'warn', 'log'] as const) {
    console[k] = (...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '));
    };
  }
});
after(() => Object.assign(console, original));

for (const store of ['pglite', 'postgresql'] as const) {
  describe(`text the database cannot hold (${store})`, () => {
    let server: Awaited<ReturnType<typeof startTestServer>> | null = null;
    before(async () => {
      if (store === 'postgresql' && !db.available) return;
      server = await startTestServer(store === 'postgresql' ? { databaseUrl: db.url } : {});
    });
    after(() => server?.close());
    const up = (t: { skip(why: string): void }) => {
      if (!server) t.skip(db.skipReason);
      return server!;
    };

    test('visitor socket: a NUL in the text or the clientId is refused with the ref; the socket goes on', async (t) => {
      const s = up(t);
      if (!server) return;
      const v = await newVisitor(s.url);
      const { socket } = await visitorSocket(s.wsUrl, v.token);
      socket.send({ type: 'send', clientId: 'bad-text', text: `hi${NUL}there` });
      socket.send({ type: 'send', clientId: `bad${NUL}id`, text: 'hello' });
      socket.send({ type: 'send', clientId: 'good', text: 'after the bad ones' });
      const ack = await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'good');
      const errors = socket.frames.filter((f) => f.type === 'error');
      assert.deepEqual(
        errors.map((f) => [f.code, f.ref]),
        [
          ['invalid_text', 'bad-text'],
          ['malformed', `bad${NUL}id`],
        ],
      );
      // Refused in order, before the good one; the good one is the first stored.
      assert.ok(socket.frames.indexOf(errors[1]) < socket.frames.indexOf(ack));
      assert.equal(ack.message.seq, 1);
      socket.close();
    });

    test('visitor socket: an auth frame with a NUL conversationId is ready on the visitor’s own conversation', async (t) => {
      const s = up(t);
      if (!server) return;
      const v = await newVisitor(s.url);
      const own = await visitorSocket(s.wsUrl, v.token);
      own.socket.close();
      const sock = await TestSocket.open(s.wsUrl + '/v1/ws');
      sock.send({ type: 'auth', token: v.token, conversationId: `c_${NUL}`, lastSeq: 3 });
      const ready = await sock.waitFor((f) => f.type === 'ready' || f.type === 'error');
      assert.equal(ready.type, 'ready');
      assert.equal(ready.conversationId, own.ready.conversationId);
      sock.close();
    });

    test('visitor socket: seqs past what an integer column holds mean "past the end", not an internal error', async (t) => {
      const s = up(t);
      if (!server) return;
      const v = await newVisitor(s.url);
      const first = await visitorSocket(s.wsUrl, v.token);
      first.socket.send({ type: 'send', clientId: 'one', text: 'one' });
      await first.socket.waitFor((f) => f.type === 'ack');
      first.socket.close();
      const { socket, ready } = await visitorSocket(s.wsUrl, v.token, { conversationId: first.ready.conversationId, lastSeq: 2 ** 40 });
      assert.equal(ready.lastSeq, 1);
      socket.send({ type: 'read', seq: 2 ** 40 });
      socket.send({ type: 'ping' });
      await socket.waitFor((f) => f.type === 'pong');
      await socket.waitFor((f) => f.type === 'unread');
      assert.deepEqual(
        socket.frames.filter((f) => f.type === 'error' || f.type === 'message'),
        [],
      );
      const r = await api(s.url, `/v1/agent/conversations/${ready.conversationId}/read`, { headers: agentHeaders(), body: { seq: 2 ** 40 } });
      assert.deepEqual([r.status, r.json?.agentReadSeq], [200, 1]);
      socket.close();
    });

    test('visitor HTTP: a conversation id that cannot exist is 404 not_found', async (t) => {
      const s = up(t);
      if (!server) return;
      const v = await newVisitor(s.url);
      const auth = { authorization: `Bearer ${v.token}` };
      for (const id of ['c_%00', 'x'.repeat(101), '']) {
        const r = await api(s.url, `/v1/visitor/messages?conversation=${id}`, { headers: auth });
        assert.deepEqual([r.status, r.json?.reason], [404, 'not_found'], id);
      }
    });

    test('visitor session: a verified login whose sbs holds a NUL is login_failed; NUL in the profile is cleaned', async (t) => {
      const s = up(t);
      if (!server) return;
      const sbs = `user${NUL}1`;
      const login = { sbs, ranstr: 'r1', sbs_mm: loginSignature(sbs, 'demo-secret', 'r1') };
      const r = await api(s.url, '/v1/visitor/session', { body: { appid: 'demo', hostOrigin: 'http://localhost:8000', login } });
      assert.deepEqual([r.status, r.json?.reason], [401, 'login_failed']);
      const clue = await api(s.url, '/v1/visitor/session', {
        body: { appid: 'demo', hostOrigin: 'http://localhost:8000', clue: { bs: `b${NUL}`, bs_mm: 'x' }, profile: { name: `Ann${NUL}` }, locale: `en${NUL}` },
      });
      assert.equal(clue.status, 200);
      assert.equal(clue.json.visitor.name, 'Ann');
    });

    test('agent HTTP: NUL in a path id is 404; in the text or clientId a typed 400', async (t) => {
      const s = up(t);
      if (!server) return;
      const v = await newVisitor(s.url);
      const { socket, ready } = await visitorSocket(s.wsUrl, v.token);
      socket.close();
      const h = agentHeaders();
      const notFound = [
        await api(s.url, '/v1/agent/conversations/c_%00/messages', { headers: h }),
        await api(s.url, '/v1/agent/conversations/c_%00/messages', { headers: h, body: { text: 'hi' } }),
        await api(s.url, '/v1/agent/conversations/c_%00/read', { headers: h, body: {} }),
        await api(s.url, '/v1/agent/visitors/v_%00/ban', { headers: h, body: {} }),
        await api(s.url, '/v1/agent/visitors/v_%00/revoke', { headers: h, body: {} }),
      ];
      assert.deepEqual(
        notFound.map((r) => [r.status, r.json?.reason]),
        notFound.map(() => [404, 'not_found']),
      );
      const path = `/v1/agent/conversations/${ready.conversationId}/messages`;
      const text = await api(s.url, path, { headers: h, body: { text: `a${NUL}b` } });
      assert.deepEqual([text.status, text.json?.reason], [400, 'invalid_text']);
      const id = await api(s.url, path, { headers: h, body: { text: 'ok', clientId: `k${NUL}` } });
      assert.deepEqual([id.status, id.json?.reason], [400, 'malformed']);
      const good = await api(s.url, path, { headers: h, body: { text: 'stored' } });
      assert.equal(good.status, 200);
      assert.equal(good.json.message.seq, 1);
    });

    test('agent socket: typing in a conversation id with a NUL is refused; the socket goes on', async (t) => {
      const s = up(t);
      if (!server) return;
      const a = await agentSocket(s.wsUrl);
      a.send({ type: 'typing', conversationId: `c_${NUL}`, typing: true });
      a.send({ type: 'ping' });
      await a.waitFor((f) => f.type === 'pong');
      const kinds = a.frames.map((f) => f.type);
      assert.deepEqual(kinds.slice(kinds.indexOf('ready')), ['ready', 'error', 'pong']);
      assert.equal(a.frames.find((f) => f.type === 'error').code, 'malformed');
      a.close();
    });

    test('test-mode app creation: NUL in a name or greeting is refused, not a 500', async (t) => {
      const s = up(t);
      if (!server) return;
      const r = await api(s.url, '/v1/test/apps', { body: { name: `shop${NUL}`, greeting: `hi${NUL}`, domains: ['localhost'] } });
      assert.deepEqual([r.status, r.json?.reason], [400, 'malformed']);
    });
  });
}

test('none of it logged a stack trace or a 500', () => {
  assert.deepEqual(
    logged.filter((l) => /\n\s+at /.test(l) || /internal|failed/.test(l)),
    [],
  );
});
