import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, MemStore, eq, evalRange, labelsFromRecord, sumBy, type PromCompat } from '../../../collector/src/store/index.ts';

const S = 1000;
const T0 = 1_800_000_000_000;

function load(series: Record<string, Array<[number, number]>>): MemStore {
  const store = new MemStore({ retentionMs: 1e12 });
  const app = store.appender();
  for (const [pod, points] of Object.entries(series)) {
    const labels = labelsFromRecord({ pod, function: 'f' }, 'calls_total');
    for (const [t, v] of points) app.append(labels, T0 + t * S, v);
  }
  app.commit();
  return store;
}

const sel = [eq('__name__', 'calls_total')];
const rateOf = (store: MemStore, pod: string, rangeS: number, atS: number, compat: PromCompat = 'v3', fn: 'rate' | 'increase' = 'rate'): number | undefined =>
  new Evaluator(store.querier(), { compat })[fn]([...sel, eq('pod', pod)], rangeS * S, T0 + atS * S)[0]?.value;

test('rate with a counter reset and extrapolation to the window start (hand-checked)', () => {
  const store = load({ p: [[0, 0], [15, 10], [30, 20], [45, 5], [60, 15]] });
  // v3, window (0s, 60s]: 10 20 5 15 → 15-10 + 20 (reset) = 25 over 45 s; first sample 15 s from the
  // start (< 1.1 × 15 s) → extrapolate the full 15 s; zero point 45·10/25 = 18 s is further → 25·60/45.
  assert.ok(Math.abs(rateOf(store, 'p', 60, 60)! - (25 * 60) / 45 / 60) < 1e-12);
  assert.ok(Math.abs(rateOf(store, 'p', 60, 60, 'v3', 'increase')! - (25 * 60) / 45) < 1e-12);
  // v2, window [0s, 60s] includes the sample at 0: 0 10 20 5 15 → 35 over exactly the window.
  assert.ok(Math.abs(rateOf(store, 'p', 60, 60, 'v2')! - 35 / 60) < 1e-12);
});

test('a series that starts inside the window is extrapolated by half an interval only (hand-checked)', () => {
  const store = load({ p: [[40, 100], [55, 130]] });
  // 30 over 15 s; 40 s to the start is beyond 1.1 intervals → 7.5 s; 5 s to the end → full.
  assert.ok(Math.abs(rateOf(store, 'p', 60, 60, 'v3', 'increase')! - (30 * (15 + 7.5 + 5)) / 15) < 1e-12);
});

test('a counter is not extrapolated below zero (hand-checked)', () => {
  const store = load({ p: [[10, 1], [25, 11], [40, 21], [55, 31]] });
  // 30 over 45 s, 10 s to the start (< 16.5 s); zero point 45·1/30 = 1.5 s is nearer → 1.5 s; 5 s to the end.
  assert.ok(Math.abs(rateOf(store, 'p', 60, 60, 'v3', 'increase')! - (30 * (45 + 1.5 + 5)) / 45) < 1e-12);
});

test('staleness markers inside a range are ignored; fewer than two samples give no result', () => {
  const store = new MemStore();
  const app = store.appender();
  const ref = app.ref(labelsFromRecord({ pod: 'p', function: 'f' }, 'calls_total'));
  for (const [t, v] of [[15, 10], [30, 20], [45, 5], [60, 15]]) {
    app.appendRef(ref, T0 + t! * S, v!);
    if (t === 30) app.appendStale(ref, T0 + 40 * S);
  }
  app.commit();
  assert.equal(store.querier().samples(ref, 0, Infinity, { includeStale: true }).length, 5);
  assert.ok(Math.abs(rateOf(store, 'p', 60, 60, 'v3', 'increase')! - (25 * 60) / 45) < 1e-12);
  const one = load({ p: [[30, 5]] });
  assert.equal(rateOf(one, 'p', 60, 60), undefined);
});

test('instant selector: latest sample within the lookback', () => {
  const store = load({ p: [[0, 1], [60, 2]], q: [[0, 7]] });
  const ev = new Evaluator(store.querier(), { lookbackMs: 300 * S });
  const at = (t: number): Array<[string, number]> => ev.instant(sel, T0 + t * S).map((s) => [s.labels[5]!, s.value]);
  assert.deepEqual(at(30), [['p', 1], ['q', 7]]);
  assert.deepEqual(at(60), [['p', 2], ['q', 7]]);
  assert.deepEqual(at(300), [['p', 2]]); // q's sample is exactly 5 m old: outside (t-5m, t]
  assert.deepEqual(at(-1), []);
});

test('range evaluation gives the instant result at every step', () => {
  const points: Array<[number, number]> = [];
  let v = 0;
  for (let t = 0; t <= 600; t += 15) points.push([t, (v += (t % 45) + 1)]);
  const store = load({ a: points, b: points.map(([t, x]) => [t, x * 2]) });
  const ev = new Evaluator(store.querier());
  const fn = (t: number): ReturnType<typeof sumBy> => sumBy(ev.rate(sel, 60 * S, t), ['function']);
  const m = evalRange(T0 + 60 * S, T0 + 600 * S, 30 * S, fn);
  assert.equal(m.length, 1);
  assert.deepEqual(m[0]!.labels, ['function', 'f']);
  assert.equal(m[0]!.t.length, 19);
  m[0]!.t.forEach((t, i) => {
    const fresh = sumBy(new Evaluator(store.querier()).rate(sel, 60 * S, t), ['function'])[0]!.value;
    assert.equal(m[0]!.v[i], fresh);
  });
});
