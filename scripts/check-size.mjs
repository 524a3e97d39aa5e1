// Byte budgets, checked at every build (CI fails past them). Sizes are gzip -9
// of the built files; a surface counts its page plus every script it loads
// before the visitor interacts (its static import graph). The files before
// interaction are also reported as the server sends them to Chromium: brotli,
// the build's .br sidecars (scripts/precompress.mjs; Chromium asks for br on
// HTTPS and loopback, gzip elsewhere).
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { servedSize } from './precompress.mjs';

const KB = 1024;
export const budgets = [
  // core.js: 10 KB until the hosts became lit elements. The 2 KB over pay for lit's ReactiveElement (about 2.2 KB
  // gzip, its style helpers left out) and the launcher hover relay (about 0.3 KB); mangling our private members,
  // shorter console messages and one `all: initial` reset pay for the live config and the active-widget tracking.
  // The page tracker and the early launcher are paid by cutting lit's parts no core.js element reaches (about
  // 0.4 KB: scripts/rollup/host.mjs LIT_CUTS); the `sound` option by cutting lit's wrapped-accessor and useDefault
  // paths (about 0.15 KB). `node scripts/core-breakdown.mjs` shows where the bytes are.
  { name: 'core.js (host SDK, lit ReactiveElement)', files: () => ['dist/install/core.js'], max: 12 * KB },
  { name: 'launcher surface (page + scripts)', files: () => surfaceFiles('launcher'), max: 15 * KB },
  { name: 'panel surface at boot (page + scripts)', files: () => surfaceFiles('panel'), max: 45 * KB },
  { name: 'panel after first maximize (boot + lazy chat UI)', files: () => surfaceFiles('panel', { lazy: true }), max: 60 * KB },
];

/**
 * Requests before the visitor interacts (issue 13: ≤ 8, core.js included), counted from the build: core.js,
 * then each surface that boots with the widget (the launcher, then the panel: its page and every script its
 * boot graph loads; the panel's copy of the pages' shared script is an HTTP cache hit, but a request), and
 * the API calls of a boot (POST /v1/bootstrap by core.js, POST /v1/visitor/session by the panel).
 */
export const BOOT_API_CALLS = ['POST /v1/bootstrap', 'POST /v1/visitor/session'];
export const requestBudget = { name: 'requests before interaction (core.js, launcher, panel, API)', max: 8 };
/** The encoding our server picks for Chromium on HTTPS or loopback (server/http/static-files.ts chooseEncoding). */
export const SERVED_TO_CHROMIUM = 'br';
export function bootRequests() {
  const files = ['dist/install/core.js', ...surfaceFiles('launcher'), ...surfaceFiles('panel')];
  const unique = [...new Set(files)].filter(existsSync);
  return {
    files,
    count: files.length + BOOT_API_CALLS.length,
    gzip: unique.reduce((n, f) => n + gz(f), 0),
    /** The bodies as served to Chromium (each file once: the panel's copy of the shared script is a cache hit). */
    served: unique.reduce((n, f) => n + servedSize(f, SERVED_TO_CHROMIUM), 0),
  };
}

export const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/**
 * The page of a surface and the scripts it loads: static imports always, dynamic ones with `lazy`. The pages
 * share one entry script (src/runtime/surface-entry.ts), which imports the boot of the panel or the card
 * (`<surface>-entry-<hash>.js`) at once: that one counts at boot.
 */
export function surfaceFiles(surface, { lazy = false } = {}) {
  const page = `dist/widget/${surface}.html`;
  if (!existsSync(page)) return [];
  const seen = new Set([page]);
  const queue = [...readFileSync(page, 'utf8').matchAll(/<script[^>]*\bsrc="\.?\/?([^"]+)"/g)].map((m) => join('dist/widget', m[1]));
  while (queue.length) {
    const f = queue.shift();
    if (seen.has(f) || !existsSync(f)) continue;
    seen.add(f);
    const code = readFileSync(f, 'utf8');
    const specifiers = [...code.matchAll(/(?:import|from)\s*["']\.\/([^"']+)["']/g)].map((m) => m[1]);
    const dynamic = [...code.matchAll(/import\(\s*["']\.\/([^"']+)["']\s*\)/g)].map((m) => m[1]);
    specifiers.push(...dynamic.filter((d) => lazy || d.startsWith(`${surface}-entry-`)));
    for (const s of specifiers) queue.push(join(dirname(f), s));
  }
  return [...seen];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let over = 0;
  for (const b of budgets) {
    const files = b.files();
    if (!files.length || !files.every(existsSync)) {
      console.log(`size: ${b.name}: not built, skipped`);
      continue;
    }
    const size = files.reduce((n, f) => n + gz(f), 0);
    const ok = size <= b.max;
    if (!ok) over++;
    console.log(`size: ${ok ? 'ok  ' : 'OVER'} ${b.name}: ${(size / KB).toFixed(2)} KB gzip (budget ${(b.max / KB).toFixed(b.max % KB ? 1 : 0)} KB, ${files.length} files)`);
  }
  const boot = bootRequests();
  if (boot.files.every(existsSync)) {
    const ok = boot.count <= requestBudget.max;
    if (!ok) over++;
    console.log(`size: ${ok ? 'ok  ' : 'OVER'} ${requestBudget.name}: ${boot.count} (budget ${requestBudget.max}); their files ${(boot.gzip / KB).toFixed(2)} KB gzip, each counted once`);
    console.log(
      `size: info before interaction as served to Chromium (${SERVED_TO_CHROMIUM}): ${(boot.served / KB).toFixed(2)} KB of files (${boot.served} B; issue 13's 24 KB is over the wire: these plus response headers and the two API answers, measured by the bench's host step)`,
    );
  }
  if (over) {
    console.error(`size: ${over} budget(s) exceeded`);
    process.exit(1);
  }
}
