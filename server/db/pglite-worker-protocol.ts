/**
 * The messages between the PGlite worker (pglite-worker.ts) and its proxy on
 * the main thread (pglite-worker-store.ts). Plain objects, structured-cloned
 * by postMessage: rows keep their Dates and numbers as PGlite gave them.
 * Each side posts arrays of them, one per event-loop turn (Outbox).
 */
import type { PreparedParam } from './store.js';

export type ToWorker =
  | { op: 'query'; id: number; sql: string; params: unknown[] }
  | { op: 'prepared'; id: number; name: string; sql: string; types: readonly string[]; params: readonly PreparedParam[] }
  /** Opens a transaction whose id is `id`; answered once it is open, and again (`ended`) once committed or rolled back. */
  | { op: 'begin'; id: number }
  | { op: 'txquery'; id: number; tx: number; sql: string; params: unknown[] }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'listen'; id: number; channel: string }
  | { op: 'close'; id: number };

export type FromWorker =
  | { ready: true }
  | { notify: string; payload: string }
  /**
   * The answer to request `id`. For `begin`: first whether the transaction
   * opened; then, with `ended`, whether it committed (or rolled back, as asked).
   */
  | { id: number; ok: boolean; rows?: unknown[]; error?: WireError; ended?: true };

/**
 * An error as it crosses the thread boundary. Structured cloning keeps only an
 * Error's message and name, but callers look at PostgreSQL's fields (`code`
 * 23505 and `constraint` tell a lost seq race, see data/messages.ts).
 */
export interface WireError {
  message: string;
  name?: string;
  code?: string;
  constraint?: string;
  detail?: string;
  table?: string;
  severity?: string;
}

const FIELDS = ['code', 'constraint', 'detail', 'table', 'severity'] as const;

export function errorToWire(err: unknown): WireError {
  const e = (err ?? {}) as Record<string, unknown>;
  const out: WireError = { message: typeof e.message === 'string' ? e.message : String(err), ...(typeof e.name === 'string' ? { name: e.name } : {}) };
  for (const f of FIELDS) if (typeof e[f] === 'string') out[f] = e[f] as string;
  return out;
}

export function errorFromWire(w: WireError): Error {
  const err = new Error(w.message);
  if (w.name) err.name = w.name;
  for (const f of FIELDS) if (w[f] !== undefined) (err as unknown as Record<string, unknown>)[f] = w[f];
  return err;
}

/**
 * Messages posted together, once per event-loop turn: one postMessage (and one
 * wake-up of the other thread) for everything this turn produced, in order.
 * It also lets the worker see all the message inserts of a turn at once, so
 * they go into one group commit.
 */
export class Outbox<T> {
  private items: T[] = [];

  constructor(private readonly post: (items: T[]) => void) {}

  push(item: T): void {
    if (this.items.push(item) === 1) setImmediate(() => this.flush());
  }

  flush(): void {
    if (!this.items.length) return;
    const items = this.items;
    this.items = [];
    this.post(items);
  }
}
