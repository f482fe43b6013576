import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ScrapeLoop, type ScrapeMetrics } from '../../collector/src/scrape/loop.ts';
import { DEFAULT_SCRAPE_LIMITS, type ScrapeLimits } from '../../collector/src/scrape/limits.ts';
import { Semaphore } from '../../collector/src/scrape/semaphore.ts';
import type { ScrapeTarget } from '../../collector/src/scrape/target.ts';
import { FunctionStats } from '../../collector/src/aggregate/index.ts';
import { MemStore, eq, isStaleNaN, labelsToRecord } from '../../collector/src/store/index.ts';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';

const T0 = Date.UTC(2026, 10, 22, 1, 0, 0);
const target = (over: Partial<ScrapeTarget> = {}): ScrapeTarget => ({
  key: 'kubeless/default/hello/10.0.0.1:8080',
  url: 'http://10.0.0.1:8080/metrics',
  labels: [['function', 'hello'], ['namespace', 'default'], ['pod', 'hello-1'], ['runtime', 'python3.8']],
  namespace: 'default',
  function: 'hello',
  podStartMs: null,
  terminating: false,
  ...over,
});

interface Harness {
  loop: ScrapeLoop;
  store: MemStore;
  stats: FunctionStats;
  bodies: Array<string | Error>;
  bad: number;
  scrape(): Promise<void>;
  clock: ManualClock;
  series(name: string): Array<{ labels: Record<string, string>; t: number[]; v: number[]; stale: boolean[] }>;
}

function harness(opts: { target?: ScrapeTarget; limits?: Partial<ScrapeLimits>; watchStart?: number; contentType?: string } = {}): Harness {
  const clock = new ManualClock(T0);
  const store = new MemStore();
  const stats = new FunctionStats();
  const bodies: Array<string | Error> = [];
  const h = { bad: 0 } as Harness;
  const metrics: ScrapeMetrics = { scrape: () => undefined, badLines: (_t, n) => (h.bad += n) };
  const fetchFn = (): Promise<Response> => {
    const b = bodies.shift() ?? '';
    if (b instanceof Error) return Promise.reject(b);
    return Promise.resolve(new Response(b, { headers: { 'content-type': opts.contentType ?? 'text/plain; version=0.0.4' } }));
  };
  const loop = new ScrapeLoop({
    target: opts.target ?? target(), intervalMs: 15_000, timeoutMs: 10_000, fetch: fetchFn, clock, store, stats,
    limits: { ...DEFAULT_SCRAPE_LIMITS, ...opts.limits }, semaphore: new Semaphore(4), metrics, watchStart: opts.watchStart ?? T0,
  });
  Object.assign(h, {
    loop, store, stats, bodies, clock,
    async scrape() {
      await loop.scrapeNow();
      clock.advance(15_000);
    },
    series(name: string) {
      const q = store.querier();
      return q.select([eq('__name__', name)]).map((ref) => {
        const buf = q.samples(ref, 0, Infinity, { includeStale: true });
        const t: number[] = [];
        const v: number[] = [];
        const stale: boolean[] = [];
        for (let i = 0; i < buf.length; i++) {
          t.push(buf.t[i]!);
          v.push(buf.v[i]!);
          stale.push(buf.isStale(i));
        }
        return { labels: labelsToRecord(ref.labels), t, v, stale };
      });
    },
  });
  return h;
}

const pythonCapture = readFileSync(new URL('../../testdata/exposition/runtimes/python-metrics.txt', import.meta.url), 'utf8');

test('a real python runtime scrape lands with the target labels added, plus up and scrape_* series', async () => {
  const h = harness();
  h.bodies.push(pythonCapture);
  await h.scrape();
  const calls = h.series('function_calls_total');
  assert.ok(calls.length >= 1);
  for (const s of calls) assert.deepEqual({ ns: s.labels['namespace'], fn: s.labels['function'], pod: s.labels['pod'], rt: s.labels['runtime'] }, { ns: 'default', fn: 'hello', pod: 'hello-1', rt: 'python3.8' });
  assert.deepEqual(h.series('up').map((s) => s.v), [[1]]);
  assert.ok(h.series('scrape_samples_scraped')[0]!.v[0]! > 10);
  assert.equal(h.loop.report().health, 'up');
});

test('a scraped label that clashes with a target label is kept as exported_<name>', async () => {
  const h = harness();
  h.bodies.push('kubeless_calls_total{function="other",status="200"} 3\n');
  await h.scrape();
  assert.deepEqual(h.series('kubeless_calls_total')[0]!.labels, { __name__: 'kubeless_calls_total', exported_function: 'other', function: 'hello', namespace: 'default', pod: 'hello-1', runtime: 'python3.8', status: '200' });
});

test('a malformed line costs that line only, counted and shown as the last error', async () => {
  const h = harness();
  h.bodies.push('function_calls_total{method="GET"} 4\nthis is { not valid\nfunction_failures_total{method="GET"} 1\n');
  await h.scrape();
  assert.equal(h.series('function_calls_total').length, 1);
  assert.equal(h.series('function_failures_total').length, 1);
  assert.equal(h.bad, 1);
  assert.match(h.loop.report().lastError, /1 malformed line skipped \(line 2/);
  assert.equal(h.loop.report().health, 'up');
});

test('series that disappear, and every series when the scrape fails, are marked stale', async () => {
  const h = harness();
  h.bodies.push('a_total 1\nb_total 1\n', 'a_total 2\n', new Error('connect ECONNREFUSED'));
  await h.scrape();
  await h.scrape();
  const b = h.series('b_total')[0]!;
  assert.deepEqual(b.stale, [false, true], 'b is stale at the second scrape');
  await h.scrape();
  const a = h.series('a_total')[0]!;
  assert.deepEqual(a.stale, [false, false, true]);
  assert.deepEqual(h.series('up')[0]!.v, [1, 1, 0]);
  assert.equal(h.loop.report().health, 'down');
  assert.match(h.loop.report().lastError, /ECONNREFUSED/);
});

test('stopping a target marks its series and its up series stale', async () => {
  const h = harness();
  h.bodies.push('a_total 1\n');
  await h.scrape();
  await h.loop.stop();
  assert.ok(isStaleNaN(h.series('a_total')[0]!.v.at(-1)!) || h.series('a_total')[0]!.stale.at(-1));
  assert.equal(h.series('up')[0]!.stale.at(-1), true);
});

const limitCases: Array<{ limit: Partial<ScrapeLimits>; body: string; error: RegExp }> = [
  { limit: { samples: 2 }, body: 'a 1\nb 1\nc 1\n', error: /limit samples: more than 2 samples/ },
  { limit: { labelsPerSeries: 5 }, body: 'a{x="1",y="2"} 1\n', error: /limit labelsPerSeries/ },
  { limit: { labelValueLength: 8 }, body: 'a{x="123456789"} 1\n', error: /limit labelValueLength/ },
  { limit: { labelNameLength: 3 }, body: 'a{abcd="1"} 1\n', error: /limit labelNameLength/ },
  { limit: { bodyBytes: 10 }, body: 'a_long_metric_name 1\n', error: /limit bodyBytes/ },
];
for (const c of limitCases) {
  test(`going over ${Object.keys(c.limit)[0]} fails that scrape with a clear error`, async () => {
    const h = harness({ limits: c.limit });
    h.bodies.push(c.body);
    await h.scrape();
    assert.equal(h.loop.report().health, 'down');
    assert.match(h.loop.report().lastError, c.error);
    assert.deepEqual(h.series('up')[0]!.v, [0]);
  });
}

test('counters of a pod started after the watch began start from zero at the pod start', async () => {
  const podStart = T0 + 5000;
  const h = harness({ target: target({ podStartMs: podStart }), watchStart: T0 });
  h.clock.advance(10_000);
  h.bodies.push('# TYPE function_calls_total counter\nfunction_calls_total{method="POST"} 7\n# TYPE temp gauge\ntemp 3\n');
  await h.scrape();
  const calls = h.series('function_calls_total')[0]!;
  assert.deepEqual(calls.t, [podStart, T0 + 10_000]);
  assert.deepEqual(calls.v, [0, 7]);
  assert.deepEqual(h.series('temp')[0]!.v, [3], 'gauges get no zero');
  assert.equal(h.stats.rates('default', 'hello', T0 + 10_000, 60_000).callsPerSecond, 7 / 60, 'the calls before the first scrape count');
});

test('a counter that appears on a known target starts at zero at the previous scrape', async () => {
  const h = harness();
  h.bodies.push('# TYPE function_calls_total counter\nfunction_calls_total{method="handler-POST"} 5\n');
  h.bodies.push('# TYPE function_calls_total counter\nfunction_calls_total{method="handler-POST"} 9\n# TYPE function_failures_total counter\nfunction_failures_total{method="handler-POST"} 2\n');
  await h.scrape();
  await h.scrape();
  const f = h.series('function_failures_total')[0]!;
  assert.deepEqual(f.v, [0, 2]);
  assert.equal(f.t[1]! - f.t[0]!, 15_000);
});

test('samples are stamped with the scheduled time, one interval apart', async () => {
  const h = harness();
  h.loop.start();
  for (let i = 0; i < 3; i++) h.bodies.push('a_total 1\n');
  for (let i = 0; i < 3; i++) {
    h.clock.advance(15_000);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  }
  await h.loop.stop();
  const t = h.series('a_total')[0]!.t.slice(0, -1);
  assert.ok(t.length >= 2, `scrapes: ${t.length}`);
  for (let i = 1; i < t.length; i++) assert.equal(t[i]! - t[i - 1]!, 15_000);
});
