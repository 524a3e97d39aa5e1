// Group commit of prepared calls on a real PostgreSQL (db/pg-store.ts over db/group-commit.ts): the calls of one
// event-loop turn commit together, each answered with its own rows after the COMMIT, a failing one fails alone,
// calls of one `orderedBy` key commit in call order while other keys go in parallel batches, and the NOTIFYs of a
// batch reach a listener in the order the calls were made.
// PostgreSQL comes from DATABASE_URL_TEST, or the URL .ci/install-postgres wrote; without one the tests skip.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from './db/store.js';
import { testDatabase } from '../test/helpers/node/postgres.js';
import { until } from '../test/helpers/wait.js';

const db = testDatabase({ prefix: 'twt_group_commit' });

describe('PostgreSQL store: group-committed prepared calls', () => {
  let store: Store | null = null;
  before(async () => {
    if (!db.available) return;
    store = await openStore({ databaseUrl: db.url });
    await store.query('CREATE TABLE t (id int PRIMARY KEY, name text)');
  });
  after(() => store?.close());

  test('each call answered with its own rows after COMMIT; a failing one fails alone', async (t) => {
    if (!store) return t.skip(db.skipReason);
    const s = store;
    await s.query('INSERT INTO t (id, name) VALUES (1, $1)', ['one']);
    const insert = s.prepared<{ id: number }>('gc_insert', 'INSERT INTO t (id, name) VALUES ($1, $2) RETURNING id', ['int', 'text']);
    const calls = [10, 11, 1, 12].map((id) =>
      insert([id, `n${id}`]).then(
        async (rows) => {
          // Committed before the answer: another connection of the pool already sees the row.
          const seen = await s.query<{ n: number }>('SELECT count(*)::int AS n FROM t WHERE id = $1', [id]);
          return `${rows[0]!.id} seen ${seen[0]!.n}`;
        },
        (err: { code?: string }) => `failed ${err.code}`,
      ),
    );
    assert.deepEqual(await Promise.all(calls), ['10 seen 1', '11 seen 1', 'failed 23505', '12 seen 1']);
    const ids = (await s.query<{ id: number }>('SELECT id FROM t WHERE id >= 10 ORDER BY id')).map((r) => r.id);
    assert.deepEqual(ids, [10, 11, 12]);
  });

  test('orderedBy: the calls of one key commit in the order they were made, other keys in parallel batches', async (t) => {
    if (!store) return t.skip(db.skipReason);
    await store.query('CREATE TABLE seqs (k text, n int, at bigserial)');
    const put = store.prepared<{ n: number }>('gc_ordered', 'INSERT INTO seqs (k, n) VALUES ($1, $2) RETURNING n', ['text', 'int'], { orderedBy: 0 });
    const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
    const calls = [];
    for (let n = 0; n < 25; n++) for (const k of keys) calls.push(put([k, n]));
    assert.equal((await Promise.all(calls)).length, 300);
    for (const k of keys) {
      const ns: number[] = (await store.query<{ n: number }>('SELECT n FROM seqs WHERE k = $1 ORDER BY at', [k])).map((r) => r.n);
      assert.deepEqual(ns, Array.from({ length: 25 }, (_, n) => n), `key ${k} committed in call order`);
    }
  });

  test('the NOTIFYs of a batch are heard in the order the calls were made', async (t) => {
    if (!store) return t.skip(db.skipReason);
    const heard: string[] = [];
    await store.listen('gc_contract', (p) => heard.push(p));
    const notify = store.prepared<{ n: string }>('gc_notify', "SELECT pg_notify('gc_contract', $1) AS n", ['text']);
    const sent = Array.from({ length: 40 }, (_, i) => `m${i}`);
    await Promise.all(sent.map((p) => notify([p])));
    await until(() => heard.length >= sent.length, 'every NOTIFY heard');
    assert.deepEqual(heard, sent);
  });
});
