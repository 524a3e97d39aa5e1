// The fast message path keeps its guarantees: a NOTIFY that carries only ids
// (another process, or a row too big to travel inline) still delivers; a
// socket that sees a gap catches up from the DB in seq order; group-committed
// sends are acked once each with gapless seqs; a failing call in a group
// commit fails alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EVENTS_CHANNEL } from './events.js';
import { agentSocket, newVisitor, startTestServer, visitorSocket } from '../test/helpers/node/server.js';
import { openStore } from './db/store.js';
import { sqlLiteral } from './db/pglite-store.js';

let server: Awaited<ReturnType<typeof startTestServer>>;

before(async () => {
  server = await startTestServer({ messagesPer10s: 1000 });
});
after(() => server.close());

/** Writes a message the way another process would, without this process's help: row, seq bump, then an id-only NOTIFY. */
async function foreignMessage(conversationId: string, text: string, notify = true): Promise<{ id: string; seq: number }> {
  const store = server.store;
  const [conv] = await store.query<{ last_seq: number }>('UPDATE conversations SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq', [conversationId]);
  const id = `m_foreign_${conv!.last_seq}_${Math.random().toString(36).slice(2)}`;
  await store.query("INSERT INTO messages (id, conversation_id, seq, author, author_name, text) VALUES ($1, $2, $3, 'agent', 'Elsewhere', $4)", [id, conversationId, conv!.last_seq, text]);
  if (notify) await store.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, JSON.stringify({ kind: 'message', conversationId, messageId: id })]);
  return { id, seq: Number(conv!.last_seq) };
}

describe('fan-out', () => {
  test('an id-only NOTIFY (as from another process) reaches visitor and agent sockets', async () => {
    const agent = await agentSocket(server.wsUrl);
    const v = await newVisitor(server.url);
    const { socket, ready } = await visitorSocket(server.wsUrl, v.token);
    const m = await foreignMessage(ready.conversationId, 'from another process');
    const got = await socket.waitFor((f) => f.type === 'message' && f.message.id === m.id);
    assert.equal(got.message.text, 'from another process');
    assert.equal(got.message.seq, m.seq);
    const pushed = await agent.waitFor((f) => f.type === 'message' && f.message.id === m.id);
    assert.equal(pushed.conversationId, ready.conversationId);
    await socket.waitFor((f) => f.type === 'unread' && f.count === 1);
    await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === ready.conversationId && f.conversation.lastMessage?.id === m.id);
    socket.close();
    agent.close();
  });

  test('a message too big to travel inside the NOTIFY is read back and delivered', async () => {
    const agent = await agentSocket(server.wsUrl);
    const v = await newVisitor(server.url);
    const { socket } = await visitorSocket(server.wsUrl, v.token);
    const text = '€'.repeat(4000); // 12,000 bytes: over the inline cap
    socket.send({ type: 'send', clientId: 'big-1', text });
    const ack = await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'big-1');
    assert.equal(ack.message.text, text);
    const pushed = await agent.waitFor((f) => f.type === 'message' && f.message.clientId === 'big-1');
    assert.equal(pushed.message.text, text);
    socket.close();
    agent.close();
  });

  test('a socket that sees a gap catches up from the DB, in seq order, each message once', async () => {
    const v = await newVisitor(server.url);
    const { socket, ready } = await visitorSocket(server.wsUrl, v.token);
    const first = await foreignMessage(ready.conversationId, 'gap one', false); // no NOTIFY: this socket never hears of it
    const second = await foreignMessage(ready.conversationId, 'gap two');
    await socket.waitFor((f) => f.type === 'message' && f.message.id === second.id);
    socket.send({ type: 'send', clientId: 'after-gap', text: 'three' });
    await socket.waitFor((f) => f.type === 'message' && f.message.clientId === 'after-gap');
    const seqs = socket.frames.filter((f) => f.type === 'message').map((f) => f.message.seq);
    assert.deepEqual(seqs, [first.seq, second.seq, second.seq + 1]);
    socket.close();
  });

  test('a burst of sends from many visitors: each acked once, seqs gapless per conversation', async () => {
    const visitors = await Promise.all(Array.from({ length: 8 }, () => newVisitor(server.url)));
    const sockets = await Promise.all(visitors.map((v) => visitorSocket(server.wsUrl, v.token)));
    const perSocket = 15;
    for (let i = 0; i < perSocket; i++) for (const [k, s] of sockets.entries()) s.socket.send({ type: 'send', clientId: `b${k}-${i}`, text: `burst ${k} ${i}` });
    // A resend of an earlier clientId in the same burst is stored once.
    sockets[0]!.socket.send({ type: 'send', clientId: 'b0-3', text: 'burst 0 3' });
    for (const [k, s] of sockets.entries()) {
      await s.socket.waitFor(() => s.socket.frames.filter((f) => f.type === 'ack').length >= perSocket + (k === 0 ? 1 : 0));
      const acks = s.socket.frames.filter((f) => f.type === 'ack');
      const seqOf = new Map<string, number>();
      for (const a of acks) {
        if (seqOf.has(a.clientId)) assert.equal(seqOf.get(a.clientId), a.message.seq, 'a resend is acked with the stored seq');
        seqOf.set(a.clientId, a.message.seq);
      }
      assert.deepEqual(
        [...seqOf.values()].sort((a, b) => a - b),
        Array.from({ length: perSocket }, (_, i) => i + 1),
      );
      // Acks come in send order.
      assert.deepEqual(
        Array.from({ length: perSocket }, (_, i) => seqOf.get(`b${k}-${i}`)),
        Array.from({ length: perSocket }, (_, i) => i + 1),
      );
      const rows = await server.store.query<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1', [s.ready.conversationId]);
      assert.equal(Number(rows[0]!.n), perSocket);
    }
    for (const s of sockets) s.socket.close();
  });
});

describe('PGlite prepared statements with group commit', () => {
  test('calls queued together commit together; a failing call fails alone', async () => {
    const store = await openStore({});
    try {
      await store.query('CREATE TABLE kv (k text PRIMARY KEY, v text NOT NULL)');
      const put = store.prepared<{ k: string; v: string }>('kv_put', 'INSERT INTO kv (k, v) VALUES ($1, $2) RETURNING k, v', ['text', 'text']);
      const calls = Array.from({ length: 30 }, (_, i) => put([`k${i}`, `it's \\ value ${i}`]));
      calls.push(put(['k5', 'duplicate'])); // violates the primary key
      calls.push(put(['nul', 'a\0b'])); // NUL: takes the parameterised path, and fails there
      const results = await Promise.allSettled(calls);
      for (let i = 0; i < 30; i++) {
        assert.equal(results[i]!.status, 'fulfilled');
        assert.deepEqual((results[i] as PromiseFulfilledResult<{ k: string; v: string }[]>).value, [{ k: `k${i}`, v: `it's \\ value ${i}` }]);
      }
      assert.equal(results[30]!.status, 'rejected');
      assert.equal(results[31]!.status, 'rejected');
      const rows = await store.query<{ n: number }>('SELECT count(*)::int AS n FROM kv');
      assert.equal(Number(rows[0]!.n), 30);
    } finally {
      await store.close();
    }
  });

  test('sqlLiteral escapes quotes and backslashes', () => {
    assert.equal(sqlLiteral(null), 'NULL');
    assert.equal(sqlLiteral(42), '42');
    assert.equal(sqlLiteral("it's"), "'it''s'");
    assert.equal(sqlLiteral('a\\b'), " E'a\\\\b'");
    assert.throws(() => sqlLiteral(Number.NaN));
  });
});
