// `npm start`: build whatever is missing or older than the sources, then run
// the server (dist/server/main.js), which prints its URLs.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith('.test.ts') ? 0 : statSync(p).mtimeMs);
  }
  return t;
}

const stamp = 'dist/.build-stamp';
const sources = Math.max(...['src', 'elements', 'server', 'locales', 'scripts'].map(newest));
const stale = !existsSync(stamp) || !existsSync('dist/server/main.js') || statSync(stamp).mtimeMs < sources;
if (stale) {
  console.log('start: building (dist/ is missing or older than the sources)…');
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) {
    if (!existsSync('dist/server/main.js')) {
      console.error('start: build failed');
      process.exit(r.status ?? 1);
    }
    console.error('start: build failed; starting the previous build');
  }
}

const child = spawn(process.execPath, ['dist/server/main.js'], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
