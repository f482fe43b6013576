import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketQuantile } from '../../collector/src/aggregate/quantile.ts';

const Inf = Number.POSITIVE_INFINITY;
// Bounds and cumulative counts from Prometheus's promql test data (histograms.test: testhistogram
// "positive" buckets 0.1/0.2/+Inf with counts 50/70/110 for the instant at 5m).
const cases: Array<{ name: string; q: number; bounds: number[]; counts: number[]; want: number }> = [
  { name: 'median inside the first bucket', q: 0.2, bounds: [0.1, 0.2, Inf], counts: [50, 70, 110], want: 0.044 },
  { name: 'rank in the second bucket', q: 0.5, bounds: [0.1, 0.2, Inf], counts: [50, 70, 110], want: 0.125 },
  { name: 'rank in +Inf answers the highest finite bound', q: 0.8, bounds: [0.1, 0.2, Inf], counts: [50, 70, 110], want: 0.2 },
  { name: 'q=0 is the lowest bound start', q: 0, bounds: [0.1, 0.2, Inf], counts: [50, 70, 110], want: 0 },
  { name: 'q>1 is +Inf', q: 1.2, bounds: [0.1, 0.2, Inf], counts: [50, 70, 110], want: Inf },
  { name: 'q<0 is -Inf', q: -0.1, bounds: [0.1, 0.2, Inf], counts: [50, 70, 110], want: -Inf },
  { name: 'non-monotonic counts are fixed up', q: 0.5, bounds: [1, 2, 3, Inf], counts: [10, 8, 20, 20], want: 1 },
];

for (const c of cases) {
  test(`bucketQuantile: ${c.name}`, () => {
    const got = bucketQuantile(c.q, c.bounds, c.counts);
    assert.ok(Math.abs(got - c.want) < 1e-9 || got === c.want, `got ${got}, want ${c.want}`);
  });
}

test('bucketQuantile: no observations or no +Inf bucket is NaN', () => {
  assert.ok(Number.isNaN(bucketQuantile(0.5, [0.1, Inf], [0, 0])));
  assert.ok(Number.isNaN(bucketQuantile(0.5, [0.1, 0.2], [1, 2])));
});
