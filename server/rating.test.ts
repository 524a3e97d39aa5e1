// The visitor's rating of a resolved conversation, on both stores (PGlite, and PostgreSQL when there is one):
// validation (value, comment length, NUL and control characters), scoping (a visitor rates only its own resolved
// conversation; agents of another app never see the rating), one rating per resolution (re-rating replaces it, a
// new resolve clears it), the visitor's live `status` frames and the agents' live summaries.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_KEY, agentHeaders, agentSocket, api, startTwoAppServer } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { LIMITS } from '../src/shared/wire-protocol.js';
import { ratingProblem } from '../src/shared/rating.js';

const db = testDatabase({ prefix: 'twt_rating' });

test('ratingProblem: good or bad; an optional comment, capped, without control characters (tab and line feed allowed)', () => {
  assert.equal(ratingProblem('good', undefined), null);
  assert.equal(ratingProblem('bad', null), null);
  assert.equal(ratingProblem('good', 'thanks!\nreally\tgood'), null);
  assert.equal(ratingProblem('good', 'x'.repeat(LIMITS.ratingComment)), null);
  for (const value of ['meh', '', null, 1, 'GOOD']) assert.match(ratingProblem(value, undefined) ?? '', /rating must be/, JSON.stringify(value));
  assert.match(ratingProblem('good', 'x'.repeat(LIMITS.ratingComment + 1)) ?? '', /longer/);
  assert.match(ratingProblem('good', 42) ?? '', /string/);
  for (const c of ['\u0000', '\u0007', '\u001b', '\r', '\u007f', '\u0085']) assert.match(ratingProblem('good', `a${c}b`) ?? '', /control/, JSON.stringify(c));
});

for (const store of ['pglite', 'postgres'] as const) {
  describe(`ratings on ${store}`, () => {
    let server: Awaited<ReturnType<typeof startTwoAppServer>> | null = null;
    let base = '';
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);

    before(async () => {
      if (skip()) return;
      server = await startTwoAppServer(store === 'postgres' ? { databaseUrl: db.url } : {});
      base = server.url;
    });
    after(async () => {
      await server?.close();
    });

    const visitorSays = (appid: string, text: string) => server!.visitorSays(appid, text);
    const agentPost = (path: string, key: string, body: unknown = {}) => api(base, path, { headers: { ...agentHeaders(key), 'content-type': 'application/json' }, body });
    const rate = (token: string, id: string, body: unknown) =>
      api(base, `/v1/visitor/conversations/${id}/rating`, { headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const agentRow = async (key: string, id: string) => (await api(base, '/v1/agent/conversations?view=resolved', { headers: agentHeaders(key) })).json.conversations.find((c: any) => c.id === id);

    test('a visitor rates its own resolved conversation; the panel and the agents are told live; one rating per resolution', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const watcher = await agentSocket(server!.wsUrl, 'key-a1');
      const a = await visitorSays('app-a', 'can you help?');
      assert.equal(a.ready.status, 'open');
      assert.equal(a.ready.rating, null);
      // Not resolved yet: nothing to rate.
      assert.equal((await rate(a.token, a.id, { rating: 'good' })).status, 409);
      assert.equal((await agentPost(`/v1/agent/conversations/${a.id}/resolve`, 'key-a1')).status, 200);
      const resolvedFrame = await a.socket.waitFor((f) => f.type === 'status' && f.status === 'resolved');
      assert.deepEqual([resolvedFrame.conversationId, resolvedFrame.rating], [a.id, null]);
      // Validation.
      for (const body of [{ rating: 'meh' }, { rating: 'good', comment: 'x'.repeat(LIMITS.ratingComment + 1) }, { rating: 'good', comment: 'a\u0000b' }, { rating: 'bad', comment: 'a\u001bb' }]) {
        const r = await rate(a.token, a.id, body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.json.reason, 'malformed');
      }
      const r = await rate(a.token, a.id, { rating: 'good', comment: '  thanks!  ' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.rating.value, 'good');
      assert.equal(r.json.rating.comment, 'thanks!');
      const ratedFrame = await a.socket.waitFor((f) => f.type === 'status' && f.rating?.value === 'good');
      assert.equal(ratedFrame.rating.comment, 'thanks!');
      const pushed = await watcher.waitFor((f) => f.type === 'conversation' && f.conversation.id === a.id && f.conversation.rating?.value === 'good');
      assert.equal(pushed.conversation.rating.comment, 'thanks!');
      assert.deepEqual((await agentRow('key-a1', a.id)).rating, r.json.rating);
      // Re-rating replaces it (a blank comment is none).
      assert.equal((await rate(a.token, a.id, { rating: 'bad', comment: '   ' })).status, 200);
      assert.deepEqual([(await agentRow('key-a1', a.id)).rating.value, (await agentRow('key-a1', a.id)).rating.comment], ['bad', null]);
      // The visitor's list carries status and rating (the panel's history).
      const mine = (await api(base, '/v1/visitor/conversations', { headers: { authorization: `Bearer ${a.token}` } })).json.conversations;
      assert.equal(mine.find((c: any) => c.id === a.id).status, 'resolved');
      assert.equal(mine.find((c: any) => c.id === a.id).rating.value, 'bad');
      // Writing again reopens it: the rating stays with the agents, but cannot be changed until the next resolve, which clears it.
      a.socket.send({ type: 'send', clientId: 'again', text: 'one more thing' });
      await a.socket.waitFor((f) => f.type === 'status' && f.status === 'open');
      assert.equal((await rate(a.token, a.id, { rating: 'good' })).status, 409);
      await agentPost(`/v1/agent/conversations/${a.id}/resolve`, 'key-a1');
      const second = await a.socket.waitFor((f) => f.type === 'status' && f.status === 'resolved' && f.rating === null && f !== resolvedFrame);
      assert.equal(second.rating, null);
      assert.equal((await agentRow('key-a1', a.id)).rating, null);
      assert.equal((await rate(a.token, a.id, { rating: 'good', comment: 'fixed now' })).status, 200);
      assert.equal((await agentRow('key-a1', a.id)).rating.comment, 'fixed now');
      watcher.close();
      a.socket.close();
    });

    test('scoping: another visitor cannot rate it (404, as if it did not exist); agents of another app never see it', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const a = await visitorSays('app-a', 'rate me');
      const other = await visitorSays('app-a', 'me too');
      const b = await visitorSays('app-b', 'other app');
      await agentPost(`/v1/agent/conversations/${a.id}/resolve`, 'key-a1');
      assert.equal((await rate(other.token, a.id, { rating: 'bad', comment: 'sabotage' })).status, 404);
      assert.equal((await rate(b.token, a.id, { rating: 'bad' })).status, 404);
      assert.equal((await rate(a.token, 'c_nope', { rating: 'good' })).status, 404);
      assert.equal((await rate('not-a-token', a.id, { rating: 'good' })).status, 401);
      assert.equal((await agentRow('key-a1', a.id)).rating, null, 'the refused ratings stored nothing');
      const bWatcher = await agentSocket(server!.wsUrl, 'key-b1');
      assert.equal((await rate(a.token, a.id, { rating: 'good', comment: 'secret praise' })).status, 200);
      // Ordering sentinel: a change in app B reaches B's agent after A's rating would have.
      await agentPost(`/v1/agent/conversations/${b.id}/resolve`, 'key-b1');
      await bWatcher.waitFor((f) => f.type === 'conversation' && f.conversation.id === b.id && f.conversation.status === 'resolved');
      assert.equal(bWatcher.frames.some((f: any) => JSON.stringify(f).includes('secret praise') || f.conversation?.id === a.id), false);
      const bList = (await api(base, '/v1/agent/conversations?view=resolved', { headers: agentHeaders('key-b1') })).json.conversations;
      assert.equal(bList.some((c: any) => c.id === a.id), false);
      assert.equal((await api(base, `/v1/agent/search?q=secret`, { headers: agentHeaders('key-b1') })).json.results.length, 0);
      // The admin of every app sees it.
      assert.equal((await agentRow(AGENT_KEY, a.id)).rating.comment, 'secret praise');
      bWatcher.close();
      for (const v of [a, other, b]) v.socket.close();
    });
  });
}
