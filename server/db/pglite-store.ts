// Embedded PostgreSQL (WASM). One instance per process; its data directory
// must not be opened by two processes at once (see server/data-lock.ts).
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import type { Queryable, Store } from './store.js';

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
