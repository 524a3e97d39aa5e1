#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. `npm run bench --
 * --only server --cpu-prof`): the top frames by self time and by total time,
 * grouped by function + script (+ line), as a share of all sampled time.
 * Usage: node bench/cpu-profile-top.mjs <file.cpuprofile> [--top N] [--last S]
 * (--last S: only the last S seconds of the profile, e.g. the message phases at the end of a bench run)
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 25;
const lastAt = args.indexOf('--last');
const lastUs = lastAt >= 0 ? Number(args[lastAt + 1]) * 1e6 : Infinity;
if (!file) {
  console.error('usage: node bench/cpu-profile-top.mjs <file.cpuprofile> [--top N]');
  process.exit(2);
}
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const short = (url) => (url ? url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, 'nm/').replace(/^.*\/(server|src|bench|dist)\//, '$1/') : '');
const keyOf = (n) => {
  const f = n.callFrame;
  return `${f.functionName || '(anonymous)'}  ${short(f.url)}${f.url ? `:${f.lineNumber + 1}` : ''}`;
};

// Self time: each sample's time goes to the node it landed in. Total time: to every distinct frame on its stack.
const self = new Map();
const total = new Map();
let all = 0;
const deltas = prof.timeDeltas ?? [];
const at = [];
deltas.reduce((t, d, i) => (at[i] = t + d), prof.startTime);
prof.samples.forEach((id, i) => {
  if (prof.endTime - at[i] > lastUs) return;
  const dt = deltas[i + 1] ?? deltas[i] ?? 0; // a sample's time is the gap until the next one
  all += dt;
  let n = byId.get(id);
  self.set(keyOf(n), (self.get(keyOf(n)) ?? 0) + dt);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = keyOf(byId.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + dt);
  }
});

const pct = (x) => ((100 * x) / all).toFixed(1).padStart(5);
const print = (title, m) => {
  console.log(`\n${title} (of ${(all / 1e6).toFixed(1)} s sampled)`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)} %  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
print(`top ${top} by self time`, self);
print(`top ${top} by total time`, total);
