// Embedded PostgreSQL (WASM). One instance per process; its data directory
// must not be opened by two processes at once (see server/data-lock.ts).
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import type { PreparedParam, Queryable, Store } from './store.js';

/** Calls of one prepared statement committed together, at most. */
const GROUP_COMMIT_MAX = 100;

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
      return groupCommitted<T>(db, name, sql, types);
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

interface Pending<T> {
  params: readonly PreparedParam[];
  resolve(rows: T[]): void;
  reject(err: unknown): void;
}

/**
 * A prepared statement on PGlite with group commit. PGlite's extended-protocol
 * query() has no named statements, so the statement is PREPAREd in SQL and
 * run as `EXECUTE name(<literals>)`; that skips parsing and planning, which
 * is most of the cost of a small write. Calls made in the same event-loop turn,
 * or while a batch runs, go in one batch: one transaction, one
 * simple-protocol round trip, one commit. Callers resolve only after that COMMIT.
 */
function groupCommitted<T>(db: PGlite, name: string, sql: string, types: readonly string[]): (params: readonly PreparedParam[]) => Promise<T[]> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad prepared statement name ${name}`);
  let prepared: Promise<unknown> | null = null;
  const queue: Pending<T>[] = [];
  let draining = false;
  let scheduled = false;

  const prepare = () => {
    prepared ??= db.exec(`PREPARE ${name}(${types.join(', ')}) AS ${sql}`).catch((err) => {
      prepared = null;
      throw err;
    });
    return prepared;
  };
  const execute = (params: readonly PreparedParam[]) => `EXECUTE ${name}(${params.map(sqlLiteral).join(', ')})`;
  const runAlone = async (p: Pending<T>) => {
    try {
      p.resolve((await db.query<T>(execute(p.params))).rows);
    } catch (err) {
      p.reject(err);
    }
  };

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length) {
        const batch = queue.splice(0, GROUP_COMMIT_MAX);
        try {
          await prepare();
        } catch (err) {
          for (const p of batch) p.reject(err);
          continue;
        }
        if (batch.length === 1) {
          await runAlone(batch[0]!);
          continue;
        }
        let results: Array<{ rows: T[] }>;
        try {
          results = (await db.transaction((tx) => tx.exec(batch.map((p) => execute(p.params)).join(';\n')))) as unknown as Array<{ rows: T[] }>;
        } catch {
          // Rolled back as a whole: run each call alone, so only a failing one fails.
          for (const p of batch) await runAlone(p);
          continue;
        }
        // Committed: now (and only now) every caller learns its rows.
        batch.forEach((p, i) => p.resolve(results[i]?.rows ?? []));
      }
    } finally {
      draining = false;
    }
  }

  return (params) => {
    // A NUL cannot be written as a literal (it would end the query text): such a
    // call takes the ordinary parameterised path, and fails there as it always did.
    if (params.some((v) => typeof v === 'string' && v.includes('\0'))) return db.query<T>(sql, [...params]).then((r) => r.rows);
    return new Promise<T[]>((resolve, reject) => {
      queue.push({ params, resolve, reject });
      // PGlite runs a statement synchronously inside the microtask that calls it, so
      // without a pause every call would find it idle and commit alone. Waiting for
      // setImmediate lets the rest of this event-loop turn (the other frames and
      // requests read in the same poll) join the same transaction; when idle that
      // costs well under a millisecond.
      if (!draining && !scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          if (!draining) void drain();
        });
      }
    });
  };
}

/** A value as an SQL literal, escaped like node-postgres' escapeLiteral (E'' when it holds a backslash). */
export function sqlLiteral(v: PreparedParam): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError('SQL literal: not a finite number');
    return String(v);
  }
  let backslash = false;
  let out = "'";
  for (const ch of v) {
    if (ch === "'") out += "''";
    else if (ch === '\\') {
      out += '\\\\';
      backslash = true;
    } else out += ch;
  }
  out += "'";
  return backslash ? ' E' + out : out;
}
