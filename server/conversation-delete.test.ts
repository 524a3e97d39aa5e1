// Deleting a conversation reaches everyone live, on both stores (PGlite, and PostgreSQL when there is one, where a
// second server process holds the other agent's console and a second panel and hears it through the fan-out): the
// visitor's panels get a `deleted` frame and then a GOING_AWAY close, and reconnect into another conversation; the
// consoles of the app's agents (the deleting admin's too) get `conversation_deleted`; another app's agents get
// nothing; a visitor's other conversation stays connected.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE } from '../src/shared/wire-protocol.js';
import { agentHeaders, agentSocket, api, startTestServer, startTwoAppServer, visitorSocket } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { publish } from './events.js';

const db = testDatabase({ prefix: 'twt_conv_delete' });

for (const store of ['pglite', 'postgres'] as const) {
  describe(`deleting a conversation on ${store}`, () => {
    let server: Awaited<ReturnType<typeof startTwoAppServer>> | null = null;
    let second: Awaited<ReturnType<typeof startTestServer>> | null = null;
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);
    /** The other process's sockets (PostgreSQL), or this one's (PGlite has one process). */
    const far = () => second ?? server!;

    before(async () => {
      if (skip()) return;
      server = await startTwoAppServer(store === 'postgres' ? { databaseUrl: db.url } : {});
      if (store === 'postgres') second = await startTestServer({ databaseUrl: db.url });
    });
    after(async () => {
      await second?.close();
      await server?.close();
    });

    const deleteConversation = (id: string) => api(server!.url, `/v1/agent/conversations/${id}/delete`, { headers: agentHeaders(), body: {} });

    test('the panels clear it and reconnect elsewhere; the app’s consoles drop it; another app’s agents hear nothing', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const watcher = await agentSocket(far().wsUrl, 'key-a1'); // another agent's console
      const own = await agentSocket(server!.wsUrl); // the deleting admin's console
      const otherApp = await agentSocket(far().wsUrl, 'key-b1');
      const v = await server!.visitorSays('app-a', ['hello', 'my card number is…']);
      // A second tab of the same visitor, on the other process.
      const tab = await visitorSocket(far().wsUrl, v.token, { conversationId: v.id });
      await tab.socket.waitFor((f) => f.type === 'message' && f.message.seq === 2);
      await watcher.waitFor((f) => f.type === 'conversation' && f.conversation.id === v.id && f.conversation.lastSeq === 2);

      const res = await deleteConversation(v.id);
      assert.equal(res.status, 200, res.text);
      for (const panel of [v.socket, tab.socket]) {
        const deleted = await panel.waitFor((f) => f.type === 'deleted');
        assert.equal(deleted.conversationId, v.id);
        assert.equal((await panel.waitClose()).code, CLOSE.GOING_AWAY);
        // The `deleted` frame came last: nothing of it after.
        assert.equal(panel.frames.at(-1).type, 'deleted');
      }
      for (const console of [watcher, own]) await console.waitFor((f) => f.type === 'conversation_deleted' && f.conversationId === v.id);

      // Another app's agent: a later message of its own app arrives, the deletion never did.
      const b = await server!.visitorSays('app-b', 'sentinel');
      await otherApp.waitFor((f) => f.type === 'message' && f.message.text === 'sentinel');
      assert.equal(otherApp.frames.some((f) => f.type === 'conversation_deleted'), false);
      b.socket.close();

      // The panel reconnects naming the deleted conversation: it is in another one, with none of the old messages,
      // and what it sends goes there.
      const again = await visitorSocket(far().wsUrl, v.token, { conversationId: v.id, lastSeq: 2 });
      assert.notEqual(again.ready.conversationId, v.id);
      assert.equal(again.ready.lastSeq, 0);
      again.socket.send({ type: 'send', clientId: 'after-delete', text: 'still there?' });
      const ack = await again.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'after-delete');
      assert.deepEqual([ack.message.conversationId, ack.message.seq], [again.ready.conversationId, 1]);
      assert.equal(again.socket.frames.some((f) => f.type === 'message' && f.message.conversationId === v.id), false);
      // The new conversation reaches the watcher; the deleted one is in no list, and its messages are gone.
      await watcher.waitFor((f) => f.type === 'message' && f.message.clientId === 'after-delete');
      const list = await api(server!.url, '/v1/agent/conversations?view=open', { headers: agentHeaders('key-a1') });
      assert.equal(list.status, 200, list.text);
      assert.equal(list.json.conversations.some((c: { id: string }) => c.id === v.id), false);
      assert.equal((await api(server!.url, `/v1/agent/conversations/${v.id}/messages`, { headers: agentHeaders('key-a1') })).status, 404);
      // Deleting it again: it is unknown.
      assert.equal((await deleteConversation(v.id)).status, 404);
      for (const s of [again.socket, watcher, own, otherApp]) s.close();
    });

    test('a panel whose conversation was deleted unheard (a deaf spell) is told at the hub’s next look at it', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const v = await server!.visitorSays('app-a', 'gone quietly');
      // Deleted without its event, as a process that was not listening then would have it.
      await server!.data.store.query('DELETE FROM conversations WHERE id = $1', [v.id]);
      assert.equal(v.socket.closed, null);
      // Any later event about it makes the hub look (the catch-up after a deaf spell looks at every panel's conversation).
      await publish(server!.data.store, { kind: 'conversation', conversationId: v.id });
      assert.equal((await v.socket.waitFor((f) => f.type === 'deleted')).conversationId, v.id);
      assert.equal((await v.socket.waitClose()).code, CLOSE.GOING_AWAY);
    });

    test('deleting a visitor’s older conversation leaves the one its panel is in connected', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const old = await server!.visitorSays('app-a', 'an old question');
      const started = await api(server!.url, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${old.token}` }, body: {} });
      assert.equal(started.status, 200, started.text);
      const current = await visitorSocket(far().wsUrl, old.token, { conversationId: started.json.conversation.id });
      assert.equal(current.ready.conversationId, started.json.conversation.id);

      assert.equal((await deleteConversation(old.id)).status, 200);
      assert.equal((await old.socket.waitClose()).code, CLOSE.GOING_AWAY);
      // Ordering sentinel: an agent's reply to the current conversation arrives after the deletion, on a socket
      // that was neither told nor closed.
      const reply = await api(server!.url, `/v1/agent/conversations/${current.ready.conversationId}/messages`, { headers: agentHeaders(), body: { text: 'still here' } });
      assert.equal(reply.status, 200, reply.text);
      await current.socket.waitFor((f) => f.type === 'message' && f.message.text === 'still here');
      assert.equal(current.socket.closed, null);
      assert.equal(current.socket.frames.some((f) => f.type === 'deleted'), false);
      current.socket.close();
    });
  });
}
