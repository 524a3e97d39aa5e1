/**
 * Each benchmark step runs in its own process (so a crash or a hang in one
 * does not take the others with it) and writes its rows as JSON to the file
 * named by `--out`. This is the shared entry of such a step.
 */
import { writeFileSync } from 'node:fs';
import type { Row } from './report.js';

export interface StepOptions {
  /** Shorter runs for smoke tests (fewer sockets, shorter load windows). */
  quick: boolean;
  /** Where the server child writes its .cpuprofile (it runs under `node --cpu-prof`); null: not profiled. */
  cpuProfDir: string | null;
  /** Offered messages/s each way in the server step; null: the step's default. */
  rate: number | null;
  /** Server step: the server on this PostgreSQL (a fresh database per run) instead of PGlite; null: PGlite. */
  postgres: string | null;
  /** Server step: server processes (2 needs postgres: visitors on the first, the agent on the second). */
  processes: number;
  /** Server step: idle visitor sockets held during the message phases; null: the goal, bounded by the open-file limit. */
  sockets: number | null;
  /**
   * Host step: every HTTP request of the visit waits this many ms before it goes out (a round trip of a real
   * network, loopback has none); 0: none. Playwright's routing that holds them turns the HTTP cache off, so the
   * panel fetches the pages' shared script again: the launcher's times compare, later ones and bytes do not.
   */
  latency: number;
}

export function stepMain(name: string, run: (opts: StepOptions) => Promise<Row[]>): void {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args[outAt + 1] : undefined;
  const valueOf = (f: string) => (args.includes(f) ? args[args.indexOf(f) + 1] : undefined);
  const opts: StepOptions = { quick: args.includes('--quick'), cpuProfDir: valueOf('--cpu-prof-dir') ?? null, rate: valueOf('--rate') ? Number(valueOf('--rate')) : null,
    postgres: valueOf('--postgres') ?? null,
    processes: Number(valueOf('--processes') ?? 1),
    sockets: valueOf('--sockets') ? Number(valueOf('--sockets')) : null,
    latency: Number(valueOf('--latency') ?? 0),
  };
  run(opts)
    .then((rows) => {
      if (out) writeFileSync(out, JSON.stringify(rows, null, 2));
      else console.log(JSON.stringify(rows, null, 2));
      process.exit(0);
    })
    .catch((err) => {
      console.error(`bench ${name}: failed:`, err);
      process.exit(1);
    });
}

/** Logs progress to stderr (stdout is left for results). */
export function log(step: string, msg: string): void {
  process.stderr.write(`[bench ${step}] ${msg}\n`);
}
