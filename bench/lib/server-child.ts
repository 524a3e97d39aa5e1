/**
 * Runs one real widget server in its own process, so its memory and CPU are
 * measured alone. Started by bench/lib/child.ts (startServerProcess) with an IPC channel:
 * it sends `{type:'ready', url, port}` once listening and answers
 * `{type:'mem'}` with its memory after a full GC, and `{type:'pauses'}` with its main thread's pauses since the
 * last ask (lib/pauses.ts). Exits on `{type:'stop'}`,
 * on parent disconnect, or after `--max-seconds` (a load test must stop by itself).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordPauses } from './pauses.js';

const maxSeconds = Number(process.argv[process.argv.indexOf('--max-seconds') + 1]) || 300;
/** The capacity runs: every simulated visitor comes from loopback, so the per-address limits are lifted; the flood runs keep the defaults. */
const oneAddressManyVisitors = process.argv.includes('--one-address-many-visitors');
/** A PostgreSQL URL: the server runs on it instead of PGlite (the bench's --postgres). */
const databaseUrl = process.argv.includes('--database-url') ? process.argv[process.argv.indexOf('--database-url') + 1] : undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'twt-bench-db-'));
const send = (m: unknown) => process.send?.(m);
const pauses = recordPauses();

async function main(): Promise<void> {
  const { startServer } = (await import('../../server/app.js')) as {
    startServer(o: Record<string, unknown>): Promise<{ url: string; port: number; close(): Promise<void> }>;
  };
  const { ONE_ADDRESS_MANY_VISITORS } = await import('../../server/limits.js');
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, ...(databaseUrl ? { databaseUrl } : {}), seed: true, quiet: true, ...(oneAddressManyVisitors ? { limits: ONE_ADDRESS_MANY_VISITORS } : {}) });
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    const hard = setTimeout(() => process.exit(code), 5000);
    hard.unref();
    try {
      await server.close();
    } catch {
      /* closing is best effort; the data dir goes anyway */
    }
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'mem') {
      (globalThis as { gc?: () => void }).gc?.();
      const u = process.memoryUsage();
      send({ type: 'mem', rss: u.rss, heapUsed: u.heapUsed, external: u.external, arrayBuffers: u.arrayBuffers });
    } else if (m?.type === 'pauses') send({ type: 'pauses', ...pauses.take() });
    else if (m?.type === 'stop') void stop(0);
  });
  process.on('disconnect', () => void stop(0));
  setTimeout(() => void stop(2), maxSeconds * 1000).unref();
  send({ type: 'ready', url: server.url, port: server.port, pid: process.pid });
}

main().catch((err) => {
  send({ type: 'error', message: String(err?.stack ?? err) });
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
});
