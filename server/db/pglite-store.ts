// Embedded PostgreSQL (WASM). One instance per process; its data directory
// must not be opened by two processes at once (see server/data-lock.ts).
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import type { PreparedParam, Queryable, Store } from './store.js';
import { executeStatement, groupCommitted } from './group-commit.js';

export { sqlLiteral } from './group-commit.js';

export async function openPgliteStore(dataDir?: string): Promise<Store> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = dataDir ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  let closed = false;
  return {
    kind: 'pglite',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await db.query<T>(sql, params)).rows;
    },
    transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return db.transaction((tx) =>
        fn({
          async query<R>(sql: string, params: unknown[] = []) {
            return (await tx.query<R>(sql, params)).rows;
          },
        }),
      );
    },
    prepared<T>(name: string, sql: string, types: readonly string[]) {
      return preparedOnPglite<T>(db, name, sql, types);
    },
    async listen(channel, onPayload) {
      await db.listen(channel, onPayload);
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

/**
 * A prepared statement on PGlite with group commit (db/group-commit.ts). PGlite's
 * extended-protocol query() has no named statements, so the statement is
 * PREPAREd in SQL and run as `EXECUTE name(<literals>)`; that skips parsing and
 * planning, which is most of the cost of a small write. A batch is one
 * simple-protocol round trip: every EXECUTE of it in one transaction.
 */
function preparedOnPglite<T>(db: PGlite, name: string, sql: string, types: readonly string[]): (params: readonly PreparedParam[]) => Promise<T[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad prepared statement name ${name}`);
  let prepared: Promise<unknown> | null = null;
  const prepare = () => {
    prepared ??= db.exec(`PREPARE ${name}(${types.join(', ')}) AS ${sql}`).catch((err) => {
      prepared = null;
      throw err;
    });
    return prepared;
  };
  const execute = (params: readonly PreparedParam[]) => executeStatement(name, params);
  return groupCommitted<T>({
    async runBatch(batch) {
      await prepare();
      const results = (await db.transaction((tx) => tx.exec(batch.map(execute).join(';\n')))) as unknown as Array<{ rows: T[] }>;
      return results.map((r) => r.rows);
    },
    async runAlone(params) {
      await prepare();
      return (await db.query<T>(execute(params))).rows;
    },
    runParameterised: async (params) => (await db.query<T>(sql, [...params])).rows,
  });
}
