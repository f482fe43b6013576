import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Histogram, Registry } from 'prom-client';
import { DurationHistogram } from '../../collector/src/wire/duration-histogram.ts';

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 5];
const OBSERVATIONS: Array<[string, string, string, number]> = [
  ['default', 'orders', 'GET', 0.004],
  ['default', 'orders', 'GET', 0.01], // on a bound: counted in that bucket
  ['default', 'orders', 'POST', 0.3],
  ['shop', 'search', 'GET', 7], // above every bound: only in +Inf
  ['default', 'orders', 'GET', 0],
  ['shop', 'search', 'GET', 0.000150],
  ['default', 'orders', 'GET', 2.5],
];

test('the exposition is the same as prom-client Histogram for the same observations', async () => {
  const ours = new Registry();
  const theirs = new Registry();
  const h = new DurationHistogram({ name: 'fn_duration_seconds', help: 'Durations.', buckets: BUCKETS, registers: [ours] });
  const p = new Histogram({ name: 'fn_duration_seconds', help: 'Durations.', labelNames: ['namespace', 'function', 'method'], buckets: BUCKETS, registers: [theirs] });
  for (const [namespace, fn, method, s] of OBSERVATIONS) {
    h.observe(namespace, fn, method, s);
    p.observe({ namespace, function: fn, method }, s);
  }
  assert.equal(await ours.metrics(), await theirs.metrics());
  assert.deepEqual(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON());
});

test('non-finite durations are not observed, and reset empties it', async () => {
  const r = new Registry();
  const h = new DurationHistogram({ name: 'd', help: 'd', buckets: [1], registers: [r] });
  h.observe('a', 'b', 'GET', Number.NaN);
  h.observe('a', 'b', 'GET', Number.POSITIVE_INFINITY);
  assert.doesNotMatch(await r.metrics(), /d_count/);
  h.observe('a', 'b', 'GET', 0.5);
  assert.match(await r.metrics(), /d_count\{namespace="a",function="b",method="GET"\} 1/);
  r.resetMetrics();
  assert.doesNotMatch(await r.metrics(), /d_count/);
});
