/**
 * The scrape loop expects each series where the previous body had it, and falls back to its map when a
 * target reorders, adds, drops or repeats series. Checked against a model on random bodies: every
 * series gets exactly its values, and a staleness marker in the scrape it went missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FunctionStats } from '../../collector/src/aggregate/index.ts';
import { DEFAULT_SCRAPE_LIMITS } from '../../collector/src/scrape/limits.ts';
import { ScrapeLoop } from '../../collector/src/scrape/loop.ts';
import { Semaphore } from '../../collector/src/scrape/semaphore.ts';
import { MemStore, eq, getLabel } from '../../collector/src/store/index.ts';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const STEP = 15_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
}

function setup(bodies: string[]): { loop: ScrapeLoop; store: MemStore; stats: FunctionStats; clock: ManualClock } {
  const clock = new ManualClock(T0);
  const store = new MemStore();
  const stats = new FunctionStats({ slotMs: STEP });
  const loop = new ScrapeLoop({
    target: { key: 'file:t:0', url: 'http://10.0.0.1:8080/metrics', labels: [['function', 'f'], ['namespace', 'ns'], ['pod', 'p']], namespace: 'ns', function: 'f', podStartMs: null, terminating: false },
    intervalMs: STEP, timeoutMs: STEP, clock, store, stats, limits: DEFAULT_SCRAPE_LIMITS, semaphore: new Semaphore(1),
    fetch: () => Promise.reject(new Error('not used')),
    http: { get: () => Promise.resolve({ text: bodies.shift() ?? '', contentType: 'text/plain; version=0.0.4', bytes: 0 }) },
    metrics: { scrape: () => undefined, badLines: () => undefined },
    watchStart: T0,
  });
  return { loop, store, stats, clock };
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`random reorders, additions, removals and repeats keep every series exact (seed ${seed})`, async () => {
    const rand = rng(seed);
    const SCRAPES = 30;
    const POOL = 40;
    // model[k] = the series present at scrape k, in body order, with values.
    const model: Array<Map<number, number>> = [];
    const bodies: string[] = [];
    let order = Array.from({ length: POOL }, (_, i) => i);
    for (let k = 0; k < SCRAPES; k++) {
      const r = rand();
      if (r < 0.3) order = order.toSorted(() => rand() - 0.5); // shuffled
      else if (r < 0.5) order = order.slice(1).concat(order[0]!); // rotated: every position shifts
      const present = order.filter(() => rand() > 0.15);
      const values = new Map(present.map((i) => [i, Math.round(rand() * 1e6) / 100]));
      const lines = present.map((i) => `g{k="${i}"} ${values.get(i)}`);
      if (rand() < 0.3 && lines.length > 0) lines.splice(Math.floor(rand() * lines.length), 0, lines[0]!); // a repeated line
      model.push(values);
      bodies.push(lines.join('\n') + '\n');
    }
    const { loop, store, clock } = setup(bodies);
    for (let k = 0; k < SCRAPES; k++) {
      await loop.scrapeNow();
      clock.advance(STEP);
    }
    const q = store.querier();
    const got = new Map<number, Array<[number, number | 'stale']>>();
    for (const ref of q.select([eq('__name__', 'g')])) {
      const buf = q.samples(ref, 0, Infinity, { includeStale: true });
      const points: Array<[number, number | 'stale']> = [];
      for (let i = 0; i < buf.length; i++) points.push([(buf.t[i]! - T0) / STEP, buf.isStale(i) ? 'stale' : buf.v[i]!]);
      got.set(Number(getLabel(ref.labels, 'k')), points);
    }
    for (let i = 0; i < POOL; i++) {
      const want: Array<[number, number | 'stale']> = [];
      for (let k = 0; k < SCRAPES; k++) {
        const v = model[k]!.get(i);
        if (v !== undefined) want.push([k, v]);
        else if (k > 0 && model[k - 1]!.has(i)) want.push([k, 'stale']);
      }
      assert.deepEqual(got.get(i) ?? [], want, `series k="${i}"`);
    }
  });
}

test('the function totals follow their series wherever they move in the body', async () => {
  const lines = (calls: number[]): string =>
    ['# TYPE function_calls_total counter', ...calls.map((c, i) => `function_calls_total{method="m${i}"} ${c}`)].join('\n') + '\n';
  const reversed = (calls: number[]): string =>
    ['# TYPE function_calls_total counter', ...calls.map((c, i) => `function_calls_total{method="m${i}"} ${c}`).reverse()].join('\n') + '\n';
  const { loop, stats, clock } = setup([lines([1, 10, 100]), reversed([2, 12, 103]), lines([4, 15, 107])]);
  for (let k = 0; k < 3; k++) {
    await loop.scrapeNow();
    clock.advance(STEP);
  }
  const now = T0 + 2 * STEP;
  // (2+12+103 - 111) + (4+15+107 - 117) = 6 + 9 calls over the two windows after the baseline.
  assert.equal(stats.rates('ns', 'f', now, 2 * STEP).callsPerSecond, 15 / 30);
});

test('a scrape failed midway between two good ones loses no calls from the function totals', async () => {
  const body = (c: number): string => `# TYPE function_calls_total counter\nfunction_calls_total{method="GET"} ${c}\n`;
  // The third scrape goes over the sample limit after its totals were started.
  const bodies = [body(10), body(20), body(30) + 'x 1\ny 2\n', body(50), body(60)];
  const clock = new ManualClock(T0);
  const stats = new FunctionStats({ slotMs: STEP });
  let k = 0;
  const loop = new ScrapeLoop({
    target: { key: 'file:t:1', url: 'http://10.0.0.1:8080/metrics', labels: [['function', 'f'], ['namespace', 'ns'], ['pod', 'p']], namespace: 'ns', function: 'f', podStartMs: null, terminating: false },
    intervalMs: STEP, timeoutMs: STEP, clock, store: new MemStore(), stats, limits: { ...DEFAULT_SCRAPE_LIMITS, samples: 2 }, semaphore: new Semaphore(1),
    fetch: () => Promise.reject(new Error('not used')),
    http: { get: () => Promise.resolve({ text: bodies[k++]!, contentType: 'text/plain; version=0.0.4', bytes: 0 }) },
    metrics: { scrape: () => undefined, badLines: () => undefined },
    watchStart: T0,
  });
  for (let i = 0; i < bodies.length; i++) {
    await loop.scrapeNow();
    clock.advance(STEP);
  }
  assert.match(loop.report().lastError, /^$/);
  // 10 → 20 → (over the limit) → 50 → 60: 50 calls after the baseline, over the four intervals.
  const r = stats.rates('ns', 'f', T0 + 4 * STEP, 4 * STEP);
  assert.ok(Math.abs(r.callsPerSecond * 60 - 50) < 1e-9, String(r.callsPerSecond * 60));
});
