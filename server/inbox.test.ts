// The inbox's agent API on both stores (PGlite, and PostgreSQL when there is
// one): views and their counts, scoping (an agent of app A never sees app B),
// assignment, resolve / reopen (and a visitor's message reopening), full-text
// search with safe highlights, canned replies and their validation, and the
// agents' live activity frames (viewing, typing).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { agentHeaders, agentSocket, api, startTwoAppServer, until } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { segments } from './data/search.js';

const db = testDatabase({ prefix: 'twt_inbox' });

for (const store of ['pglite', 'postgres'] as const) {
  describe(`inbox on ${store}`, () => {
    let server: Awaited<ReturnType<typeof startTwoAppServer>> | null = null;
    let base = '';
    let ids: { a1: number; a2: number; b1: number; admin: number } = { a1: 0, a2: 0, b1: 0, admin: 0 };
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);

    before(async () => {
      if (skip()) return;
      server = await startTwoAppServer(store === 'postgres' ? { databaseUrl: db.url } : {});
      base = server.url;
      ids = server.ids;
    });
    after(async () => {
      await server?.close();
    });

    const visitorSays = (appid: string, texts: string[], profile: Record<string, string> = {}) => server!.visitorSays(appid, texts, profile);
    const get = (path: string, key: string) => api(base, path, { headers: agentHeaders(key) });
    const post = (path: string, key: string, body: unknown = {}) => api(base, path, { headers: { ...agentHeaders(key), 'content-type': 'application/json' }, body });
    const list = async (key: string, view: string) => (await get(`/v1/agent/conversations?view=${view}`, key)).json;

    test('views, counts and the per-agent scope; the visitor shown by name; waiting since the first unanswered message', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const a = await visitorSays('app-a', ['hello from A', 'anyone there?'], { name: 'Alice Doe', email: 'alice@example.com' });
      const b = await visitorSays('app-b', ['hello from B']);
      const before = await list('key-a1', 'open');
      assert.equal('me' in before, false, 'who asks is /v1/console/me’s answer (ConsoleAgent), not the list’s');
      assert.ok(typeof before.serverTime === 'string' && !Number.isNaN(Date.parse(before.serverTime)));
      const row = before.conversations.find((c: any) => c.id === a.id);
      assert.ok(row, 'the agent of app A sees app A');
      assert.equal(row.visitor.name, 'Alice Doe');
      assert.equal(row.status, 'open');
      assert.equal(row.assignee, null);
      assert.equal(row.unread, 2);
      assert.equal(row.online, true);
      assert.equal(row.lastMessage.text, 'anyone there?');
      const first = (await get(`/v1/agent/conversations/${a.id}/messages`, 'key-a1')).json.messages[0];
      assert.equal(row.waitingSince, first.createdAt, 'waiting since the oldest unanswered visitor message');
      assert.ok(before.conversations.every((c: any) => c.appid === 'app-a'), 'never app B');
      assert.equal((await get(`/v1/agent/conversations/${b.id}/messages`, 'key-a1')).status, 404);
      assert.equal((await list('key-b1', 'open')).conversations.some((c: any) => c.id === a.id), false);
      // The counts are of the agent's apps only: the admin (every app) counts both.
      const adminCounts = (await list(AGENT_ADMIN, 'open')).counts;
      assert.ok(adminCounts.open >= before.counts.open + 1);
      // An answer stops the wait.
      await post(`/v1/agent/conversations/${a.id}/messages`, 'key-a1', { text: 'here!' });
      assert.equal((await list('key-a1', 'open')).conversations.find((c: any) => c.id === a.id).waitingSince, null);
      // Writing again starts a new wait, from that message; a second one does not move it.
      for (const [i, text] of ['still there?', 'hello?'].entries()) {
        a.socket.send({ type: 'send', clientId: `w${i}`, text });
        await a.socket.waitFor((f) => f.type === 'ack' && f.clientId === `w${i}`);
      }
      const msgs = (await get(`/v1/agent/conversations/${a.id}/messages`, 'key-a1')).json.messages;
      assert.equal((await list('key-a1', 'open')).conversations.find((c: any) => c.id === a.id).waitingSince, msgs.find((m: any) => m.text === 'still there?').createdAt);
      assert.equal((await get('/v1/agent/conversations?view=everything', 'key-a1')).status, 400);
      a.socket.close();
      b.socket.close();
    });

    test('assignment: take, hand to a teammate, unassign; never to an agent of another app; mine / unassigned views follow', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const a = await visitorSays('app-a', ['please assign me']);
      const counts0 = (await list('key-a1', 'mine')).counts;
      const taken = await post(`/v1/agent/conversations/${a.id}/assign`, 'key-a1', { agentId: ids.a1 });
      assert.equal(taken.status, 200, taken.text);
      assert.deepEqual(taken.json.conversation.assignee, { id: ids.a1, name: 'Ann (A)' });
      const mine = await list('key-a1', 'mine');
      assert.ok(mine.conversations.some((c: any) => c.id === a.id));
      assert.equal(mine.counts.mine, counts0.mine + 1);
      assert.equal(mine.counts.unassigned, counts0.unassigned - 1);
      assert.equal((await list('key-a2', 'mine')).conversations.some((c: any) => c.id === a.id), false, 'not in Bob’s mine');
      assert.equal((await list('key-a1', 'unassigned')).conversations.some((c: any) => c.id === a.id), false);
      // Hand over to Bob (same app); Cid serves app B only.
      assert.equal((await post(`/v1/agent/conversations/${a.id}/assign`, 'key-a1', { agentId: ids.a2 })).json.conversation.assignee.id, ids.a2);
      const refused = await post(`/v1/agent/conversations/${a.id}/assign`, 'key-a1', { agentId: ids.b1 });
      assert.equal(refused.status, 400);
      assert.equal(refused.json.reason, 'invalid_agent');
      for (const bad of [{ agentId: 'x' }, { agentId: -1 }, {}, { agentId: 1.5 }]) assert.equal((await post(`/v1/agent/conversations/${a.id}/assign`, 'key-a1', bad)).status, 400, JSON.stringify(bad));
      // Cid cannot even see it.
      assert.equal((await post(`/v1/agent/conversations/${a.id}/assign`, 'key-b1', { agentId: ids.b1 })).status, 404);
      const teammates = (await get('/v1/agent/teammates', 'key-a1')).json.agents.map((x: any) => x.name);
      assert.ok(teammates.includes('Bob (A)') && teammates.includes('Demo Agent') && !teammates.includes('Cid (B)'), JSON.stringify(teammates));
      const un = await post(`/v1/agent/conversations/${a.id}/assign`, 'key-a2', { agentId: null });
      assert.equal(un.json.conversation.assignee, null);
      assert.ok((await list('key-a1', 'unassigned')).conversations.some((c: any) => c.id === a.id));
      a.socket.close();
    });

    test('resolve and reopen; a visitor’s new message reopens a resolved conversation; agents are pushed each change', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const watcher = await agentSocket(server!.wsUrl, 'key-a2');
      const a = await visitorSays('app-a', ['done soon']);
      await post(`/v1/agent/conversations/${a.id}/assign`, 'key-a1', { agentId: ids.a1 });
      const resolved = await post(`/v1/agent/conversations/${a.id}/resolve`, 'key-a1');
      assert.equal(resolved.status, 200);
      assert.equal(resolved.json.conversation.status, 'resolved');
      assert.deepEqual(resolved.json.conversation.resolvedBy, { id: ids.a1, name: 'Ann (A)' });
      assert.ok(resolved.json.conversation.resolvedAt);
      const resolvedPush = await watcher.waitFor((f) => f.type === 'conversation' && f.conversation.id === a.id && f.conversation.status === 'resolved');
      const after = (f: any) => watcher.frames.indexOf(f) > watcher.frames.indexOf(resolvedPush);
      assert.ok((await list('key-a1', 'resolved')).conversations.some((c: any) => c.id === a.id));
      assert.equal((await list('key-a1', 'open')).conversations.some((c: any) => c.id === a.id), false);
      // An agent's message leaves it resolved; the visitor's reopens it, assignee kept.
      await post(`/v1/agent/conversations/${a.id}/messages`, 'key-a1', { text: 'closing this' });
      a.socket.send({ type: 'send', clientId: 'again-1', text: 'one more thing' });
      await a.socket.waitFor((f) => f.type === 'ack' && f.clientId === 'again-1');
      const pushed = await watcher.waitFor((f) => after(f) && f.type === 'conversation' && f.conversation.id === a.id && f.conversation.status === 'open');
      assert.equal(pushed.conversation.resolvedAt, null);
      assert.equal(pushed.conversation.assignee.id, ids.a1);
      // Reopen by hand too (resolve first).
      await post(`/v1/agent/conversations/${a.id}/resolve`, 'key-a2');
      const reopened = await post(`/v1/agent/conversations/${a.id}/reopen`, 'key-a2');
      assert.equal(reopened.json.conversation.status, 'open');
      assert.equal((await post(`/v1/agent/conversations/${a.id}/resolve`, 'key-b1')).status, 404, 'another app’s agent cannot resolve it');
      assert.equal((await post('/v1/agent/conversations/c_nope/resolve', 'key-a1')).status, 404);
      watcher.close();
      a.socket.close();
    });

    test('full-text search: messages and visitor fields, scoped to the agent’s apps, highlights as segments that cannot inject markup', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const a = await visitorSays('app-a', ['My parcel with <b>red</b> shoes never arrived', 'tracking number 12345'], { name: 'Zoe Parcelton', email: 'zoe@shop.example' });
      const b = await visitorSays('app-b', ['where is my parcel too']);
      const forged = await visitorSays('app-a', ['fake \uE000highlight\uE001 parcel']);
      const r = await get(`/v1/agent/search?q=${encodeURIComponent('parcel shoes')}`, 'key-a1');
      assert.equal(r.status, 200, r.text);
      const hit = r.json.results.find((x: any) => x.conversation.id === a.id);
      assert.ok(hit, 'found by its message');
      assert.equal(hit.message.seq, 1);
      assert.deepEqual(
        hit.snippet.filter((s: any) => s.hit).map((s: any) => s.text.toLowerCase()),
        ['parcel', 'shoes'],
      );
      assert.match(hit.snippet.map((s: any) => s.text).join(''), /parcel with <b>red<\/b> shoes never arrived$/, 'the text comes back as text, tags and all');
      assert.ok(r.json.results.every((x: any) => x.conversation.appid === 'app-a'), 'never another app’s conversation');
      assert.equal(r.json.results.some((x: any) => x.conversation.id === b.id), false);
      assert.ok((await get(`/v1/agent/search?q=parcel`, 'key-b1')).json.results.some((x: any) => x.conversation.id === b.id));
      // Marker characters in a message are not highlights.
      const f = (await get('/v1/agent/search?q=parcel', 'key-a1')).json.results.find((x: any) => x.conversation.id === forged.id);
      assert.deepEqual(f.snippet.filter((s: any) => s.hit).map((s: any) => s.text), ['parcel']);
      // By the visitor's email or name; websearch syntax.
      const byEmail = (await get(`/v1/agent/search?q=${encodeURIComponent('zoe@shop.example')}`, 'key-a1')).json.results;
      assert.ok(byEmail.some((x: any) => x.conversation.id === a.id));
      assert.ok((await get(`/v1/agent/search?q=${encodeURIComponent('"tracking number"')}`, 'key-a1')).json.results.some((x: any) => x.conversation.id === a.id));
      assert.equal((await get(`/v1/agent/search?q=${encodeURIComponent('parcel -shoes')}`, 'key-a1')).json.results.some((x: any) => x.conversation.id === a.id && x.message.seq === 1), false);
      for (const [q, status] of [['', 400], ['x'.repeat(201), 400], ['a\u0000b', 400]] as const) assert.equal((await get(`/v1/agent/search?q=${encodeURIComponent(q)}`, 'key-a1')).status, status, JSON.stringify(q));
      assert.deepEqual((await get(`/v1/agent/search?q=${encodeURIComponent('!!!')}`, 'key-a1')).json.results, [], 'no words: nothing, no error');
      for (const s of [a, b, forged]) s.socket.close();
    });

    test('canned replies: per app, only editors write, validated; an agent sees its app’s only', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const made = await post('/v1/agent/canned-replies', AGENT_ADMIN, { appid: 'app-a', shortcut: '/Thanks', text: 'Thank you for waiting!' });
      assert.equal(made.status, 200, made.text);
      assert.equal(made.json.reply.shortcut, 'thanks');
      await post('/v1/agent/canned-replies', AGENT_ADMIN, { appid: 'app-b', shortcut: 'thanks', text: 'B thanks' });
      assert.equal((await post('/v1/agent/canned-replies', AGENT_ADMIN, { appid: 'app-a', shortcut: 'thanks', text: 'again' })).status, 409);
      for (const bad of [
        { appid: 'app-a', shortcut: 'has space', text: 'x' },
        { appid: 'app-a', shortcut: '', text: 'x' },
        { appid: 'app-a', shortcut: 'ok', text: '' },
        { appid: 'app-a', shortcut: 'ok', text: 'a\u0000' },
        { appid: 'nope', shortcut: 'ok', text: 'x' },
        { shortcut: 'ok', text: 'x' },
      ]) {
        const r = await post('/v1/agent/canned-replies', AGENT_ADMIN, bad);
        assert.equal(r.status, 400, JSON.stringify(bad));
        assert.equal(r.json.ok, false);
      }
      assert.equal((await post('/v1/agent/canned-replies', AGENT_ADMIN, { appid: 'app-a', shortcut: 'long', text: 'x'.repeat(4001) })).status, 413);
      // A scoped agent reads its app's replies, and may not write.
      const seen = (await get('/v1/agent/canned-replies', 'key-a1')).json.replies;
      assert.deepEqual(seen.map((r: any) => [r.appid, r.shortcut]), [['app-a', 'thanks']]);
      const denied = await post('/v1/agent/canned-replies', 'key-a1', { appid: 'app-a', shortcut: 'mine', text: 'x' });
      assert.equal(denied.status, 403);
      assert.equal(denied.json.reason, 'forbidden');
      const id = made.json.reply.id;
      assert.equal((await post(`/v1/agent/canned-replies/${id}`, 'key-a1', { text: 'hacked' })).status, 403);
      const edited = await post(`/v1/agent/canned-replies/${id}`, AGENT_ADMIN, { text: 'Thanks a lot for waiting!' });
      assert.equal(edited.json.reply.text, 'Thanks a lot for waiting!');
      assert.equal(edited.json.reply.shortcut, 'thanks');
      assert.equal((await post(`/v1/agent/canned-replies/999999/delete`, AGENT_ADMIN)).status, 404);
      assert.equal((await post(`/v1/agent/canned-replies/${id}/delete`, AGENT_ADMIN)).status, 200);
      assert.deepEqual((await get('/v1/agent/canned-replies', 'key-a1')).json.replies, []);
    });

    test('agents see each other viewing and typing in a conversation; other apps’ agents do not; closing the socket ends it', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const a = await visitorSays('app-a', ['who is there?']);
      const ann = await agentSocket(server!.wsUrl, 'key-a1');
      const bob = await agentSocket(server!.wsUrl, 'key-a2');
      const cid = await agentSocket(server!.wsUrl, 'key-b1');
      assert.equal((await bob.waitFor((f) => f.type === 'ready')).agentId, ids.a2);
      ann.send({ type: 'viewing', conversationId: a.id });
      const seen = await bob.waitFor((f) => f.type === 'activity' && f.activity === 'viewing' && f.conversationId === a.id);
      assert.deepEqual(seen.agent, { id: ids.a1, name: 'Ann (A)' });
      assert.equal(seen.active, true);
      assert.ok(seen.ttlMs > 0);
      ann.send({ type: 'typing', conversationId: a.id, typing: true });
      await bob.waitFor((f) => f.type === 'activity' && f.activity === 'typing' && f.active && f.agent.id === ids.a1);
      // A scoped agent naming another app's conversation is refused; a sentinel ping orders the check.
      cid.send({ type: 'viewing', conversationId: a.id });
      cid.send({ type: 'ping' });
      assert.equal((await cid.waitFor((f) => f.type === 'error')).code, 'malformed');
      await cid.waitFor((f) => f.type === 'pong');
      ann.close();
      await bob.waitFor((f) => f.type === 'activity' && f.activity === 'viewing' && !f.active && f.agent.id === ids.a1);
      bob.send({ type: 'ping' });
      await bob.waitFor((f) => f.type === 'pong');
      cid.send({ type: 'ping' });
      await until(() => cid.frames.filter((f) => f.type === 'pong').length >= 2, 'the second pong');
      assert.equal(cid.frames.some((f) => f.type === 'activity'), false, 'app B’s agent saw nothing of app A');
      for (const s of [bob, cid]) s.close();
      a.socket.close();
    });

    test('two agents typing in one conversation see each other; the visitor sees one of them typing until both stop, or a socket dies', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const a = await visitorSays('app-a', ['two of you?']);
      const ann = await agentSocket(server!.wsUrl, 'key-a1');
      const bob = await agentSocket(server!.wsUrl, 'key-a2');
      const typingOf = (s: typeof ann, id: number, active: boolean) => s.waitFor((f) => f.type === 'activity' && f.activity === 'typing' && f.conversationId === a.id && f.agent.id === id && f.active === active);
      const visitorTyping = () => a.socket.frames.filter((f) => f.type === 'typing');
      // Two sockets' frames reach the server in either order: Bob starts only once Ann's start has landed,
      // so Ann is the first typist the visitor sees.
      ann.send({ type: 'typing', conversationId: a.id, typing: true });
      await typingOf(bob, ids.a1, true);
      await a.socket.waitFor((f) => f.type === 'typing' && f.typing && f.authorName === 'Ann (A)');
      bob.send({ type: 'typing', conversationId: a.id, typing: true });
      await typingOf(ann, ids.a2, true);
      // Ann stops; Bob types on: the visitor now sees Bob.
      ann.send({ type: 'typing', conversationId: a.id, typing: false });
      await typingOf(bob, ids.a1, false);
      await a.socket.waitFor((f) => f.type === 'typing' && f.typing && f.authorName === 'Bob (A)');
      // Bob's socket dies while typing: Ann sees him stop, and so does the visitor.
      bob.close();
      await typingOf(ann, ids.a2, false);
      await a.socket.waitFor((f) => f.type === 'typing' && !f.typing);
      assert.deepEqual(visitorTyping().map((f) => [f.typing, f.authorName ?? null]), [
        [true, 'Ann (A)'],
        [true, 'Bob (A)'],
        [false, null],
      ]);
      ann.close();
      a.socket.close();
    });
  });
}

/** The seeded demo agent: every app, so an admin until agents have roles. */
const AGENT_ADMIN = 'demo-agent-key';

test('search highlights: marks become segments, unpaired marks end at the text', () => {
  assert.deepEqual(segments('a \uE000b\uE001 c'), [
    { text: 'a ', hit: false },
    { text: 'b', hit: true },
    { text: ' c', hit: false },
  ]);
  assert.deepEqual(segments('\uE000x\uE001\uE000y\uE001'), [{ text: 'xy', hit: true }]);
  assert.deepEqual(segments('<img src=x onerror=alert(1)>'), [{ text: '<img src=x onerror=alert(1)>', hit: false }]);
});
