/**
 * Group commit of one prepared statement, for both stores: the calls made in
 * the same event-loop turn, or while the previous batch runs, are committed
 * together in ONE transaction, so a burst of message inserts costs one COMMIT
 * (and, on PostgreSQL, one turn of the lock that serialises committing
 * NOTIFYs) instead of one per message. Each caller resolves only after that
 * COMMIT (ack-after-commit holds). If the batch fails it was rolled back as a
 * whole, and every call is retried alone, so one bad call never fails or
 * duplicates another.
 *
 * Calls run in the order they were made (NOTIFYs go out in that order). Two
 * batches from two processes that write the same conversations in opposite
 * orders can deadlock on PostgreSQL: it cancels one after deadlock_timeout
 * (1 s) and that batch's calls are retried alone, so the cost is a rare stall,
 * never a lost or doubled message.
 */
import type { PreparedParam } from './store.js';

/** Calls committed together, at most. */
export const GROUP_COMMIT_MAX = 100;

export interface GroupCommitDriver<T> {
  /** Runs the calls in one transaction and returns each one's rows; throws (rolled back) if any fails. */
  runBatch(batch: ReadonlyArray<readonly PreparedParam[]>): Promise<T[][]>;
  /** Runs one call on its own (its own implicit transaction). */
  runAlone(params: readonly PreparedParam[]): Promise<T[]>;
  /**
   * Runs one call as an ordinary parameterised statement: for a value that
   * cannot be written as a literal (a NUL would end the query text), which
   * fails there as it always did.
   */
  runParameterised(params: readonly PreparedParam[]): Promise<T[]>;
}

interface Pending<T> {
  params: readonly PreparedParam[];
  resolve(rows: T[]): void;
  reject(err: unknown): void;
}

/** The function callers call: queues a call and resolves with its rows after the COMMIT that holds it. */
export function groupCommitted<T>(driver: GroupCommitDriver<T>): (params: readonly PreparedParam[]) => Promise<T[]> {
  const queue: Pending<T>[] = [];
  let draining = false;
  let scheduled = false;

  const runAlone = async (p: Pending<T>) => {
    try {
      p.resolve(await driver.runAlone(p.params));
    } catch (err) {
      p.reject(err);
    }
  };

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.length) {
        const batch = queue.splice(0, GROUP_COMMIT_MAX);
        if (batch.length === 1) {
          await runAlone(batch[0]!);
          continue;
        }
        let results: T[][];
        try {
          results = await driver.runBatch(batch.map((p) => p.params));
        } catch {
          // Rolled back as a whole: run each call alone, so only a failing one fails.
          for (const p of batch) await runAlone(p);
          continue;
        }
        // Committed: now (and only now) every caller learns its rows.
        batch.forEach((p, i) => p.resolve(results[i] ?? []));
      }
    } finally {
      draining = false;
    }
  }

  return (params) => {
    if (params.some((v) => typeof v === 'string' && v.includes('\0'))) return driver.runParameterised(params);
    return new Promise<T[]>((resolve, reject) => {
      queue.push({ params, resolve, reject });
      // Waiting for setImmediate lets the rest of this event-loop turn (the other frames and requests read in
      // the same poll) join the same transaction; when idle that costs well under a millisecond. (PGlite runs a
      // statement synchronously inside the microtask that calls it: without the pause every call would find it
      // idle and commit alone.)
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

/**
 * Several group-commit queues ("lanes") for one statement, a call's lane chosen by the value of its parameter
 * `keyAt` (the conversation of a message insert): calls with the same key stay in one lane, so they commit in
 * the order they were made, and two lanes never race for the same conversation's next seq; calls of other keys
 * commit in parallel batches on other connections. For a server (PostgreSQL) that can run several
 * transactions at once; only the lock NOTIFY takes at commit still serialises them.
 */
export function inLanes<T>(lanes: number, keyAt: number, lane: () => (params: readonly PreparedParam[]) => Promise<T[]>): (params: readonly PreparedParam[]) => Promise<T[]> {
  const queues = Array.from({ length: Math.max(1, lanes) }, lane);
  if (queues.length === 1) return queues[0]!;
  return (params) => queues[hashOf(String(params[keyAt] ?? '')) % queues.length]!(params);
}

/** FNV-1a, 32 bits: a cheap, well-spread hash of a short string. */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** One call of a statement PREPAREd in SQL, its values written as literals: what a batch's query text holds. */
export function executeStatement(name: string, params: readonly PreparedParam[]): string {
  return `EXECUTE ${name}(${params.map(sqlLiteral).join(', ')})`;
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
