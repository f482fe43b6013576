import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionStats } from '../../collector/src/aggregate/function-stats.ts';
import { addSample, emptyTotals, type TargetTotals } from '../../collector/src/aggregate/runtime-shapes.ts';

function totals(samples: Array<[string, Record<string, string>, number]>): TargetTotals {
  const t = emptyTotals();
  for (const [n, l, v] of samples) addSample(t, n, l, v);
  return t;
}

const T0 = 1_800_000_000_000;

test('rates sum every pod, skip the first baseline, and survive a counter reset', () => {
  const s = new FunctionStats({ slotMs: 1000 });
  const calls = (v: number, f: number) => totals([['function_calls_total', { method: 'POST' }, v], ['function_failures_total', { method: 'POST' }, f]]);
  s.observeScrape('a', 'default', 'hello', 'pa', T0, calls(100, 10), false); // baseline only
  s.observeScrape('b', 'default', 'hello', 'pb', T0, calls(5, 0), true); // new pod: counts from zero
  s.observeScrape('a', 'default', 'hello', 'pa', T0 + 15_000, calls(130, 13), false);
  s.observeScrape('b', 'default', 'hello', 'pb', T0 + 15_000, calls(2, 2), true); // reset: 5 -> 2 counts as 2
  const r = s.rates('default', 'hello', T0 + 15_000, 60_000);
  // Increments are spread over the slots between two scrapes: equal up to float rounding.
  const near = (got: number | null, want: number, what = ''): void => assert.ok(got !== null && Math.abs(got - want) < 1e-12, `${what} ${got} ≠ ${want}`);
  near(r.callsPerSecond, (5 + 30 + 2) / 60);
  near(r.errorsPerSecond, (3 + 2) / 60);
  near(r.errorRatio, 5 / 37);
  assert.equal(r.source, 'runtime');
  near(s.rates('default', 'hello', T0 + 15_000, 60_000, 'pb').callsPerSecond, (5 + 2) / 60, 'per-pod rates');
});

test('access lines count python 408s and proxy-swallowed 500s as errors', () => {
  const s = new FunctionStats({ slotMs: 1000 });
  const t = T0 + 1000;
  for (const code of [200, 200, 408, 500]) s.observeResponse('default', 'slow', 'slow-1', code, t);
  const r = s.rates('default', 'slow', t, 10_000);
  assert.equal(r.source, 'access-log');
  assert.equal(r.callsPerSecond, 0.4);
  assert.equal(r.errorsPerSecond, 0.2);
  assert.equal(r.timeoutsPerSecond, 0.1);
});

test('quantiles come from bucket increments in the window, dotnet shape included', () => {
  const s = new FunctionStats({ slotMs: 1000 });
  const h = (c: [number, number, number]) =>
    totals([
      ['kubeless_calls_total', { status: '200' }, c[2]],
      ['kubeless_function_duration_seconds_bucket', { le: '0.1' }, c[0]],
      ['kubeless_function_duration_seconds_bucket', { le: '1' }, c[1]],
      ['kubeless_function_duration_seconds_bucket', { le: '+Inf' }, c[2]],
    ]);
  s.observeScrape('p', 'ns', 'dn', 'p', T0, h([0, 0, 0]), false);
  s.observeScrape('p', 'ns', 'dn', 'p', T0 + 5000, h([50, 100, 100]), false);
  const r = s.rates('ns', 'dn', T0 + 5000, 60_000);
  assert.equal(r.p50, 0.1);
  assert.ok(r.p99 !== null && Math.abs(r.p99 - (0.1 + 0.9 * (49 / 50))) < 1e-9);
  assert.equal(s.rates('ns', 'dn', T0 + 5000 + 120_000, 60_000).p50, null, 'old increments leave the window');
});

test('a function with no data has zero rates and null ratio', () => {
  const r = new FunctionStats().rates('x', 'y', T0, 60_000);
  assert.deepEqual([r.callsPerSecond, r.errorRatio, r.p95, r.source], [0, null, null, 'none']);
});

test('history gives one point per step', () => {
  const s = new FunctionStats({ slotMs: 1000 });
  s.observeResponse('a', 'b', 'b-1', 200, T0 + 500);
  const h = s.history('a', 'b', T0, T0 + 10_000, 5000, 5000);
  assert.deepEqual(h.map((p) => p.callsPerSecond), [0, 0.2, 0]);
});

test('a window not aligned to the slots counts only the part of the oldest slot inside it', () => {
  // One call per second for 5 minutes, scraped every second: the true rate is 1/s at any moment.
  const calls = (v: number) => totals([['function_calls_total', {}, v]]);
  for (const offset of [0, 1000, 2000, 3000, 4000]) {
    const s = new FunctionStats({ slotMs: 5000 });
    const now = T0 + 240_000 + offset;
    for (let k = 0; T0 + k * 1000 <= now; k++) s.observeScrape('a', 'default', 'steady', 'pa', T0 + k * 1000, calls(k), false);
    const r = s.rates('default', 'steady', now, 60_000);
    // Slots hold (start, start + 5 s]; without weighting, up to 64 calls would land in this 60 s window.
    assert.ok(Math.abs(r.callsPerSecond - 1) < 0.02, `now + ${offset} ms: ${r.callsPerSecond}`);
  }
});

test('a rate at any moment between 15 s scrapes counts the calls not scraped yet, as rate() extrapolates', () => {
  // Two pods, one call per second each, scraped every 15 s at different offsets: 2 calls/s at any moment.
  const calls = (v: number) => totals([['function_calls_total', {}, v]]);
  for (const offset of [0, 2000, 5000, 9000, 14_000]) {
    const s = new FunctionStats();
    const now = T0 + 300_000 + offset;
    for (const [pod, phase] of [['pa', 3000], ['pb', 11_000]] as const) {
      for (let t = T0 + phase; t <= now; t += 15_000) s.observeScrape(pod, 'default', 'steady', pod, t, calls((t - T0) / 1000), false);
    }
    const r = s.rates('default', 'steady', now, 60_000);
    assert.ok(Math.abs(r.callsPerSecond - 2) < 1e-9, `now + ${offset} ms: ${r.callsPerSecond}`);
    const a = s.rates('default', 'steady', now, 60_000, 'pa');
    assert.ok(Math.abs(a.callsPerSecond - 1) < 1e-9, `pod pa, now + ${offset} ms: ${a.callsPerSecond}`);
  }
});

test('a target that stopped being scraped does not stretch the rates of the others', () => {
  const calls = (v: number) => totals([['function_calls_total', {}, v]]);
  const s = new FunctionStats();
  const now = T0 + 600_000;
  for (let t = T0; t <= now; t += 15_000) s.observeScrape('pa', 'default', 'f', 'pa', t, calls((t - T0) / 1000), false);
  // pb went away five minutes ago: its last scrape is far behind, and it adds nothing now.
  for (let t = T0; t <= T0 + 300_000; t += 15_000) s.observeScrape('pb', 'default', 'f', 'pb', t, calls((t - T0) / 1000), false);
  assert.ok(Math.abs(s.rates('default', 'f', now, 60_000).callsPerSecond - 1) < 1e-9);
});
