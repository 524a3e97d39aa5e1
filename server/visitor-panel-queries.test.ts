// What the visitor's panel costs the server per event: its unread count is kept in memory (visitor-unread.ts)
// and `conversation` events say what changed (visitor-panel-changes.ts), so an agent's message or the visitor's
// read mark costs no read-state query, an assignment or an agent's read mark costs the panel nothing, and a
// resolve, reopen or rating carries the new status (no status query). Counted on the real queries (they still
// run), with ordering sentinels: frames that leave in the same batch as, or after, anything the event under test
// could have caused. On both stores; on PostgreSQL also a visitor reading on another process.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentHeaders, api, newVisitor, spawnServer, startTestServer, visitorSocket, type TestSocket } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { publish } from './events.js';
import type { Conversations } from './data/conversations.js';

const db = testDatabase({ prefix: 'twt_panel_queries' });

/** Counts the calls of the panel's two queries per conversation id (the real queries still run). */
function countPanelQueries(conversations: Conversations) {
  const readStates: string[][] = [];
  const statuses: string[][] = [];
  const realReadStates = conversations.visitorReadStates.bind(conversations);
  const realStatuses = conversations.visitorStatuses.bind(conversations);
  conversations.visitorReadStates = (ids) => {
    readStates.push([...ids]);
    return realReadStates(ids);
  };
  conversations.visitorStatuses = (ids) => {
    statuses.push([...ids]);
    return realStatuses(ids);
  };
  return {
    /** Read-state and status queries that named conversation `id` so far. */
    of: (id: string) => ({ readStates: readStates.filter((ids) => ids.includes(id)).length, statuses: statuses.filter((ids) => ids.includes(id)).length }),
  };
}

/** The frames `s` received after index `mark`, up to and including the first that matches `until`. */
async function framesUntil(s: TestSocket, mark: number, until: (f: any) => boolean): Promise<any[]> {
  const last = await s.waitFor((f) => s.frames.indexOf(f) >= mark && until(f));
  return s.frames.slice(mark, s.frames.indexOf(last) + 1);
}

for (const store of ['pglite', 'postgres'] as const) {
  describe(`the visitor panel's queries on ${store}`, () => {
    let server: Awaited<ReturnType<typeof startTestServer>> | null = null;
    let queries: ReturnType<typeof countPanelQueries>;
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);

    before(async () => {
      if (skip()) return;
      server = await startTestServer(store === 'postgres' ? { databaseUrl: db.url } : {});
      queries = countPanelQueries(server.data.conversations);
    });
    after(async () => {
      await server?.close();
    });

    const agentPost = (path: string, body: unknown = {}) => api(server!.url, path, { headers: { ...agentHeaders(), 'content-type': 'application/json' }, body });
    const agentSays = async (id: string, text: string) => assert.equal((await agentPost(`/v1/agent/conversations/${id}/messages`, { text })).status, 200);

    test('agent messages and the visitor’s read marks: the right `unread` frames, no read-state query', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const { token } = await newVisitor(server!.url);
      const { socket, ready } = await visitorSocket(server!.wsUrl, token);
      const id = ready.conversationId as string;
      // What `ready` read (the count's seed) is the last query the panel costs.
      const seeded = queries.of(id);

      socket.send({ type: 'send', clientId: 'v1', text: 'hello' });
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'v1');
      await agentSays(id, 'hi');
      assert.deepEqual((await socket.waitFor((f) => f.type === 'unread' && f.count === 1)).visitorReadSeq, 0);
      await agentSays(id, 'how can I help?');
      await socket.waitFor((f) => f.type === 'unread' && f.count === 2);
      // Read the first reply only: the other one is still unread.
      socket.send({ type: 'read', seq: 2 });
      await socket.waitFor((f) => f.type === 'unread' && f.count === 1 && f.visitorReadSeq === 2);
      socket.send({ type: 'read', seq: 3 });
      await socket.waitFor((f) => f.type === 'unread' && f.count === 0 && f.visitorReadSeq === 3);
      // The visitor's own message changes nothing of the count; the next reply counts from the read mark.
      socket.send({ type: 'send', clientId: 'v2', text: 'a question' });
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'v2');
      await agentSays(id, 'sure');
      await socket.waitFor((f) => f.type === 'unread' && f.count === 1 && f.visitorReadSeq === 3);
      assert.deepEqual(queries.of(id), seeded, 'no read-state or status query after ready');
      // A second panel of the same visitor starts from its own ready, and is told the same counts.
      const second = await visitorSocket(server!.wsUrl, token, { conversationId: id });
      assert.equal(second.ready.unread, 1);
      await agentSays(id, 'anything else?');
      for (const s of [socket, second.socket]) await s.waitFor((f) => f.type === 'unread' && f.count === 2);
      socket.close();
      second.socket.close();
    });

    test('an assignment or an agent’s read mark sends the panel nothing and costs no query; resolve, rating and reopen update it without one', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const { token } = await newVisitor(server!.url);
      const { socket, ready } = await visitorSocket(server!.wsUrl, token);
      const id = ready.conversationId as string;
      socket.send({ type: 'send', clientId: 'v1', text: 'hello' });
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'v1');
      // Its own message comes back through the hub too (after the ack on PostgreSQL, whose NOTIFY comes on another connection).
      await socket.waitFor((f) => f.type === 'message' && f.message.clientId === 'v1');
      const seeded = queries.of(id);

      let mark = socket.frames.length;
      assert.equal((await agentPost(`/v1/agent/conversations/${id}/assign`, { agentId: null })).status, 200);
      assert.equal((await agentPost(`/v1/agent/conversations/${id}/read`, { seq: 1 })).status, 200);
      // Sentinel: the reply's events come after those two, and its `unread` frame leaves in their batch or a later one.
      await agentSays(id, 'on it');
      const between = await framesUntil(socket, mark, (f) => f.type === 'unread' && f.count === 1);
      assert.deepEqual(
        between.map((f) => f.type),
        ['message', 'unread'],
        'only the reply and its count',
      );
      assert.deepEqual(queries.of(id), seeded, 'no query for an assignment or an agent’s read mark');

      mark = socket.frames.length;
      assert.equal((await agentPost(`/v1/agent/conversations/${id}/resolve`)).status, 200);
      const resolved = await socket.waitFor((f) => socket.frames.indexOf(f) >= mark && f.type === 'status');
      assert.deepEqual([resolved.status, resolved.rating], ['resolved', null]);
      const rated = await api(server!.url, `/v1/visitor/conversations/${id}/rating`, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: { rating: 'good', comment: 'quick' } });
      assert.equal(rated.status, 200, rated.text);
      const withRating = await socket.waitFor((f) => f.type === 'status' && f.rating !== null);
      assert.deepEqual([withRating.status, withRating.rating.value, withRating.rating.comment], ['resolved', 'good', 'quick']);
      assert.equal((await agentPost(`/v1/agent/conversations/${id}/reopen`)).status, 200);
      const reopened = await socket.waitFor((f) => f.type === 'status' && f.status === 'open');
      assert.equal(reopened.rating?.value, 'good', 'a reopen keeps the rating, as the stored row does');
      assert.deepEqual(queries.of(id), seeded, 'the events carried status and rating: no query');
      socket.close();
    });

    test('an event that does not say what changed (an older process) still refreshes status and count', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const { token } = await newVisitor(server!.url);
      const { socket, ready } = await visitorSocket(server!.wsUrl, token);
      const id = ready.conversationId as string;
      // Changed behind the hub's back: only a query can tell.
      await agentSays(id, 'hello');
      await socket.waitFor((f) => f.type === 'unread' && f.count === 1);
      await server!.data.store.query(`UPDATE conversations SET visitor_read_seq = 1, status = 'resolved' WHERE id = $1`, [id]);
      const before = queries.of(id);
      await publish(server!.data.store, { kind: 'conversation', conversationId: id });
      await socket.waitFor((f) => f.type === 'unread' && f.count === 0 && f.visitorReadSeq === 1);
      await socket.waitFor((f) => f.type === 'status' && f.status === 'resolved');
      assert.deepEqual(queries.of(id), { readStates: before.readStates + 1, statuses: before.statuses + 1 });
      socket.close();
    });
  });
}

test('PostgreSQL, two processes: a visitor reading on process B updates the count its panel on process A shows, without a query on A', async (t) => {
  if (!db.available) return t.skip(db.skipReason);
  const a = await startTestServer({ databaseUrl: db.url });
  const b = await spawnServer({ databaseUrl: db.url });
  try {
    const queries = countPanelQueries(a.data.conversations);
    const { token } = await newVisitor(a.url);
    const onA = await visitorSocket(a.wsUrl, token);
    const id = onA.ready.conversationId as string;
    const onB = await visitorSocket(b.wsUrl, token, { conversationId: id });
    const seeded = queries.of(id);
    // The reply goes through B, the read too: A hears both.
    assert.equal((await api(b.url, `/v1/agent/conversations/${id}/messages`, { headers: agentHeaders(), body: { text: 'one' } })).status, 200);
    assert.equal((await api(b.url, `/v1/agent/conversations/${id}/messages`, { headers: agentHeaders(), body: { text: 'two' } })).status, 200);
    await onA.socket.waitFor((f) => f.type === 'unread' && f.count === 2);
    await onB.socket.waitFor((f) => f.type === 'message' && f.message.seq === 2);
    onB.socket.send({ type: 'read', seq: 1 });
    await onA.socket.waitFor((f) => f.type === 'unread' && f.count === 1 && f.visitorReadSeq === 1);
    onB.socket.send({ type: 'read', seq: 2 });
    await onA.socket.waitFor((f) => f.type === 'unread' && f.count === 0 && f.visitorReadSeq === 2);
    assert.deepEqual(queries.of(id), seeded, 'A counted from the events');
    onA.socket.close();
    onB.socket.close();
  } finally {
    await Promise.all([a.close(), b.kill('SIGTERM')]);
  }
});
