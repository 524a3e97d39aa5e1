/**
 * The one storage interface the server talks to. Two adapters implement it:
 * PGlite (embedded, the default) and node-postgres (DATABASE_URL). Both run
 * the same SQL, so everything above this file is store-agnostic.
 */
import type { Clock } from '../clock.js';

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** Values a prepared statement takes (rendered as SQL literals by the PGlite adapter). */
export type PreparedParam = string | number | null;

/** What a LISTEN subscriber hears besides payloads. */
export interface ListenEvents {
  /** The listening connection is gone; a reconnect is under way. */
  onLost?(): void;
  /** Listening again (after onLost); what was notified in between was not heard. */
  onResume?(): void;
}

export interface PreparedOptions {
  /**
   * The parameter (0-based) whose calls must commit in the order they were made, e.g. the conversation of a
   * message insert. Given, PostgreSQL group-commits calls of different values in parallel batches
   * (db/group-commit.ts `inLanes`); PGlite, one connection, has one batch at a time anyway.
   */
  orderedBy?: number;
}

export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn inside BEGIN/COMMIT; rolls back if it throws. NOTIFYs issued inside fire on commit. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * A statement run very often (the message insert): parsed and planned once
   * per connection instead of on every call. `types` are the SQL types of $1..$n.
   * Each call resolves after the COMMIT that holds it. Both stores commit the
   * calls made in the same event-loop turn, or while the previous batch ran,
   * together in one transaction (group commit, db/group-commit.ts); if that
   * transaction fails, each call is retried alone, so one bad call never fails
   * or duplicates another.
   */
  prepared<T = Record<string, unknown>>(name: string, sql: string, types: readonly string[], options?: PreparedOptions): (params: readonly PreparedParam[]) => Promise<T[]>;
  /**
   * Subscribes to a NOTIFY channel (LISTEN). `events` learn when the
   * connection that listens was lost (NOTIFYs sent from then on are missed)
   * and when listening resumed (every channel LISTENed again): time to catch
   * up from the tables. PGlite listens in-process and never loses it.
   */
  listen(channel: string, onPayload: (payload: string) => void, events?: ListenEvents): Promise<void>;
  close(): Promise<void>;
}

/**
 * `pgliteWorker`: PGlite in a worker thread (pglite-worker-store.ts) instead of on the calling thread.
 * `clock`: the server's timers (clock.ts), which PostgreSQL's LISTEN reconnect waits run on.
 */
export async function openStore(opts: { databaseUrl?: string; dataDir?: string; listenReconnectMs?: { min: number; max: number }; clock?: Clock; pgliteWorker?: boolean }): Promise<Store> {
  if (opts.databaseUrl) {
    const { openPostgresStore } = await import('./pg-store.js');
    const r = opts.listenReconnectMs;
    return openPostgresStore(opts.databaseUrl, { ...(r ? { reconnectMinMs: r.min, reconnectMaxMs: r.max } : {}), ...(opts.clock ? { clock: opts.clock } : {}) });
  }
  if (opts.pgliteWorker) {
    const { openPgliteWorkerStore } = await import('./pglite-worker-store.js');
    return openPgliteWorkerStore(opts.dataDir);
  }
  const { openPgliteStore } = await import('./pglite-store.js');
  return openPgliteStore(opts.dataDir);
}
