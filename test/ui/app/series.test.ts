import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minuteGrid, ratesBy } from '../../../collector/src/ui/app/series.ts';

const series = (method: string, pod: string, pts: Array<[number, number]>) => ({ labels: { method, pod }, values: pts.map(([t, v]) => [t, String(v)] as [number, string]) });

test('rates by label: summed over pods, per grid point, over the window', () => {
  const s = [
    series('POST', 'a', [[0, 0], [10, 10], [20, 20], [30, 30]]),
    series('POST', 'b', [[0, 100], [10, 105], [20, 110], [30, 115]]),
    series('GET', 'a', [[0, 0], [10, 1], [20, 2], [30, 3]]),
  ];
  const r = ratesBy(s, 'method', [10, 30], 20);
  assert.deepEqual(r.get('POST'), [1.5, 1.5]);
  assert.deepEqual(r.get('GET'), [0.1, 0.1]);
});

test('a counter reset counts the new value, not a negative increase', () => {
  const r = ratesBy([series('POST', 'a', [[0, 50], [10, 60], [20, 5], [30, 15]])], 'method', [30], 40);
  // increases: 10, 5 (reset to 5), 10 over 30 s
  assert.deepEqual(r.get('POST'), [25 / 30]);
});

test('fewer than two samples in the window give no rate', () => {
  const r = ratesBy([series('POST', 'a', [[0, 1], [100, 2]])], 'method', [50, 100], 30);
  assert.deepEqual(r.get('POST'), [null, null]);
});

test('minute grid: the last hour, one point per minute, zero where nothing happened', () => {
  const now = 1_800_000_125_000;
  const end = Math.floor(now / 60_000) * 60_000;
  const g = minuteGrid([[end - 60_000, 3], [end, 1], [end - 2 * 3_600_000, 9]], now);
  assert.equal(g.xs.length, 60);
  assert.equal(g.xs.at(-1), end / 1000);
  assert.deepEqual(g.ys.slice(-2), [3, 1]);
  assert.equal(g.ys.reduce((a, b) => a + b, 0), 4);
});
