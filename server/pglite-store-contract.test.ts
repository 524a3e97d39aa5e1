// The PGlite store's contract, run both ways: in-process (the default) and in a
// worker thread (TWT_PGLITE_WORKER=1, db/pglite-worker-store.ts). What the
// server relies on: rows as PGlite gives them (numbers, Dates), transactions
// that commit or roll back as a whole, group-committed prepared calls that
// resolve after COMMIT and fail alone, PostgreSQL error fields (a lost seq race
// is told by code and constraint), and NOTIFYs heard before the answer of the
// statement that committed them, in commit order.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store } from './db/store.js';

for (const pgliteWorker of [false, true]) {
  describe(`PGlite store ${pgliteWorker ? 'in a worker thread' : 'in-process'}`, () => {
    let store: Store;
    before(async () => {
      store = await openStore({ pgliteWorker });
      await store.query('CREATE TABLE t (id int PRIMARY KEY, name text, at timestamptz DEFAULT now())');
    });
    after(() => store.close());

    test('query: parameters in, typed rows out', async () => {
      await store.query('INSERT INTO t (id, name) VALUES ($1, $2)', [1, 'one']);
      const [row] = await store.query<{ id: number; name: string; at: Date; n: number }>('SELECT id, name, at, count(*) OVER () AS n FROM t WHERE id = $1', [1]);
      assert.equal(row!.id, 1);
      assert.equal(row!.name, 'one');
      assert.ok(row!.at instanceof Date);
      assert.equal(row!.n, 1);
      assert.equal(store.kind, 'pglite');
    });

    test('an error keeps its PostgreSQL fields (code, constraint)', async () => {
      await assert.rejects(store.query('INSERT INTO t (id, name) VALUES (1, $1)', ['again']), (err: { code?: string; constraint?: string; message: string }) => {
        assert.equal(err.code, '23505');
        assert.equal(err.constraint, 't_pkey');
        assert.match(err.message, /duplicate key/);
        return true;
      });
    });

    test('a transaction commits as a whole, and rolls back as a whole when fn throws', async () => {
      const got = await store.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id, name) VALUES (2, $1)', ['two']);
        const rows = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM t');
        return rows[0]!.n;
      });
      assert.equal(got, 2);
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.query('INSERT INTO t (id, name) VALUES (3, $1)', ['three']);
          throw new Error('changed my mind');
        }),
        /changed my mind/,
      );
      await assert.rejects(store.transaction((tx) => tx.query('INSERT INTO t (id, name) VALUES (2, $1)', ['dup'])), { code: '23505' });
      const ids = (await store.query<{ id: number }>('SELECT id FROM t ORDER BY id')).map((r) => r.id);
      assert.deepEqual(ids, [1, 2]);
    });

    test('prepared calls: group-committed, each answered with its own rows, a failing one fails alone', async () => {
      const insert = store.prepared<{ id: number }>('contract_insert', 'INSERT INTO t (id, name) VALUES ($1, $2) RETURNING id', ['int', 'text']);
      const calls = [10, 11, 1, 12].map((id) => insert([id, `n${id}`]).then((rows) => rows[0]!.id, (err: { code?: string }) => `failed ${err.code}`));
      assert.deepEqual(await Promise.all(calls), [10, 11, 'failed 23505', 12]);
      const ids = (await store.query<{ id: number }>('SELECT id FROM t WHERE id >= 10 ORDER BY id')).map((r) => r.id);
      assert.deepEqual(ids, [10, 11, 12]);
    });

    test('NOTIFY: every listener hears it, in commit order, before the committing call is answered', async () => {
      const heard: string[] = [];
      await store.listen('contract', (p) => heard.push(`a:${p}`));
      await store.listen('contract', (p) => heard.push(`b:${p}`));
      const notify = store.prepared<{ n: string }>('contract_notify', "SELECT pg_notify('contract', $1) AS n", ['text']);
      const heardWhenAnswered: boolean[] = [];
      await Promise.all(['1', '2', '3'].map((p) => notify([p]).then(() => heardWhenAnswered.push(heard.includes(`a:${p}`) && heard.includes(`b:${p}`)))));
      assert.deepEqual(heard, ['a:1', 'b:1', 'a:2', 'b:2', 'a:3', 'b:3']);
      assert.deepEqual(heardWhenAnswered, [true, true, true]);
      await store.transaction(async (tx) => {
        await tx.query("SELECT pg_notify('contract', 'in tx')");
        assert.equal(heard.length, 6, 'not before COMMIT');
      });
      assert.deepEqual(heard.slice(6), ['a:in tx', 'b:in tx']);
    });
  });
}
