// Bundles the server and its CLI for Node (dist/server/main.js, dist/server/cli.js), and the
// PGlite worker thread's script beside them (dist/server/pglite-worker.js; the store finds it next to itself).
// Dependencies stay external (resolved from node_modules at run time).
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'server/main.ts', cli: 'server/cli.ts', 'pglite-worker': 'server/db/pglite-worker.ts' },
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
