/**
 * Static byte figures of the built artefacts: core.js gzip and brotli, and
 * each surface's page + scripts at boot and after the first maximize. The
 * file lists and the CI budgets come from scripts/check-size.mjs, so the
 * report and the build judge exactly the same bytes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
// @ts-expect-error: plain ESM script without declarations
import { budgets, surfaceFiles } from '../../scripts/check-size.mjs';
import type { Row } from '../lib/report.js';
import { unavailableRow } from '../lib/report.js';
import { stepMain } from '../lib/step.js';

const KB = 1024;
const gz = (f: string) => gzipSync(readFileSync(f), { level: 9 }).length;
const br = (f: string) =>
  brotliCompressSync(readFileSync(f), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

interface CheckBudget {
  name: string;
  files: () => string[];
  max: number;
}

function ciBudget(nameStart: string): { max: number; label: string } | undefined {
  const b = (budgets as CheckBudget[]).find((x) => x.name.startsWith(nameStart));
  return b ? { max: b.max, label: `≤ ${b.max / KB} KB gzip` } : undefined;
}

export async function bytesRows(): Promise<Row[]> {
  const rows: Row[] = [];
  const core = 'dist/install/core.js';
  const coreBudget = ciBudget('core.js');
  if (existsSync(core)) {
    rows.push({ section: 'bytes', key: 'bytes.core.gzip', label: 'core.js gzip -9', value: gz(core), unit: 'B', budget: coreBudget && { ...coreBudget, kind: 'ci' }, anchor: "Crisp's whole first load ~130 KB" });
    rows.push({ section: 'bytes', key: 'bytes.core.brotli', label: 'core.js brotli q11', value: br(core), unit: 'B' });
    rows.push({ section: 'bytes', key: 'bytes.core.raw', label: 'core.js minified, uncompressed', value: readFileSync(core).length, unit: 'B' });
  } else {
    rows.push(unavailableRow({ section: 'bytes', key: 'bytes.core.gzip', label: 'core.js gzip -9', unit: 'B', budget: coreBudget && { ...coreBudget, kind: 'ci' } }, 'dist/install/core.js not built'));
  }
  const surfaces: Array<[string, string, boolean, string]> = [
    ['launcher', 'launcher surface at boot (page + scripts)', false, 'launcher surface'],
    ['panel', 'panel surface at boot (page + scripts)', false, 'panel surface at boot'],
    ['panel', 'panel after first maximize (boot + lazy)', true, 'panel after first maximize'],
    ['card', 'card surface at boot (page + scripts)', false, '-'],
  ];
  for (const [surface, label, lazy, budgetName] of surfaces) {
    const files: string[] = surfaceFiles(surface, { lazy });
    const b = ciBudget(budgetName);
    const key = `bytes.${surface}${lazy ? '.open' : '.boot'}.gzip`;
    const budget = b && { ...b, kind: 'ci' as const };
    if (!files.length || !files.every((f) => existsSync(f))) {
      rows.push(unavailableRow({ section: 'bytes', key, label: `${label} gzip`, unit: 'B', budget }, `dist/widget/${surface}.html not built`));
      continue;
    }
    const total = files.reduce((n, f) => n + gz(f), 0);
    const totalBr = files.reduce((n, f) => n + br(f), 0);
    rows.push({ section: 'bytes', key, label: `${label} gzip`, value: total, unit: 'B', budget, note: `${files.length} files; brotli ${(totalBr / KB).toFixed(2)} KB` });
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) stepMain('bytes', bytesRows);
