// A visitor's message refreshes the conversation's status only when it reopened a resolved conversation: the
// `message` event says so (`reopened`, decided by Messages.append against the row it locked), so an ordinary
// message costs no status query, and a reopening one still updates the visitor's panel and the agents' inbox
// views live. On both stores (PGlite, and PostgreSQL when there is one); on PostgreSQL also the race where a
// resolve commits while the message's statement waits for the conversation's row.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { agentHeaders, agentSocket, api, newVisitor, startTestServer, until, visitorSocket } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { EVENTS_CHANNEL, parseEvent, type ServerEvent } from './events.js';

const db = testDatabase({ prefix: 'twt_msg_status' });

type MessageEvent = Extract<ServerEvent, { kind: 'message' }>;

for (const store of ['pglite', 'postgres'] as const) {
  describe(`message status on ${store}`, () => {
    let server: Awaited<ReturnType<typeof startTestServer>> | null = null;
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);
    /** Every `message` event this process heard, in order. */
    const heard: MessageEvent[] = [];
    /** The conversation ids of every status query the hub made, in order. */
    const statusQueries: string[][] = [];

    before(async () => {
      if (skip()) return;
      server = await startTestServer(store === 'postgres' ? { databaseUrl: db.url } : {});
      await server.data.store.listen(EVENTS_CHANNEL, (payload) => {
        const e = parseEvent(payload);
        if (e?.kind === 'message') heard.push(e);
      });
      // Counts the real query's calls (it still runs): the unit under test is who asks for it.
      const conversations = server.data.conversations;
      const real = conversations.visitorStatuses.bind(conversations);
      conversations.visitorStatuses = (ids) => {
        statusQueries.push([...ids]);
        return real(ids);
      };
    });
    after(async () => {
      await server?.close();
    });

    const agentPost = (path: string, body: unknown = {}) => api(server!.url, path, { headers: { ...agentHeaders(), 'content-type': 'application/json' }, body });
    const statusQueriesOf = (id: string) => statusQueries.filter((ids) => ids.includes(id)).length;
    const eventOf = async (clientId: string): Promise<MessageEvent> => (await until(() => heard.find((e) => (e.row as { client_id?: string } | undefined)?.client_id === clientId), `the message event of ${clientId}`))!;

    test('an ordinary message costs no status query; a reopening one updates the panel and the inbox views live', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const watcher = await agentSocket(server!.wsUrl);
      const { token } = await newVisitor(server!.url);
      const { socket, ready } = await visitorSocket(server!.wsUrl, token);
      const id = ready.conversationId as string;
      assert.equal(ready.status, 'open');

      socket.send({ type: 'send', clientId: 'plain-1', text: 'hello' });
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'plain-1');
      assert.equal((await eventOf('plain-1')).reopened, false);
      const before = statusQueriesOf(id);
      // Ordering sentinel: an agent's reply makes the hub send the visitor an `unread` frame from the same batch
      // that would have run a status query for 'plain-1' (or a later one), so once that frame is here, any status
      // query the visitor's message asked for has been made.
      const reply = await agentPost(`/v1/agent/conversations/${id}/messages`, { text: 'hi, how can I help?' });
      assert.equal(reply.status, 200, reply.text);
      await socket.waitFor((f) => f.type === 'unread' && f.count === 1);
      socket.send({ type: 'send', clientId: 'plain-2', text: 'a question' });
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'plain-2');
      await agentPost(`/v1/agent/conversations/${id}/messages`, { text: 'sure' });
      await socket.waitFor((f) => f.type === 'unread' && f.count === 2);
      assert.equal(statusQueriesOf(id), before, 'no status query for an ordinary message');
      assert.equal(socket.frames.filter((f) => f.type === 'status').length, 0, 'nor a status frame');

      // Resolved by an agent: the panel is told.
      assert.equal((await agentPost(`/v1/agent/conversations/${id}/resolve`)).status, 200);
      await socket.waitFor((f) => f.type === 'status' && f.status === 'resolved');
      const resolvedPush = await watcher.waitFor((f) => f.type === 'conversation' && f.conversation.id === id && f.conversation.status === 'resolved');
      const afterResolve = statusQueriesOf(id);

      // The visitor writes again: that message reopens it, says so, and everyone is told live.
      socket.send({ type: 'send', clientId: 'reopen-1', text: 'one more thing' });
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'reopen-1');
      assert.equal((await eventOf('reopen-1')).reopened, true);
      await socket.waitFor((f) => f.type === 'status' && f.status === 'open');
      assert.ok(statusQueriesOf(id) > afterResolve, 'the reopening message refreshed the status');
      const reopenedPush = await watcher.waitFor((f) => watcher.frames.indexOf(f) > watcher.frames.indexOf(resolvedPush) && f.type === 'conversation' && f.conversation.id === id && f.conversation.status === 'open');
      assert.equal(reopenedPush.conversation.resolvedAt, null);
      const open = await api(server!.url, '/v1/agent/conversations?view=open', { headers: agentHeaders() });
      assert.ok(open.json.conversations.some((c: { id: string }) => c.id === id), 'back in the open view');

      // Writing again to the open conversation is an ordinary message again.
      socket.send({ type: 'send', clientId: 'plain-3', text: 'thanks' });
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'plain-3');
      assert.equal((await eventOf('plain-3')).reopened, false);
      watcher.close();
      socket.close();
    });

    test('an agent’s message never reopens: it stays resolved and says so', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const { token } = await newVisitor(server!.url);
      const { socket, ready } = await visitorSocket(server!.wsUrl, token);
      const id = ready.conversationId as string;
      socket.send({ type: 'send', clientId: 'first', text: 'hi' });
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'first');
      assert.equal((await agentPost(`/v1/agent/conversations/${id}/resolve`)).status, 200);
      await socket.waitFor((f) => f.type === 'status' && f.status === 'resolved');
      assert.equal((await agentPost(`/v1/agent/conversations/${id}/messages`, { text: 'closing note', clientId: 'note-1' })).status, 200);
      assert.equal((await eventOf('agent:note-1')).reopened, false);
      assert.equal((await server!.data.conversations.get(id))!.status, 'resolved');
      socket.close();
    });

    test('a resolve that commits while the message waits for the conversation row: the message reopens it, and says so', async (t) => {
      if (store !== 'postgres') return t.skip('one connection on PGlite: statements never overlap');
      if (skip()) return t.skip(String(skip()));
      const { token } = await newVisitor(server!.url);
      const { socket, ready } = await visitorSocket(server!.wsUrl, token);
      const id = ready.conversationId as string;
      socket.send({ type: 'send', clientId: 'race-0', text: 'hi' });
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'race-0');
      // Another connection resolves it and holds the row until we let go.
      const other = new pg.Client({ connectionString: db.url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query("UPDATE conversations SET status = 'resolved', resolved_at = now() WHERE id = $1", [id]);
        socket.send({ type: 'send', clientId: 'race-1', text: 'still there?' });
        // The message's statement has started (its snapshot still sees 'open') and waits for the row.
        await until(async () => (await other.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")).rowCount, 'the message statement waiting for the row');
        await other.query('COMMIT');
      } finally {
        await other.end();
      }
      await socket.waitFor((f) => f.type === 'ack' && f.clientId === 'race-1');
      assert.equal((await eventOf('race-1')).reopened, true, 'decided on the row the resolve left, not on the snapshot');
      assert.equal((await server!.data.conversations.get(id))!.status, 'open');
      assert.equal((await server!.data.messages.after(id, 0)).map((m) => m.seq).join(','), '1,2');
      socket.close();
    });
  });
}
