/**
 * Each side of the code is its own TypeScript project (tsconfig.<side>.json):
 * the host page, the iframe runtime, the agent console and the server may
 * import src/shared only, and src/shared has neither DOM nor Node types. This
 * test makes the mistake on purpose: it drops a probe file with one wrong
 * import into a side's folder and expects that side's typecheck (the one
 * `npm run build` runs) to name the probe's import as the error.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

const MISTAKES = [
  { what: 'the host imports the runtime', dir: 'src/host', project: 'host', code: "import '../runtime/format.js';", error: 'TS6307' },
  { what: 'an element imports the runtime', dir: 'elements', project: 'host', code: "import '../src/runtime/outbox.js';", error: 'TS6307' },
  { what: 'the runtime imports the host', dir: 'src/runtime', project: 'runtime', code: "import '../host/config.js';", error: 'TS6307' },
  { what: 'the runtime imports the server', dir: 'src/runtime', project: 'runtime', code: "import '../../server/limits.js';", error: 'TS6307' },
  { what: 'the server imports the runtime', dir: 'server', project: 'server', code: "import '../src/runtime/outbox.js';", error: 'TS6307' },
  { what: 'the console imports the server', dir: 'src/console', project: 'console', code: "import '../../server/limits.js';", error: 'TS6307' },
  { what: 'shared code uses the DOM', dir: 'src/shared', project: 'shared', code: 'export const title = document.title;', error: 'TS2584' },
  { what: 'shared code uses Node', dir: 'src/shared', project: 'shared', code: "export { readFileSync } from 'node:fs';", error: 'TS2307' },
];

describe('layers: a wrong import fails the typecheck', () => {
  for (const m of MISTAKES) {
    it(`when ${m.what}`, { timeout: 60_000 }, () => {
      const name = `zz-layer-probe-${process.pid}.ts`;
      const probe = join(ROOT, m.dir, name);
      writeFileSync(probe, `// Deliberately wrong (test/node/layers.test.ts); removed after the check.\n${m.code}\n`);
      try {
        const r = spawnSync(process.execPath, [TSC, '-p', `tsconfig.${m.project}.json`, '--noEmit', '--pretty', 'false'], { cwd: ROOT, encoding: 'utf8' });
        const out = `${r.stdout}${r.stderr}`;
        assert.notEqual(r.status, 0, `tsconfig.${m.project}.json accepted: ${m.code}`);
        const line = out.split('\n').find((l) => l.includes(name));
        assert.ok(line, `the error does not name the probe:\n${out}`);
        assert.ok(line.includes(`error ${m.error}`), `expected ${m.error} at the probe, got:\n${line}`);
      } finally {
        rmSync(probe, { force: true });
      }
    });
  }
});
