// A real PostgreSQL through node-postgres: a pool for queries and one
// dedicated client for LISTEN (a pooled client cannot hold a LISTEN).
//
// The LISTEN client can lose its connection (PostgreSQL restart, failover, a
// network blip, an idle-connection killer, pg_terminate_backend). It is then
// replaced: reconnected with a jittered backoff (RECONNECT_MIN_MS doubling to
// RECONNECT_MAX_MS), every channel that has handlers LISTENed again, and the
// subscribers told (`onLost`, then `onResume`) so they can catch up what was
// notified meanwhile (NOTIFYs are not queued for a listener that is gone).
import pg from 'pg';
import type { ListenEvents, PreparedOptions, Queryable, Store } from './store.js';
import { executeStatement, groupCommitted, inLanes } from './group-commit.js';
import { systemClock, type Clock } from '../clock.js';

// int8 (counts, bigserial) as JS numbers, the same as PGlite gives.
pg.types.setTypeParser(20, (v) => Number(v));

/** First reconnect delay of the LISTEN client (before jitter). */
export const RECONNECT_MIN_MS = 100;
/** Cap of the reconnect delay. */
export const RECONNECT_MAX_MS = 5000;

/**
 * Delay before reconnect attempt `attempt` (0-based): the capped exponential
 * step, jittered over its upper half ("equal jitter"), so a fleet that lost
 * PostgreSQL at once does not come back in lockstep.
 */
export function reconnectDelay(attempt: number, random: () => number = Math.random, minMs = RECONNECT_MIN_MS, maxMs = RECONNECT_MAX_MS): number {
  const step = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * Group-commit batches of one statement in flight at once, at most (`Store.prepared`'s `orderedBy`): each
 * holds one of the pool's connections, the rest stay for other queries.
 */
const PARALLEL_BATCHES = 4;
const POOL_SIZE = 10;

let listenerSeq = 0;

export interface PostgresStoreOptions {
  /** Reconnect delays of the LISTEN client (tests shorten them). */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** The clock the reconnect waits run on (the server's, clock.ts): a test steps it to end a deaf spell when it chooses. */
  clock?: Clock;
}

export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const minMs = options.reconnectMinMs ?? RECONNECT_MIN_MS;
  const maxMs = options.reconnectMaxMs ?? RECONNECT_MAX_MS;
  const clock = options.clock ?? systemClock;
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  pool.on('error', (err) => console.error('twt: postgres pool error', err.message));
  await pool.query('SELECT 1');
  // Named, so an operator (or a test) can find it in pg_stat_activity.
  const applicationName = `twt listen pid=${process.pid} #${++listenerSeq}`;
  /** The LISTEN client, once connected and listening; null while there is none. */
  let listener: pg.Client | null = null;
  /** The first connection (made by the first listen()). */
  let first: Promise<void> | null = null;
  const handlers = new Map<string, Array<(payload: string) => void>>();
  const subscribers = new Set<ListenEvents>();
  let closed = false;
  /** Since when (ms) the listener is gone; null while listening. */
  let lostAt: number | null = null;
  let attempt = 0;
  /** Cancels the pending reconnect wait; null when none is pending. */
  let retryTimer: (() => void) | null = null;
  let reconnecting = false;
  /** A client still connecting (ended by close()). */
  let connecting: pg.Client | null = null;

  const tell = (what: 'onLost' | 'onResume') => {
    for (const s of subscribers) {
      try {
        s[what]?.();
      } catch (err) {
        console.error(`twt: listen ${what} failed`, err);
      }
    }
  };

  /** A connected client LISTENing to every channel that has handlers (including ones added meanwhile). */
  async function connectListener(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url, application_name: applicationName, keepAlive: true });
    // Until it is the listener, errors are the connect's or LISTEN's rejection; afterwards they mean it is gone.
    client.on('error', (err) => broken(client, err.message));
    client.on('end', () => broken(client, 'connection ended'));
    client.on('notification', (msg) => {
      if (client !== listener) return;
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    connecting = client;
    try {
      await client.connect();
      const done = new Set<string>();
      for (let more = true; more; ) {
        more = false;
        for (const channel of [...handlers.keys()]) {
          if (done.has(channel)) continue;
          await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
          done.add(channel);
          more = true;
        }
      }
      return client;
    } catch (err) {
      release(client);
      throw err;
    } finally {
      if (connecting === client) connecting = null;
    }
  }

  /** Ends a client that is no longer wanted; its late errors are ignored. */
  function release(client: pg.Client): void {
    client.removeAllListeners('notification');
    client.removeAllListeners('end');
    client.removeAllListeners('error');
    client.on('error', () => {});
    client.end().catch(() => {});
  }

  /** The listener errored or its connection ended: release it and start reconnecting (once per outage). */
  function broken(client: pg.Client, why: string): void {
    if (client !== listener) return;
    listener = null;
    release(client);
    if (closed) return;
    lostAt = clock.now();
    attempt = 0;
    console.error(`twt: postgres LISTEN connection lost (${why}); reconnecting, events from other processes are caught up on recovery`);
    tell('onLost');
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer || reconnecting) return;
    retryTimer = clock.after(reconnectDelay(attempt++, Math.random, minMs, maxMs), () => {
      retryTimer = null;
      void reconnect();
    });
  }

  async function reconnect(): Promise<void> {
    if (closed || listener) return;
    reconnecting = true;
    let client: pg.Client;
    try {
      client = await connectListener();
    } catch {
      reconnecting = false;
      scheduleReconnect(); // logged once when lost; not on every failed attempt
      return;
    }
    reconnecting = false;
    if (closed) {
      release(client);
      return;
    }
    listener = client;
    const downMs = lostAt === null ? 0 : Math.round(clock.now() - lostAt);
    lostAt = null;
    console.error(`twt: postgres LISTEN connection restored after ${downMs} ms (${attempt} attempt${attempt === 1 ? '' : 's'})`);
    attempt = 0;
    tell('onResume');
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
    prepared<T>(name: string, sql: string, types: readonly string[], options: PreparedOptions = {}) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad prepared statement name ${name}`);
      // Group commit (db/group-commit.ts), a batch in ONE round trip: `BEGIN; EXECUTE …; …; COMMIT` as one
      // simple-protocol query on one pooled connection, the statement PREPAREd in SQL once per connection (under
      // its own name: node-postgres' named statements, used by a call alone, share the namespace). One round trip
      // instead of one per call matters on a busy machine, where each is a wake-up of the server process.
      const batchName = `${name}_batch`;
      const preparedOn = new WeakSet<pg.PoolClient>();
      const lane = () => groupCommitted<T>({
        async runBatch(batch) {
          const client = await pool.connect();
          try {
            if (!preparedOn.has(client)) {
              await client.query(`PREPARE ${batchName}(${types.join(', ')}) AS ${sql}`);
              preparedOn.add(client);
            }
            const text = ['BEGIN', ...batch.map((params) => executeStatement(batchName, params)), 'COMMIT'].join(';\n');
            const results = (await client.query(text)) as unknown as pg.QueryResult[];
            return results.slice(1, -1).map((r) => r.rows as T[]);
          } catch (err) {
            await client.query('ROLLBACK').catch(() => {});
            throw err;
          } finally {
            client.release();
          }
        },
        runAlone: async (params) => (await pool.query({ name, text: sql, values: [...params] })).rows as T[],
        runParameterised: async (params) => (await pool.query(sql, [...params])).rows as T[],
      });
      return options.orderedBy === undefined ? lane() : inLanes(PARALLEL_BATCHES, options.orderedBy, lane);
    },
    async listen(channel, onPayload, events) {
      if (closed) throw new Error('store closed');
      const list = handlers.get(channel) ?? [];
      list.push(onPayload);
      handlers.set(channel, list);
      if (events) subscribers.add(events);
      if (!first) {
        // The first connection: a failure here is the caller's (the server does not start).
        first = connectListener().then((client) => {
          if (closed) return release(client);
          listener = client;
        });
        first.catch(() => (first = null));
        return first;
      }
      await first;
      const client = listener;
      if (list.length > 1 || !client) return; // already listening, or the reconnect LISTENs it
      try {
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (err) {
        if (client === listener) throw err;
        // The connection broke meanwhile: the reconnect LISTENs every channel, this one too.
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      retryTimer?.();
      retryTimer = null;
      subscribers.clear();
      if (connecting) release(connecting);
      await first?.catch(() => {});
      const client = listener;
      listener = null;
      if (client) {
        client.removeAllListeners('end');
        client.removeAllListeners('error');
        client.on('error', () => {});
        await client.end().catch(() => {});
      }
      await pool.end();
    },
  };
}
