// `node scripts/core-breakdown.mjs`: where core.js's bytes are. Builds core.js exactly as rollup does (same
// plugins, minified) with a source map, attributes every output character to the module it came from, and
// prints per module its minified characters and the gzip -9 size of those characters alone (a module's share
// of the 12 KB budget, roughly: gzip across modules is not additive, the total is the real figure).
import { rollup } from 'rollup';
import { gzipSync } from 'node:zlib';
import { TraceMap, originalPositionFor } from '@jridgewell/trace-mapping';
import { hostConfigs } from './rollup/host.mjs';

const core = hostConfigs.find((c) => c.output.file === 'dist/install/core.js');
const bundle = await rollup({ input: core.input, plugins: core.plugins });
const [chunk] = (await bundle.generate({ format: 'iife', sourcemap: true })).output;
const map = new TraceMap(chunk.map);
const chars = new Map();
chunk.code.split('\n').forEach((line, l) => {
  for (let column = 0; column < line.length; column++) {
    const source = (originalPositionFor(map, { line: l + 1, column }).source ?? '(rollup)').replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '');
    chars.set(source, (chars.get(source) ?? '') + line[column]);
  }
});
console.log(`core.js: ${chunk.code.length} chars, ${gzipSync(chunk.code, { level: 9 }).length} B gzip`);
const rows = [...chars].map(([m, s]) => [m, s.length, gzipSync(s, { level: 9 }).length]).sort((a, b) => b[1] - a[1]);
for (const [m, n, g] of rows) console.log(`${String(n).padStart(7)} ${String(g).padStart(6)}  ${m}`);
