import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketQuantile, histogramQuantile, labelsFromRecord } from '../../../collector/src/store/index.ts';

const b = (pairs: Array<[number, number]>): Array<{ upperBound: number; count: number }> => pairs.map(([upperBound, count]) => ({ upperBound, count }));

test('bucketQuantile follows Prometheus (hand-checked)', () => {
  const table: Array<[number, Array<[number, number]>, number]> = [
    [0.5, [[1, 5], [2, 10], [Infinity, 10]], 1],
    [0.75, [[1, 5], [2, 10], [Infinity, 10]], 1.5],
    [0.9, [[1, 1], [Infinity, 10]], 1], // rank in the +Inf bucket: highest finite bound
    [0.1, [[-1, 5], [0, 10], [Infinity, 10]], -1], // lowest bucket with a bound <= 0
    [0.5, [[2, 10], [1, 5], [Infinity, 10]], 1], // order of input does not matter
    [0.5, [[1, 2], [1, 3], [2, 10], [Infinity, 10]], 1], // equal bounds are merged
    [0.5, [[1, 10], [2, 10 - 1e-14], [Infinity, 10]], 0.5], // float noise is ignored
    [0.75, [[1, 4], [2, 2], [3, 8], [Infinity, 8]], 2.5], // decrease removed: 4 4 8 8
  ];
  for (const [q, buckets, want] of table) assert.ok(Math.abs(bucketQuantile(q, b(buckets)) - want) < 1e-12, `${q} ${JSON.stringify(buckets)}`);
  assert.ok(Number.isNaN(bucketQuantile(0.5, b([[1, 5], [2, 10]]))), 'no +Inf bucket');
  assert.ok(Number.isNaN(bucketQuantile(0.5, b([[Infinity, 10]]))), 'a single bucket');
  assert.ok(Number.isNaN(bucketQuantile(0.5, b([[1, 0], [Infinity, 0]]))), 'no observations');
  assert.ok(Number.isNaN(bucketQuantile(NaN, b([[1, 1], [Infinity, 1]]))));
  assert.equal(bucketQuantile(-1, b([[1, 1], [Infinity, 1]])), -Infinity);
  assert.equal(bucketQuantile(2, b([[1, 1], [Infinity, 1]])), Infinity);
});

test('histogramQuantile groups by labels without le and drops the name; bad le is ignored', () => {
  const s = (fn: string, le: string, value: number): { labels: string[]; value: number } => ({ labels: labelsFromRecord({ fn, le }, 'd_bucket'), value });
  const out = histogramQuantile(0.5, [s('a', '1', 5), s('a', '2.0', 10), s('a', '+Inf', 10), s('b', '+Inf', 4), s('b', '10', 4), s('b', 'x', 100)]);
  const byFn = Object.fromEntries(out.map((r) => [r.labels.join('='), r.value]));
  assert.deepEqual(Object.keys(byFn).sort(), ['fn=a', 'fn=b']);
  assert.equal(byFn['fn=a'], 1);
  assert.equal(byFn['fn=b'], 5);
});
