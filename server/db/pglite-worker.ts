/**
 * The worker thread that owns the PGlite database when the store runs off the
 * main thread (TWT_PGLITE_WORKER=1, see pglite-worker-store.ts). PGlite runs
 * every statement synchronously in WASM; here that time no longer delays the
 * server's sockets and HTTP requests. It hosts the ordinary PGlite store
 * (pglite-store.ts, group commit included) and answers the requests that the
 * main thread's proxy posts on `parentPort`, in the protocol of
 * pglite-worker-protocol.ts. NOTIFY payloads are posted as they fire, on the
 * same port as the answers, so the main thread hears a NOTIFY before the
 * answer of the statement that committed it (as it does in-process).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openPgliteStore } from './pglite-store.js';
import type { PreparedParam, Queryable, Store } from './store.js';
import { errorToWire, Outbox, type FromWorker, type ToWorker } from './pglite-worker-protocol.js';

const port = parentPort!;
const outbox = new Outbox<FromWorker>((items) => port.postMessage(items));
const post = (m: FromWorker) => outbox.push(m);
const store: Store = await openPgliteStore((workerData as { dataDir?: string }).dataDir);
const statements = new Map<string, (params: readonly PreparedParam[]) => Promise<unknown[]>>();
/** Open transactions by id: the handle their queries go through, and how to end them. */
const transactions = new Map<number, { tx: Queryable; end(commit: boolean): void }>();
/** Thrown inside an open transaction to roll it back when the main thread's fn failed. */
const ROLLBACK = Symbol('rollback');

function answer(id: number, work: Promise<unknown[]>): void {
  work.then(
    (rows) => post({ id, ok: true, rows }),
    (err) => post({ id, ok: false, error: errorToWire(err) }),
  );
}

port.on('message', (batch: ToWorker[]) => {
  for (const m of batch) handle(m);
});

function handle(m: ToWorker): void {
  switch (m.op) {
    case 'query':
      return answer(m.id, store.query(m.sql, m.params));
    case 'prepared':
      return answer(
        m.id,
        (async () => {
          let run = statements.get(m.name);
          if (!run) statements.set(m.name, (run = store.prepared(m.name, m.sql, m.types)));
          return run(m.params);
        })(),
      );
    case 'begin': {
      // Open: answered once inside (the main thread's fn then sends its queries); ends on `end`.
      let opened = false;
      const done = store.transaction(
        (tx) =>
          new Promise<void>((resolve, reject) => {
            transactions.set(m.id, { tx, end: (commit) => (commit ? resolve() : reject(ROLLBACK)) });
            opened = true;
            post({ id: m.id, ok: true, rows: [] });
          }),
      );
      done.then(
        () => post({ id: m.id, ok: true, rows: [], ended: true }),
        (err) => {
          transactions.delete(m.id);
          if (!opened) post({ id: m.id, ok: false, error: errorToWire(err) });
          else if (err === ROLLBACK) post({ id: m.id, ok: true, rows: [], ended: true });
          else post({ id: m.id, ok: false, error: errorToWire(err), ended: true });
        },
      );
      return;
    }
    case 'txquery': {
      const t = transactions.get(m.tx);
      if (!t) return post({ id: m.id, ok: false, error: { message: 'transaction is not open' } });
      return answer(m.id, t.tx.query(m.sql, m.params));
    }
    case 'end': {
      const t = transactions.get(m.tx);
      transactions.delete(m.tx);
      t?.end(m.commit);
      return;
    }
    case 'listen':
      return answer(
        m.id,
        store.listen(m.channel, (payload) => post({ notify: m.channel, payload })).then(() => []),
      );
    case 'close':
      return answer(
        m.id,
        store.close().then(() => []),
      );
  }
}
post({ ready: true });
