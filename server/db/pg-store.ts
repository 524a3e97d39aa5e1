// A real PostgreSQL through node-postgres: a pool for queries and one
// dedicated client for LISTEN (a pooled client cannot hold a LISTEN).
import pg from 'pg';
import type { PreparedParam, Queryable, Store } from './store.js';

// int8 (counts, bigserial) as JS numbers, the same as PGlite gives.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', (err) => console.error('twt: postgres pool error', err.message));
  await pool.query('SELECT 1');
  let listener: pg.Client | null = null;
  const handlers = new Map<string, Array<(payload: string) => void>>();
  let closed = false;

  async function ensureListener(): Promise<pg.Client> {
    if (listener) return listener;
    const client = new pg.Client({ connectionString: url });
    client.on('error', (err) => console.error('twt: postgres listener error', err.message));
    client.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    await client.connect();
    listener = client;
    return client;
  }

  return {
    kind: 'postgres',
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          async query<R>(sql: string, params: unknown[] = []) {
            return (await client.query(sql, params)).rows as R[];
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    prepared<T>(name: string, sql: string) {
      // node-postgres prepares a named statement once per pooled connection.
      return async (params: readonly PreparedParam[]) => (await pool.query({ name, text: sql, values: [...params] })).rows as T[];
    },
    async listen(channel, onPayload) {
      const client = await ensureListener();
      const list = handlers.get(channel) ?? [];
      list.push(onPayload);
      handlers.set(channel, list);
      if (list.length === 1) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    },
    async close() {
      if (closed) return;
      closed = true;
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}
