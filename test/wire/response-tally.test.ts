import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResponseTally, type ResponseLabels } from '../../collector/src/wire/response-tally.ts';
import { CollectorMetrics } from '../../collector/src/wire/metrics.ts';

test('counts per label set, handed over once per drain', () => {
  const t = new ResponseTally();
  t.add('default', 'orders', 'GET', 200);
  t.add('default', 'orders', 'GET', 200);
  t.add('default', 'orders', 'GET', 408);
  t.add('shop', 'orders', 'GET', 200);
  const got: Array<[ResponseLabels, number]> = [];
  t.drain((l, n) => void got.push([l, n]));
  assert.deepEqual(got, [
    [{ namespace: 'default', function: 'orders', method: 'GET', code: '200' }, 2],
    [{ namespace: 'default', function: 'orders', method: 'GET', code: '408' }, 1],
    [{ namespace: 'shop', function: 'orders', method: 'GET', code: '200' }, 1],
  ]);
  const again: number[] = [];
  t.drain((_l, n) => void again.push(n));
  assert.equal(again.length, 0, 'nothing new since the last drain');
  t.add('default', 'orders', 'GET', 408);
  t.drain((l, n) => void again.push(Number(l.code) + n));
  assert.deepEqual(again, [409]);
});

test('responses reach fnscope_function_responses_total when the registry is read, and keep adding up', async () => {
  const m = new CollectorMetrics({ inventory: () => [], hub: () => ({ subscribers: 0, delivered: 0, dropped: 0, closedSlow: 0 }), store: () => ({ series: 0, bytes: 0, samples: 0, appended: 0 }), errorGroups: () => 0, recentErrorGroups: () => [], logStreams: () => [] });
  const r = m.responseMetrics();
  for (let i = 0; i < 3; i++) r.responses('default', 'orders', 'POST', 408);
  r.duration('default', 'orders', 'POST', 0.02);
  const first = await m.registry.metrics();
  assert.match(first, /fnscope_function_responses_total\{namespace="default",function="orders",method="POST",code="408"\} 3/);
  assert.match(first, /fnscope_function_response_duration_seconds_count\{namespace="default",function="orders",method="POST"\} 1/);
  r.responses('default', 'orders', 'POST', 408);
  assert.match(await m.registry.metrics(), /fnscope_function_responses_total\{namespace="default",function="orders",method="POST",code="408"\} 4/);
});
