/**
 * The benchmark's figures and how they are judged. One `Row` per figure; a
 * row may carry a budget (a bound the figure must respect) and an anchor (a
 * public figure of another widget, for context only). Pure functions, so the
 * judging logic is unit-tested apart from any timing.
 */

export type Section = 'bytes' | 'host' | 'host 4x CPU' | 'server';

export interface Budget {
  /** The figure must be <= max (or >= min). */
  max?: number;
  min?: number;
  /** `ci` budgets also fail the build (scripts/check-size.mjs); `report` ones are judged here only. */
  kind: 'ci' | 'report';
  /** Human words for the bound, e.g. "≤ 10 KB gzip". */
  label: string;
}

export interface Row {
  section: Section;
  /** Stable id for comparison across runs, e.g. `bytes.core.gzip`. */
  key: string;
  label: string;
  /** null when the figure could not be taken (see `unavailable`). */
  value: number | null;
  unit: Unit;
  budget?: Budget;
  /** Context from other widgets, e.g. "Crisp 33 ms, Intercom 1,433 ms". */
  anchor?: string;
  note?: string;
  /** Why the figure is missing, e.g. "not available: server/app.ts not built yet". */
  unavailable?: string;
}

/** `times`: a ratio to a reference (ours / the floor); `load`: a load average. */
/** `µs/msg`: CPU time per message. */
export type Unit = 'B' | 'ms' | 'count' | 'msg/s' | 'B/conn' | 'MB' | 'ratio' | '%' | 'req/s' | 'times' | 'load' | 'µs/msg';

export type Verdict = 'met' | 'MISSED' | 'n/a' | '';

/** A row's verdict: '' without a budget, 'n/a' when the figure is missing. */
export function verdict(row: Row): Verdict {
  if (!row.budget) return '';
  if (row.value === null || !Number.isFinite(row.value)) return 'n/a';
  const { max, min } = row.budget;
  if (max !== undefined && row.value > max) return 'MISSED';
  if (min !== undefined && row.value < min) return 'MISSED';
  return 'met';
}

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'B':
      return value >= 1024 ? `${(value / 1024).toFixed(2)} KB` : `${Math.round(value)} B`;
    case 'B/conn':
      return value >= 1024 ? `${(value / 1024).toFixed(1)} KB/conn` : `${Math.round(value)} B/conn`;
    case 'MB':
      return `${value.toFixed(1)} MB`;
    case 'ms':
      return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
    case 'count':
      return Math.round(value).toLocaleString('en-US');
    case 'msg/s':
    case 'req/s':
      return `${Math.round(value).toLocaleString('en-US')} ${unit}`;
    case 'ratio':
      return value.toFixed(4);
    case '%':
      return `${value.toFixed(1)} %`;
    case 'times':
      return `${value.toFixed(2)}×`;
    case 'load':
      return value.toFixed(2);
    case 'µs/msg':
      return `${Math.round(value).toLocaleString('en-US')} µs/msg`;
  }
}

/** Renders rows as one aligned text table, grouped by section. */
export function renderTable(rows: Row[]): string {
  const header = ['section', 'figure', 'value', 'budget', 'verdict', 'anchor / note'];
  const body = rows.map((r) => [
    r.section,
    r.label,
    r.unavailable ? 'not available' : formatValue(r.value, r.unit),
    r.budget ? `${r.budget.label}${r.budget.kind === 'ci' ? ' (CI)' : ''}` : '',
    verdict(r),
    [r.unavailable, r.anchor, r.note].filter(Boolean).join('; '),
  ]);
  const widths = header.map((h, i) => Math.min(i === 5 ? 200 : 60, Math.max(h.length, ...body.map((b) => b[i].length))));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  let last: string | undefined;
  for (const [i, b] of body.entries()) {
    if (last !== undefined && rows[i].section !== last) out.push('');
    last = rows[i].section;
    out.push(line(b));
  }
  return out.join('\n');
}

/** Summary of the budgets: which were missed, which could not be judged. */
export function summarize(rows: Row[]): { met: string[]; missed: string[]; notJudged: string[] } {
  const met: string[] = [];
  const missed: string[] = [];
  const notJudged: string[] = [];
  for (const r of rows) {
    const v = verdict(r);
    const name = `${r.section}: ${r.label}`;
    if (v === 'met') met.push(name);
    else if (v === 'MISSED') missed.push(`${name} = ${formatValue(r.value, r.unit)} (budget ${r.budget!.label})`);
    else if (v === 'n/a') notJudged.push(`${name}${r.unavailable ? ` (${r.unavailable})` : ''}`);
  }
  return { met, missed, notJudged };
}

/** A row for a figure that could not be taken; keeps the budget so the gap shows. */
export function unavailableRow(base: Omit<Row, 'value' | 'unavailable'>, why: string): Row {
  return { ...base, value: null, unavailable: `not available: ${why}` };
}

/**
 * One row per figure from several runs of the same steps: the median, with the
 * min–max and the count in the note (a single run's figure can be a lucky or an
 * unlucky one). The note of the run that gave the median is kept after it.
 * A figure missing in some runs is the median of the runs that have it; missing
 * in all, the first run's row (with its reason) stands.
 */
export function mergeRuns(runs: Row[][]): Row[] {
  if (runs.length <= 1) return runs[0] ?? [];
  const keys: string[] = [];
  const byKey = new Map<string, Row[]>();
  for (const rows of runs) {
    for (const r of rows) {
      if (!byKey.has(r.key)) (keys.push(r.key), byKey.set(r.key, []));
      byKey.get(r.key)!.push(r);
    }
  }
  return keys.map((key) => {
    const all = byKey.get(key)!;
    const taken = all.filter((r) => r.value !== null && Number.isFinite(r.value)).sort((a, b) => a.value! - b.value!);
    if (!taken.length) return all[0];
    // The lower median for an even count: a figure one run really produced, with its own note.
    const mid = taken[Math.floor((taken.length - 1) / 2)];
    const min = taken[0].value!;
    const max = taken[taken.length - 1].value!;
    const spread = `median of ${taken.length} runs${taken.length < all.length ? ` (${all.length - taken.length} without a figure)` : ''}, min–max ${formatValue(min, mid.unit)} – ${formatValue(max, mid.unit)}`;
    return { ...mid, note: [spread, mid.note].filter(Boolean).join('; ') };
  });
}

/**
 * The rows of some sections as a Markdown table, as docs/performance.md quotes them: value, the spread of
 * the runs behind it (from the note: "median of N runs, min–max a – b"), budget and verdict.
 */
export function renderMarkdown(rows: Row[], sections: readonly Section[]): string {
  const out = ['| section | figure | value | runs, min–max | budget | verdict |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    if (!sections.includes(r.section)) continue;
    const spread = /median of \d+ runs?[^;]*/.exec(r.note ?? '')?.[0] ?? /worst of \d+/.exec(r.note ?? '')?.[0] ?? '';
    const value = r.unavailable ? 'not available' : formatValue(r.value, r.unit);
    out.push(`| ${r.section} | ${r.label} | ${value} | ${spread} | ${r.budget?.label ?? ''} | ${verdict(r)} |`);
  }
  return out.join('\n');
}
