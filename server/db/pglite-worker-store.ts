/**
 * The PGlite store run in a worker thread (TWT_PGLITE_WORKER=1): the same
 * Store interface, every call posted to the worker (pglite-worker.ts) that
 * owns the database, so the WASM Postgres runs on its own thread instead of
 * between the server's socket and HTTP work. Group commit, prepared
 * statements and LISTEN/NOTIFY are the in-process store's, running in the
 * worker; NOTIFYs come back on the same channel as the answers, in order.
 */
import { Worker } from 'node:worker_threads';
import type { ListenEvents, PreparedParam, Queryable, Store } from './store.js';
import { errorFromWire, Outbox, type FromWorker, type ToWorker } from './pglite-worker-protocol.js';

/**
 * Starts the worker's script: next to this module, both from source (tsx:
 * server/db/*.ts) and in the bundle (dist/server/pglite-worker.js beside
 * main.js and cli.js, see scripts/build-server.mjs). From source, the worker
 * registers tsx itself first: a worker thread does not inherit the main
 * thread's module hooks (`--import tsx`).
 */
function startWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData });
  const script = new URL('./pglite-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(script)}); });`, { eval: true, workerData });
}

interface Waiting {
  resolve(rows: unknown[]): void;
  reject(err: Error): void;
}

export async function openPgliteWorkerStore(dataDir?: string): Promise<Store> {
  const worker = startWorker({ dataDir });
  const waiting = new Map<number, Waiting>();
  /** Transactions whose end (commit or rollback) is awaited, by id. */
  const ending = new Map<number, Waiting>();
  const handlers = new Map<string, Array<(payload: string) => void>>();
  let nextId = 1;
  let failure: Error | null = null;
  let closed = false;

  const failAll = (err: Error) => {
    failure ??= err;
    for (const w of [...waiting.values(), ...ending.values()]) w.reject(err);
    waiting.clear();
    ending.clear();
  };
  const outbox = new Outbox<ToWorker>((items) => worker.postMessage(items));
  const ready = new Promise<void>((resolve, reject) => {
    const received = (m: FromWorker) => {
      if ('ready' in m) return resolve();
      if ('notify' in m) {
        for (const h of handlers.get(m.notify) ?? []) h(m.payload);
        return;
      }
      const w = m.ended ? ending.get(m.id) : waiting.get(m.id);
      if (!w) return;
      if (m.ended) ending.delete(m.id);
      else waiting.delete(m.id);
      if (m.ok) w.resolve(m.rows ?? []);
      else w.reject(errorFromWire(m.error ?? { message: 'store worker: failed' }));
    };
    worker.on('message', (batch: FromWorker[]) => {
      for (const m of batch) received(m);
    });
    worker.on('error', (err) => {
      reject(err);
      failAll(err);
    });
    worker.on('exit', (code) => {
      const err = new Error(`store worker exited (code ${code})`);
      reject(err);
      failAll(err);
    });
  });
  await ready;

  const request = <T>(m: ToWorker, into = waiting): Promise<T[]> => {
    if (failure) return Promise.reject(failure);
    return new Promise<T[]>((resolve, reject) => {
      into.set((m as { id: number }).id, { resolve: resolve as (rows: unknown[]) => void, reject });
      outbox.push(m);
    });
  };

  return {
    kind: 'pglite',
    query<T>(sql: string, params: unknown[] = []) {
      return request<T>({ op: 'query', id: nextId++, sql, params });
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const tx = nextId++;
      const ended = new Promise<unknown[]>((resolve, reject) => ending.set(tx, { resolve, reject }));
      ended.catch(() => {}); // awaited below; a failed open rejects it too
      try {
        await request({ op: 'begin', id: tx });
      } catch (err) {
        ending.delete(tx);
        throw err;
      }
      let result: T;
      try {
        result = await fn({ query: <R>(sql: string, params: unknown[] = []) => request<R>({ op: 'txquery', id: nextId++, tx, sql, params }) });
      } catch (err) {
        outbox.push({ op: 'end', tx, commit: false });
        await ended.catch(() => {});
        throw err;
      }
      outbox.push({ op: 'end', tx, commit: true });
      await ended;
      return result;
    },
    prepared<T>(name: string, sql: string, types: readonly string[]) {
      return (params: readonly PreparedParam[]) => request<T>({ op: 'prepared', id: nextId++, name, sql, types, params });
    },
    async listen(channel: string, onPayload: (payload: string) => void, _events?: ListenEvents) {
      // Like the in-process store, the worker never loses its LISTEN: onLost/onResume never fire.
      const list = handlers.get(channel);
      if (list) return void list.push(onPayload);
      handlers.set(channel, [onPayload]);
      await request({ op: 'listen', id: nextId++, channel });
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (!failure) await request({ op: 'close', id: nextId++ });
      } finally {
        await worker.terminate();
      }
    },
  };
}
