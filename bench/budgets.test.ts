// Unit tests of the benchmark's judging logic (no timings): budget verdicts,
// table rendering, percentiles, and main-thread attribution from a trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, renderTable, summarize, unavailableRow, verdict, type Row } from './lib/report.js';
import { percentile } from './lib/stats.js';
import { mainThreadCost, unionLength, type TraceEvent } from './lib/trace.js';
// @ts-expect-error: plain ESM script without declarations
import { budgets, requestBudget } from '../scripts/check-size.mjs';

const row = (value: number | null, budget?: Row['budget']): Row => ({ section: 'host', key: 'k', label: 'figure', value, unit: 'ms', budget });

test('a figure past its max or under its min is MISSED; equal to the bound is met', () => {
  const max30 = { max: 30, kind: 'report' as const, label: '< 30 ms' };
  assert.equal(verdict(row(29.9, max30)), 'met');
  assert.equal(verdict(row(30, max30)), 'met');
  assert.equal(verdict(row(30.01, max30)), 'MISSED');
  const min1000 = { min: 1000, kind: 'report' as const, label: '≥ 1,000' };
  assert.equal(verdict(row(999, min1000)), 'MISSED');
  assert.equal(verdict(row(1000, min1000)), 'met');
  const zero = { max: 0, kind: 'report' as const, label: '0' };
  assert.equal(verdict(row(0, zero)), 'met');
  assert.equal(verdict(row(0.0001, zero)), 'MISSED');
});

test('a missing figure is not judged, and a row without a budget has no verdict', () => {
  assert.equal(verdict(row(null, { max: 1, kind: 'ci', label: 'x' })), 'n/a');
  assert.equal(verdict(row(Number.NaN, { max: 1, kind: 'ci', label: 'x' })), 'n/a');
  assert.equal(verdict(row(5)), '');
  const u = unavailableRow({ section: 'server', key: 's', label: 'sockets', unit: 'count', budget: { min: 10_000, kind: 'report', label: '≥ 10,000' } }, 'server crashed');
  assert.equal(u.value, null);
  assert.equal(u.unavailable, 'not available: server crashed');
  const s = summarize([u, row(40, { max: 30, kind: 'report', label: '< 30 ms' }), row(1, { max: 30, kind: 'report', label: '< 30 ms' })]);
  assert.equal(s.met.length, 1);
  assert.equal(s.missed.length, 1);
  assert.match(s.missed[0], /40\.0 ms \(budget < 30 ms\)/);
  assert.deepEqual(s.notJudged, ['server: sockets (not available: server crashed)']);
});

test('the table shows every row, its budget kind and verdict', () => {
  const t = renderTable([row(12.34, { max: 30, kind: 'report', label: '< 30 ms' }), { ...row(null), unavailable: 'not available: no chromium', section: 'server' }]);
  assert.match(t, /12\.3 ms\s+< 30 ms\s+met/);
  assert.match(t, /not available.*not available: no chromium/);
  assert.equal(formatValue(10 * 1024, 'B'), '10.00 KB');
  assert.equal(formatValue(1500, 'msg/s'), '1,500 msg/s');
  assert.equal(formatValue(null, 'ms'), '—');
});

test('the byte budgets are the ones the build checks (not loosened here)', () => {
  const max = Object.fromEntries((budgets as Array<{ name: string; max: number }>).map((b) => [b.name.split(' ')[0], b.max]));
  assert.equal(max['core.js'], 12 * 1024);
  assert.equal(max['launcher'], 15 * 1024);
  assert.equal(requestBudget.max, 8);
});

test('nearest-rank percentiles', () => {
  const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile([7], 99), 7);
  assert.equal(percentile([], 50), null);
  assert.throws(() => percentile(xs, 101), RangeError);
});

test('interval union counts nested and overlapping script events once', () => {
  assert.equal(unionLength([[0, 10], [2, 5], [8, 12], [20, 25]]), 17);
  assert.equal(unionLength([]), 0);
});

test('main-thread cost: tasks are attributed to the script URL they run', () => {
  const core = 'http://127.0.0.1:1/install/core.js?version=v1.2';
  const ev = (name: string, ts: number, dur: number, url?: string, tid = 1): TraceEvent => ({ name, ph: 'X', ts, dur, tts: ts, tdur: dur / 2, pid: 9, tid, args: url ? { data: { url } } : {} });
  const events: TraceEvent[] = [
    // task 1: core.js evaluation (10 ms, of which 8 ms script incl. a nested compile)
    ev('RunTask', 0, 10_000),
    ev('EvaluateScript', 1_000, 8_000, core),
    ev('v8.compile', 1_000, 2_000, core),
    // task 2: the page's own script, not ours
    ev('RunTask', 20_000, 5_000),
    ev('EvaluateScript', 20_500, 4_000, 'http://localhost:2/'),
    // task 3: a 60 ms message handler of core.js (a long task), with microtasks
    ev('RunTask', 30_000, 60_000),
    ev('FunctionCall', 30_000, 20_000, core),
    ev('RunMicrotasks', 50_000, 30_000),
    // another thread: ignored
    ev('RunTask', 0, 100_000, undefined, 2),
    ev('FunctionCall', 0, 100_000, core, 2),
  ];
  // The thread is the one that evaluated core.js.
  const cost = mainThreadCost(events, /\/install\/core\.js/)!;
  assert.equal(cost.tasks, 2);
  assert.equal(cost.scriptingMs, 8 + 50);
  assert.equal(cost.scriptingCpuMs, 4 + 25);
  assert.equal(cost.taskMs, 70);
  assert.equal(cost.longestTaskMs, 60);
  assert.equal(cost.longTasks, 1);
  assert.equal(cost.allTaskMs, 75);
  assert.equal(cost.top[0].by, 'FunctionCall');
  // A window before the long task leaves only the evaluation.
  const early = mainThreadCost(events, /\/install\/core\.js/, { toTs: 25_000 })!;
  assert.equal(early.tasks, 1);
  assert.equal(early.longTasks, 0);
  // No such script in the trace: no figure rather than a zero.
  assert.equal(mainThreadCost(events, /nope\.js/), null);
});
