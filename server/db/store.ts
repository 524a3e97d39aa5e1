/**
 * The one storage interface the server talks to. Two adapters implement it:
 * PGlite (embedded, the default) and node-postgres (DATABASE_URL). Both run
 * the same SQL, so everything above this file is store-agnostic.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Store extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn inside BEGIN/COMMIT; rolls back if it throws. NOTIFYs issued inside fire on commit. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Subscribes to a NOTIFY channel (LISTEN). */
  listen(channel: string, onPayload: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(opts: { databaseUrl?: string; dataDir?: string }): Promise<Store> {
  if (opts.databaseUrl) {
    const { openPostgresStore } = await import('./pg-store.js');
    return openPostgresStore(opts.databaseUrl);
  }
  const { openPgliteStore } = await import('./pglite-store.js');
  return openPgliteStore(opts.dataDir);
}
