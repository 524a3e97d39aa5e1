// The agents' inbox row without a summary query per message (server/agent-row-updates.ts), on both stores (PGlite,
// and PostgreSQL when there is one). Counted on the real `forAgents` (it still runs): an ordinary message, either
// way, costs none and sends no `conversation` frame to a client that says `rowsFromMessages`; a conversation's first
// message and a reopening one do. The row that client derives from the message frames (src/shared/agent-row.ts)
// is checked, field by field, against the summary the real query answers. A client without the flag (an older
// console, an integration) still gets a summary after every message. GET /v1/agent/conversations/:id answers one
// summary, scoped to the agent's apps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_KEY, TestSocket, agentHeaders, agentSocket, api, startTestServer, startTwoAppServer } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { agentRowAfterMessage, agentRowFromSummary } from '../src/shared/agent-row.js';
import type { AgentConversation } from '../src/shared/wire-protocol.js';

const db = testDatabase({ prefix: 'twt_agent_rows' });
/** Its own database: the two-process test starts its apps afresh. */
const db2 = testDatabase({ prefix: 'twt_agent_rows_mp' });

for (const store of ['pglite', 'postgres'] as const) {
  describe(`agents' rows from messages on ${store}`, () => {
    let server: Awaited<ReturnType<typeof startTwoAppServer>> | null = null;
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);
    /** What every `forAgents` call asked for, in order: conversation ids, or visitors (presence, profile). */
    const summaryCalls: Array<{ ids: string[]; visitorUids: string[] }> = [];

    before(async () => {
      if (skip()) return;
      server = await startTwoAppServer(store === 'postgres' ? { databaseUrl: db.url } : {});
      // Counts the real query's calls (it still runs): the unit under test is who asks for it.
      const conversations = server.data.conversations;
      const real = conversations.forAgents.bind(conversations);
      conversations.forAgents = (filter, online) => {
        summaryCalls.push({ ids: [...(filter.ids ?? [])], visitorUids: [...(filter.visitorUids ?? [])] });
        return real(filter, online);
      };
    });
    after(async () => {
      await server?.close();
    });

    /** Summary queries by conversation id (what a message asks for; presence asks by visitor). */
    const summariesOf = (id: string, since = 0) => summaryCalls.slice(since).filter((c) => c.ids.includes(id)).length;
    const agentPost = (path: string, body: unknown = {}) => api(server!.url, path, { headers: { ...agentHeaders(), 'content-type': 'application/json' }, body });
    /** The summary as the real query reads it now (its visitor is connected: online). */
    const truth = async (id: string) => (await server!.data.conversations.forAgents({ ids: [id] }, () => true))[0]!;
    /** An agent socket (the demo agent of every app) that derives its rows from messages, as the console does. */
    const rowsAgent = async () => {
      const s = await TestSocket.open(server!.wsUrl + '/v1/agent/ws');
      s.send({ type: 'auth', key: AGENT_KEY, rowsFromMessages: true });
      await s.waitFor((f) => f.type === 'ready');
      return s;
    };
    /**
     * Ordering sentinel: a new conversation's first message queues its summary after everything before it, so
     * once the agent has its `conversation` frame, any summary queued earlier has been asked for (and sent).
     */
    const sentinel = async (agent: TestSocket) => {
      const fresh = await server!.visitorSays('app-a', 'sentinel');
      await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === fresh.id && f.conversation.lastSeq === 1);
      fresh.socket.close();
    };

    test('an ordinary message either way costs no summary; the row derived from the frames is the real one', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const agent = await rowsAgent();
      // The first message: the conversation enters the inbox, its summary comes once.
      const v = await server!.visitorSays('app-a', 'hello');
      const first = await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === v.id && f.conversation.lastSeq === 1);
      let row: AgentConversation = first.conversation;
      assert.equal(row.lastSeq, 1);
      // That frame may be the answer to the conversation's creation event, read after the first message committed:
      // the first message's own summary may still be queued. The sentinel waits it out.
      await sentinel(agent);
      const since = summaryCalls.length;
      const framesBefore = agent.frames.length;

      // Both ways: a visitor's message, an agent's answer (REST), another visitor message.
      v.socket.send({ type: 'send', clientId: 'q-1', text: 'a question' });
      await v.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'q-1');
      assert.equal((await agentPost(`/v1/agent/conversations/${v.id}/messages`, { text: 'an answer' })).status, 200);
      v.socket.send({ type: 'send', clientId: 'q-2', text: 'thanks!' });
      await v.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'q-2');
      await agent.waitFor((f) => f.type === 'message' && f.message.seq === 4 && f.conversationId === v.id);
      await sentinel(agent);

      assert.equal(summariesOf(v.id, since), 0, `no summary query for an ordinary message: ${JSON.stringify(summaryCalls.slice(since))} ${JSON.stringify(agent.frames.slice(framesBefore).map((f) => [f.type, f.conversation?.id ?? f.conversationId, f.conversation?.lastSeq ?? f.message?.seq]))}`);
      const later = agent.frames.slice(framesBefore);
      // The visitor's coming online (presence) may still bring one summary, asked for by visitor: none other.
      const byPresence = summaryCalls.slice(since).filter((c) => c.visitorUids.includes(v.uid)).length;
      assert.ok(later.filter((f) => f.type === 'conversation' && f.conversation.id === v.id).length <= byPresence, 'nor a summary frame');
      const messages = later.filter((f) => f.type === 'message' && f.conversationId === v.id).map((f) => f.message);
      assert.deepEqual(
        messages.map((m) => [m.seq, m.author]),
        [
          [2, 'visitor'],
          [3, 'agent'],
          [4, 'visitor'],
        ],
      );
      for (const m of messages) row = agentRowAfterMessage(row, m)!;
      assert.deepEqual(row, await truth(v.id), 'the derived row is the summary the query reads');
      assert.equal(row.unread, 3);
      assert.equal(row.waitingSince, messages[2].createdAt, 'the answer ended the wait; the next message started one');
      assert.equal(agentRowAfterMessage(row, messages[1]), row, 'a message already counted changes nothing');
      assert.equal(agentRowAfterMessage(row, { ...messages[2], seq: 6 }), null, 'a gap asks for the summary');
      agent.close();
      v.socket.close();
    });

    test('a reopening message brings the full summary; the derived row agrees with it', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const agent = await rowsAgent();
      const v = await server!.visitorSays('app-a', ['hi', 'anyone?']);
      assert.equal((await agentPost(`/v1/agent/conversations/${v.id}/resolve`)).status, 200);
      const resolved = await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === v.id && f.conversation.status === 'resolved');
      const since = summaryCalls.length;
      v.socket.send({ type: 'send', clientId: 'again', text: 'one more thing' });
      const m = (await agent.waitFor((f) => f.type === 'message' && f.message.clientId === 'again')).message;
      const reopened = await agent.waitFor((f) => agent.frames.indexOf(f) > agent.frames.indexOf(resolved) && f.type === 'conversation' && f.conversation.id === v.id && f.conversation.status === 'open');
      assert.ok(summariesOf(v.id, since) >= 1, 'the reopen asked for the summary');
      const derived = agentRowAfterMessage(resolved.conversation, m)!;
      assert.deepEqual(derived, reopened.conversation, 'derived from the message alone, the row is already the reopened one');
      assert.deepEqual(agentRowFromSummary(derived, resolved.conversation), derived, 'an older summary arriving late does not undo it');
      agent.close();
      v.socket.close();
    });

    test('a client without rowsFromMessages still gets a summary after every message', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const legacy = await agentSocket(server!.wsUrl);
      const v = await server!.visitorSays('app-a', 'first');
      await legacy.waitFor((f) => f.type === 'conversation' && f.conversation.id === v.id && f.conversation.lastSeq === 1);
      v.socket.send({ type: 'send', clientId: 'plain', text: 'second' });
      const pushed = await legacy.waitFor((f) => f.type === 'conversation' && f.conversation.id === v.id && f.conversation.lastSeq === 2);
      assert.equal(pushed.conversation.lastMessage.text, 'second');
      legacy.close();
      v.socket.close();
    });

    test('GET /v1/agent/conversations/:id: one summary, only within the agent’s apps', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const v = await server!.visitorSays('app-a', 'find me');
      const one = await api(server!.url, `/v1/agent/conversations/${v.id}`, { headers: agentHeaders('key-a1') });
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(one.json.conversation, await truth(v.id));
      const other = await api(server!.url, `/v1/agent/conversations/${v.id}`, { headers: agentHeaders('key-b1') });
      assert.equal(other.status, 404);
      assert.equal(other.json.reason, 'not_found');
      assert.equal((await api(server!.url, '/v1/agent/conversations/c_nope', { headers: agentHeaders('key-a1') })).status, 404);
      assert.equal((await api(server!.url, `/v1/agent/conversations/${v.id}`)).status, 401);
      v.socket.close();
    });
  });
}

describe('agents’ rows from messages across two processes on postgres', () => {
  let a: Awaited<ReturnType<typeof startTwoAppServer>> | null = null;
  let b: Awaited<ReturnType<typeof startTestServer>> | null = null;
  /** `forAgents` calls by conversation id on each process. */
  const calls = { a: [] as string[][], b: [] as string[][] };

  before(async () => {
    if (!db2.available) return;
    a = await startTwoAppServer({ databaseUrl: db2.url });
    b = await startTestServer({ databaseUrl: db2.url });
    for (const [name, server] of [['a', a], ['b', b]] as const) {
      const conversations = server.data.conversations;
      const real = conversations.forAgents.bind(conversations);
      conversations.forAgents = (filter, online) => {
        calls[name].push([...(filter.ids ?? [])]);
        return real(filter, online);
      };
    }
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  test('visitor on A, the console on B: the first message brings the summary, ordinary ones none on either process', async (t) => {
    if (!db2.available) return t.skip(db2.skipReason);
    const agent = await TestSocket.open(b!.wsUrl + '/v1/agent/ws');
    agent.send({ type: 'auth', key: AGENT_KEY, rowsFromMessages: true });
    await agent.waitFor((f) => f.type === 'ready');
    const v = await a!.visitorSays('app-a', 'hello from A');
    let row: AgentConversation = (await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === v.id && f.conversation.lastSeq === 1)).conversation;
    // Ordering sentinel: a new conversation's summary reaches B's agent after anything queued before it (here the
    // first message's own summary, which may still be queued when the creation event's one already read seq 1).
    const sentinel = async () => {
      const fresh = await a!.visitorSays('app-a', 'sentinel');
      await agent.waitFor((f) => f.type === 'conversation' && f.conversation.id === fresh.id && f.conversation.lastSeq === 1);
      fresh.socket.close();
    };
    await sentinel();
    const since = { a: calls.a.length, b: calls.b.length };
    v.socket.send({ type: 'send', clientId: 'x2', text: 'still there?' });
    await v.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'x2');
    const reply = await api(b!.url, `/v1/agent/conversations/${v.id}/messages`, { headers: { ...agentHeaders(), 'content-type': 'application/json' }, body: { text: 'yes, from B' } });
    assert.equal(reply.status, 200, reply.text);
    await agent.waitFor((f) => f.type === 'message' && f.conversationId === v.id && f.message.seq === 3);
    await sentinel();
    const ofV = (list: string[][]) => list.filter((ids) => ids.includes(v.id)).length;
    assert.equal(ofV(calls.a.slice(since.a)) + ofV(calls.b.slice(since.b)), 0, 'no summary query on either process');
    // The row as the console keeps it: each summary replaces it (the visitor's presence, heard from A, brings one of
    // its own, before or after the messages), each newer message updates it.
    for (const f of agent.frames) {
      if (f.type === 'conversation' && f.conversation.id === v.id) row = f.conversation;
      else if (f.type === 'message' && f.conversationId === v.id && f.message.seq > row.lastSeq) row = agentRowAfterMessage(row, f.message)!;
    }
    // `online` is presence's (B hears A's announcement on its own schedule, presence.test.ts); the rest is the messages'.
    const [truth] = await b!.data.conversations.forAgents({ ids: [v.id] }, () => row.online);
    assert.deepEqual(row, truth);
    agent.close();
    v.socket.close();
  });
});
