// `npm run build`: every artefact the product ships, in dependency order.
//   1. rollup: dist/install/core.js (IIFE), dist/esm (ESM for bundlers),
//      dist/widget (runtime surfaces), dist/console (agent console)
//   2. tsc: type declarations in dist/types
//   3. custom-elements.json from the elements' JSDoc
//   4. esbuild: the server and its CLI in dist/server
//   5. precompress: .br (q11) and .gz (-9) next to every served dist file
//   6. size budgets (fails the build past them)
//   7. typecheck of every side's project, tests included (tsc -b): an import
//      across sides (host -> runtime, server <-> runtime, shared -> DOM) fails here
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['rollup', ['rollup', '-c', '--silent']],
  ['types', ['tsc', '-p', 'tsconfig.types.json']],
  ['manifest', ['custom-elements-manifest', 'analyze', '--litelement', '--globs', 'elements/twt-*.ts', '--exclude', 'elements/*.test.ts', 'elements/*.styles.ts']],
  ['server', ['node', 'scripts/build-server.mjs']],
  ['precompress', ['node', 'scripts/precompress.mjs']],
  ['budgets', ['node', 'scripts/check-size.mjs']],
  ['typecheck', ['tsc', '-b', 'tsconfig.json']],
];

for (const [name, [cmd, ...args]] of steps) {
  if (name === 'types' && !existsSync('tsconfig.types.json')) continue;
  if (name === 'server' && !existsSync('scripts/build-server.mjs')) continue;
  if (name === 'budgets' && !existsSync('scripts/check-size.mjs')) continue;
  const started = Date.now();
  const bin = cmd === 'node' ? process.execPath : `node_modules/.bin/${cmd}`;
  const r = spawnSync(bin, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build: step "${name}" failed`);
    process.exit(r.status ?? 1);
  }
  console.log(`build: ${name} ok (${Date.now() - started} ms)`);
}

// Lets `npm test` tell whether dist/ is older than the sources.
import { writeFileSync, mkdirSync } from 'node:fs';
mkdirSync('dist', { recursive: true });
writeFileSync('dist/.build-stamp', new Date().toISOString());
