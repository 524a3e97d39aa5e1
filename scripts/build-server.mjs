// Bundles the server and its CLI for Node (dist/server/main.js, dist/server/cli.js).
// Dependencies stay external (resolved from node_modules at run time).
import { build } from 'esbuild';

await build({
  entryPoints: { main: 'server/main.ts', cli: 'server/cli.ts' },
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
