// `npm test`: every suite, then one closing line `N passed, N failed`.
//   node:    node's test runner (through tsx) on server/**/*.test.ts and test/node/**/*.test.ts
//   browser: web-test-runner in Debian's Chromium on the *.test.ts files it is configured for
// Builds first when dist/ is missing or older than the sources (the browser
// tests load the built runtime surfaces from the real server).
// `--only node|browser` runs one suite; any further arguments go to that suite.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args[0] === '--only' ? args[1] : null;
const extra = only ? args.slice(2) : args;

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function newest(dirs) {
  let t = 0;
  for (const d of dirs) for (const f of walk(d)) if (!f.endsWith('.test.ts')) t = Math.max(t, statSync(f).mtimeMs);
  return t;
}

function run(cmd, argv, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const tee = (stream, sink) => stream.on('data', (d) => { out += d; sink.write(d); });
    tee(child.stdout, process.stdout);
    tee(child.stderr, process.stderr);
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const stamp = 'dist/.build-stamp';
const sourcesTime = newest(['src', 'elements', 'server', 'locales', 'demo', 'scripts']);
if (!existsSync(stamp) || statSync(stamp).mtimeMs < sourcesTime) {
  console.log('test: building first (dist/ is missing or older than the sources)');
  const b = await run(process.execPath, ['scripts/build.mjs']);
  if (b.code !== 0) {
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

let passed = 0;
let failed = 0;
let anyFailure = false;

if (!only || only === 'node') {
  const files = [...walk('server'), ...walk('test/node'), ...walk('bench')].filter((f) => f.endsWith('.test.ts')).sort();
  if (files.length) {
    const r = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...extra, ...files]);
    const pass = [...r.out.matchAll(/^ℹ pass (\d+)$/gm)].pop();
    const fail = [...r.out.matchAll(/^ℹ fail (\d+)$/gm)].pop();
    passed += pass ? Number(pass[1]) : 0;
    failed += fail ? Number(fail[1]) : 0;
    if (r.code !== 0) anyFailure = true;
    if (r.code !== 0 && !(fail && Number(fail[1]) > 0)) failed += 1; // the runner itself failed
  }
}

if (!only || only === 'browser') {
  const r = await run(process.execPath, ['node_modules/@web/test-runner/dist/bin.js', '--config', 'web-test-runner.config.mjs', '--static-logging', ...extra], { FORCE_COLOR: '0', NO_COLOR: '1' });
  // wtr colours its summary whatever FORCE_COLOR says: strip ANSI codes first.
  const plain = r.out.replace(/\x1b\[[0-9;]*m/g, '');
  const m = [...plain.matchAll(/(\d+) passed, (\d+) failed/g)].pop();
  passed += m ? Number(m[1]) : 0;
  failed += m ? Number(m[2]) : 0;
  if (r.code !== 0) anyFailure = true;
  if (r.code !== 0 && !(m && Number(m[2]) > 0)) failed += 1;
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(anyFailure || failed > 0 ? 1 : 0);
