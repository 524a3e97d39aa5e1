/** The benchmark's merging of several runs into one figure per row (bench/lib/report.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRuns, type Row } from './lib/report.js';

const row = (key: string, value: number | null, note?: string): Row => ({ section: 'server', key, label: key, value, unit: 'ms', ...(note ? { note } : {}) });

describe('bench: several runs, one figure per row', () => {
  it('takes the median, keeps its run note and gives the min–max and the count', () => {
    const merged = mergeRuns([[row('a', 30, 'run 1')], [row('a', 10, 'run 2')], [row('a', 20, 'run 3')], [row('a', 50, 'run 4')], [row('a', 40, 'run 5')]]);
    assert.equal(merged.length, 1);
    assert.equal(merged[0].value, 30);
    assert.equal(merged[0].note, 'median of 5 runs, min–max 10.0 ms – 50.0 ms; run 1');
  });

  it('an even count takes the lower median, a figure one run really produced', () => {
    assert.equal(mergeRuns([[row('a', 4)], [row('a', 1)], [row('a', 3)], [row('a', 2)]])[0].value, 2);
  });

  it('runs without the figure are counted apart; a figure missing in every run keeps its reason', () => {
    const partial = mergeRuns([[row('a', 5)], [row('a', null)], [row('a', 7)]]);
    assert.equal(partial[0].value, 5);
    assert.match(partial[0].note!, /median of 2 runs \(1 without a figure\)/);
    const none = mergeRuns([[{ ...row('b', null), unavailable: 'not available: x' }], [row('b', null)]]);
    assert.equal(none[0].unavailable, 'not available: x');
  });

  it('keeps the first run order, adds rows only some runs had, and leaves a single run as it is', () => {
    assert.deepEqual(
      mergeRuns([[row('a', 1), row('b', 2)], [row('b', 2), row('c', 3)]]).map((r) => r.key),
      ['a', 'b', 'c'],
    );
    const one = [row('a', 1, 'x')];
    assert.equal(mergeRuns([one]), one);
  });
});

describe('bench: the host section as Markdown for docs/performance.md', () => {
  it('one line per row of the sections asked, with the spread of its runs', async () => {
    const { renderMarkdown } = await import('./lib/report.js');
    const rows: Row[] = [
      { section: 'host', key: 'h', label: 'launcher painted', value: 120, unit: 'ms', budget: { max: 150, kind: 'report', label: '≤ 150 ms' }, note: 'median of 5 runs, min–max 100 ms – 180 ms; x' },
      { section: 'server', key: 's', label: 'p99', value: 5, unit: 'ms' },
    ];
    const md = renderMarkdown(rows, ['host']).split('\n');
    assert.equal(md.length, 3);
    assert.equal(md[2], '| host | launcher painted | 120 ms | median of 5 runs, min–max 100 ms – 180 ms | ≤ 150 ms | met |');
  });
});
