// The inbox's lists page by keyset (updated_at, then id), on both stores (PGlite, and PostgreSQL when there is one):
// more than a page of conversations comes back whole, in order, each once, including rows that share an updated_at
// to the microsecond; a row that moves to the top meanwhile is not repeated; bad cursors are refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AGENT_KEY, agentHeaders, api, startTestServer } from '../test/helpers/node/server.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { decodeCursor, encodeCursor } from './data/conversations.js';

const db = testDatabase({ prefix: 'twt_paging' });
/** More than the default page (200). */
const COUNT = 250;

test('cursors: what the server hands out comes back; anything else is no cursor', () => {
  const c = { updatedAt: '2026-11-01T00:00:00.123456Z', id: 'c_x' };
  assert.deepEqual(decodeCursor(encodeCursor(c)), c);
  for (const bad of ['', '!!', 'x'.repeat(201), Buffer.from('2026-11-01T00:00:00.123Z\nc_x').toString('base64url'), Buffer.from('2026-11-01T00:00:00.123456Z\n').toString('base64url'), Buffer.from('2026-11-01T00:00:00.123456Z\nc\0x').toString('base64url'), Buffer.from('a\nb\nc').toString('base64url')]) {
    assert.equal(decodeCursor(bad), null, JSON.stringify(bad));
  }
});

for (const store of ['pglite', 'postgres'] as const) {
  describe(`inbox paging on ${store}`, () => {
    let server: Awaited<ReturnType<typeof startTestServer>> | null = null;
    const skip = () => (store === 'postgres' && !db.available ? db.skipReason : false);

    before(async () => {
      if (skip()) return;
      server = await startTestServer(store === 'postgres' ? { databaseUrl: db.url } : {});
      assert.equal((await api(server.url, '/v1/test/apps', { body: { appid: 'paging', domains: ['localhost'] } })).status, 200);
      const q = (sql: string) => server!.data.store.query(sql);
      // Three conversations per millisecond, and pairs within one microsecond: ties the order must break by id.
      await q(`INSERT INTO visitors (uid, appid, bs, fkid) SELECT 'v_pg' || g, 'paging', 'bs_pg' || g, 'fk_pg' || g FROM generate_series(1, ${COUNT}) g`);
      await q(`INSERT INTO conversations (id, appid, visitor_id, last_seq, updated_at)
               SELECT 'c_pg' || lpad(g::text, 4, '0'), 'paging', v.id, 1,
                      timestamptz '2026-11-01T00:00:00Z' + (g / 3) * interval '1 millisecond' + (g % 3 / 2) * interval '1 microsecond'
                 FROM generate_series(1, ${COUNT}) g JOIN visitors v ON v.uid = 'v_pg' || g`);
      await q(`INSERT INTO messages (id, conversation_id, seq, author, text) SELECT 'm_pg' || g, 'c_pg' || lpad(g::text, 4, '0'), 1, 'visitor', 'hello ' || g FROM generate_series(1, ${COUNT}) g`);
    });
    after(async () => {
      await server?.close();
    });

    const page = (query: string) => api(server!.url, `/v1/agent/conversations?appid=paging&${query}`, { headers: agentHeaders(AGENT_KEY) });

    /** Every page of a view, following `next`. */
    async function all(view: string, limit?: number) {
      const pages: any[] = [];
      let after: string | null = null;
      do {
        const r = await page(`view=${view}${limit ? `&limit=${limit}` : ''}${after ? `&after=${after}` : ''}`);
        assert.equal(r.status, 200, r.text);
        pages.push(r.json);
        after = r.json.next;
      } while (after && pages.length < 100);
      return pages;
    }

    test(`${COUNT} conversations: the default page is 200 with a cursor, the next page the rest; in order, each once`, async (t) => {
      if (skip()) return t.skip(String(skip()));
      const pages = await all('open');
      assert.deepEqual(pages.map((p) => p.conversations.length), [200, COUNT - 200]);
      assert.equal(typeof pages[0].next, 'string');
      assert.equal(pages[1].next, null, 'the last page says so');
      const ids = pages.flatMap((p) => p.conversations.map((c: any) => c.id));
      assert.equal(new Set(ids).size, COUNT, 'none twice, none missing');
      const expected = Array.from({ length: COUNT }, (_, i) => `c_pg${String(i + 1).padStart(4, '0')}`).reverse();
      assert.deepEqual(ids, expected, 'newest first; ties by id');
      // Small pages walk the same list.
      const small = await all('open', 7);
      assert.equal(small.length, Math.ceil(COUNT / 7));
      assert.deepEqual(small.flatMap((p) => p.conversations.map((c: any) => c.id)), expected);
      // Every page carries the view counts.
      assert.ok(pages.every((p) => p.counts.open >= COUNT));
    });

    test('a conversation that changes between pages moves to the top: the next page neither repeats nor loses rows', async (t) => {
      if (skip()) return t.skip(String(skip()));
      const first = await page('view=open&limit=100');
      const moved = first.json.conversations[50].id;
      await server!.data.store.query(`UPDATE conversations SET updated_at = now() WHERE id = $1`, [moved]);
      let rest: string[] = [];
      let after = first.json.next;
      while (after) {
        const r = await page(`view=open&limit=100&after=${after}`);
        rest = rest.concat(r.json.conversations.map((c: any) => c.id));
        after = r.json.next;
      }
      const seen = first.json.conversations.map((c: any) => c.id).concat(rest);
      assert.equal(seen.length, COUNT);
      assert.equal(new Set(seen).size, COUNT);
      assert.equal((await page('view=open&limit=1')).json.conversations[0].id, moved, 'a reload finds it on top');
    });

    test('a cursor that is not one is refused (400 malformed); an empty view has no next page', async (t) => {
      if (skip()) return t.skip(String(skip()));
      for (const bad of ['nope!', 'x', Buffer.from('yesterday\nc_pg0001').toString('base64url')]) {
        const r = await page(`view=open&after=${encodeURIComponent(bad)}`);
        assert.equal(r.status, 400, bad);
        assert.deepEqual([r.json.ok, r.json.reason], [false, 'malformed']);
      }
      const r = await page('view=resolved');
      assert.deepEqual([r.json.conversations.length, r.json.next], [0, null]);
    });
  });
}
