import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uncompress } from 'snappyjs';
import { RemoteWriteQueue, type RemoteWriteLimits } from '../../collector/src/remote-write/queue.ts';
import { decodeWriteRequest, type DecodedSeries } from '../../collector/src/remote-write/write-request.ts';
import { MemoryRemoteWriteMetrics } from '../../collector/src/remote-write/metrics.ts';
import { parseRetryAfter, type FetchLike } from '../../collector/src/remote-write/sender.ts';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import type { Clock } from '../../collector/src/util/clock.ts';
import { FnscopeError } from '../../collector/src/util/errors.ts';
import { InstantClock } from '../support/instant-clock.ts';

type Step = { status: number; retryAfter?: string } | 'throw' | 'hang';

/** A remote-write endpoint as a FetchLike: decodes every request, answers from a script (then 204). */
class FakeEndpoint {
  readonly accepted: DecodedSeries[][] = [];
  readonly headers: Array<Record<string, string>> = [];
  calls = 0;
  script: Step[] = [];
  #hung: Array<() => void> = [];

  readonly fetch: FetchLike = async (_url, init) => {
    this.calls++;
    this.headers.push(Object.fromEntries(Object.entries(init.headers as Record<string, string>).map(([k, v]) => [k.toLowerCase(), v])));
    const step = this.script.shift() ?? { status: 204 };
    if (step === 'throw') throw new TypeError('fetch failed');
    if (step === 'hang') {
      await new Promise<void>((resolve, reject) => {
        this.#hung.push(resolve);
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error), { once: true });
      });
    }
    const s = step === 'hang' ? { status: 204 } : step;
    if (s.status < 300) this.accepted.push(decodeWriteRequest(uncompress(init.body as Uint8Array)));
    return new Response(s.status < 300 ? null : 'refused', { status: s.status, headers: s.retryAfter ? { 'retry-after': s.retryAfter } : {} });
  };

  release(): void {
    for (const r of this.#hung.splice(0)) r();
  }

  /** Every accepted sample as "labels|t|value". */
  samples(): string[] {
    return this.accepted.flat().flatMap((ts) => ts.samples.map((s) => `${ts.labels.join(',')}|${s.t}|${s.stale ? 'stale' : s.v}`));
  }
}

function queue(ep: FakeEndpoint, clock: Clock, limits: Partial<RemoteWriteLimits> = {}, metrics = new MemoryRemoteWriteMetrics(), extra: Partial<ConstructorParameters<typeof RemoteWriteQueue>[0]> = {}) {
  return new RemoteWriteQueue({ url: 'http://receiver.test/api/v1/write', clock, logger: silentLogger(), fetch: ep.fetch, metrics, limits, ...extra });
}

const series = (i: number): string[] => ['__name__', 'calls_total', 'function', `fn${i}`, 'namespace', 'default'];

test('protocol headers, external labels, extra headers', async () => {
  const ep = new FakeEndpoint();
  const q = queue(ep, new ManualClock(), {}, undefined, { headers: { Authorization: 'Bearer s3cret', 'X-Scope-OrgID': 'team-a' }, externalLabels: { cluster: 'prod' } });
  q.sample(series(1), 1000, 1);
  await q.flush();
  assert.deepEqual(ep.headers[0], {
    authorization: 'Bearer s3cret',
    'x-scope-orgid': 'team-a',
    'content-encoding': 'snappy',
    'content-type': 'application/x-protobuf',
    'x-prometheus-remote-write-version': '0.1.0',
    'user-agent': 'fnscope-remote-write',
  });
  assert.deepEqual(ep.accepted[0]![0]!.labels, ['__name__', 'calls_total', 'cluster', 'prod', 'function', 'fn1', 'namespace', 'default']);
});

test('batches: cut at maxSamplesPerSend, or after the deadline on the clock', async () => {
  const ep = new FakeEndpoint();
  const clock = new ManualClock();
  const q = queue(ep, clock, { shards: 1, maxSamplesPerSend: 10, batchSendDeadlineMs: 5000 });
  const labels = series(0);
  for (let i = 0; i < 25; i++) q.sample(labels, 1000 + i, i);
  await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(ep.accepted.map((a) => a[0]!.samples.length), [10, 10], 'two full batches went at once');
  assert.equal(ep.accepted[0]!.length, 1, 'one series: one TimeSeries with many samples');
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  clock.advance(4999);
  await settle();
  assert.equal(ep.samples().length, 20, 'the partial batch waits for its deadline');
  clock.advance(1);
  await settle();
  assert.equal(ep.samples().length, 25, 'the deadline sent it');
  assert.equal(ep.calls, 3);
});

test('every sample once, in order per series, through 503, 429 + Retry-After and network errors', async () => {
  const ep = new FakeEndpoint();
  ep.script = [{ status: 503 }, 'throw', { status: 429, retryAfter: '2' }, { status: 500 }];
  const clock = new InstantClock();
  const metrics = new MemoryRemoteWriteMetrics();
  const q = queue(ep, clock, { shards: 3, maxSamplesPerSend: 50, minBackoffMs: 30, maxBackoffMs: 1000 }, metrics);
  const want: string[] = [];
  const labels = Array.from({ length: 20 }, (_, i) => series(i));
  for (let t = 0; t < 30; t++) {
    for (let i = 0; i < labels.length; i++) {
      const ts = 1_000_000 + t * 15_000;
      if (t === 29 && i % 5 === 0) {
        q.stale(labels[i]!, ts);
        want.push(`${labels[i]!.join(',')}|${ts}|stale`);
      } else {
        const v = t === 3 ? Number.POSITIVE_INFINITY : t === 4 ? Number.NEGATIVE_INFINITY : t * 10 + i;
        q.sample(labels[i]!, ts, v);
        want.push(`${labels[i]!.join(',')}|${ts}|${v}`);
      }
    }
  }
  await q.flush();
  const got = ep.samples();
  assert.equal(got.length, want.length, 'nothing lost, nothing twice');
  assert.deepEqual([...got].sort(), [...want].sort());
  const perSeries = new Map<string, number[]>();
  for (const s of got) {
    const [l, t] = s.split('|');
    perSeries.set(l!, [...(perSeries.get(l!) ?? []), Number(t)]);
  }
  for (const ts of perSeries.values()) assert.deepEqual(ts, [...ts].sort((a, b) => a - b), 'each series arrives in time order');
  assert.equal(metrics.get('fnscope_remote_write_retries_total'), 4);
  assert.equal(metrics.get('fnscope_remote_write_samples_total', { result: 'sent' }), want.length);
  assert.equal(metrics.get('fnscope_remote_write_requests_total', { code: 'error' }), 1);
  assert.equal(metrics.get('fnscope_remote_write_requests_total', { code: '429' }), 1);
  assert.ok(clock.delays.includes(2000), 'Retry-After: 2 was honoured');
  assert.ok(clock.delays.includes(30) && clock.delays.includes(60), `exponential backoff from 30 ms: ${clock.delays.join(',')}`);
  assert.equal(metrics.get('fnscope_remote_write_queue_samples'), 0);
});

test('a 4xx other than 429 drops the batch without a retry, and the next batch goes on', async () => {
  const ep = new FakeEndpoint();
  ep.script = [{ status: 400 }];
  const metrics = new MemoryRemoteWriteMetrics();
  const q = queue(ep, new InstantClock(), { shards: 1, maxSamplesPerSend: 5 }, metrics);
  for (let i = 0; i < 10; i++) q.sample(series(1), 1000 + i, i);
  await q.flush();
  assert.equal(ep.calls, 2);
  assert.equal(ep.samples().length, 5);
  assert.deepEqual(q.totals, { sent: 5, failed: 5, dropped: 0, requests: 2 });
  assert.equal(metrics.get('fnscope_remote_write_samples_total', { result: 'failed' }), 5);
  assert.equal(metrics.get('fnscope_remote_write_retries_total'), 0);
});

test('bounded memory: beyond maxQueuedSamples the oldest batches are dropped and counted', async () => {
  const ep = new FakeEndpoint();
  ep.script = ['hang'];
  const metrics = new MemoryRemoteWriteMetrics();
  const q = queue(ep, new ManualClock(), { shards: 1, maxSamplesPerSend: 100, maxQueuedSamples: 1000 }, metrics);
  const total = 5000;
  for (let i = 0; i < total; i++) {
    q.sample(series(i % 7), 1000 + i, i);
    assert.ok(q.backlog <= 1000 + 2 * 100, `backlog ${q.backlog} stays bounded`);
  }
  assert.equal(q.totals.dropped, total - 1000 - 100, 'all but the in-flight batch and the newest 1000 samples');
  ep.release();
  await q.flush();
  assert.equal(q.totals.sent + q.totals.dropped, total);
  assert.equal(metrics.get('fnscope_remote_write_samples_total', { result: 'dropped' }), q.totals.dropped);
  const sentTimes = ep.samples().map((s) => Number(s.split('|')[1]));
  assert.deepEqual(sentTimes.slice(100, 101), [1000 + total - 1000], 'after the first batch, the newest samples survived');
});

test('close: drains what it can, then aborts and counts the rest as dropped', async () => {
  const ep = new FakeEndpoint();
  const clock = new ManualClock();
  const q = queue(ep, clock, { shards: 2, maxSamplesPerSend: 10 });
  for (let i = 0; i < 15; i++) q.sample(series(i), 1000, i);
  await q.close(1000);
  assert.equal(ep.samples().length, 15);
  q.sample(series(1), 2000, 1);
  assert.equal(q.totals.dropped, 1, 'after close, samples are dropped');

  const stuck = new FakeEndpoint();
  stuck.script = ['hang', 'hang', 'hang'];
  const q2 = queue(stuck, clock, { shards: 1, maxSamplesPerSend: 10 });
  for (let i = 0; i < 30; i++) q2.sample(series(1), 1000 + i, i);
  const closing = q2.close(5000);
  await new Promise((r) => setImmediate(r));
  clock.advance(5000);
  await closing;
  assert.equal(q2.totals.dropped, 30);
  assert.equal(q2.backlog, 0);
});

test('configuration errors and Retry-After parsing', () => {
  assert.throws(() => queue(new FakeEndpoint(), new ManualClock(), {}, undefined, { url: 'not a url' }), FnscopeError);
  assert.throws(() => queue(new FakeEndpoint(), new ManualClock(), {}, undefined, { url: 'ftp://x/y' }), FnscopeError);
  assert.throws(() => queue(new FakeEndpoint(), new ManualClock(), { shards: 0 }), FnscopeError);
  const now = Date.UTC(2026, 0, 1);
  assert.equal(parseRetryAfter('7', now), 7000);
  assert.equal(parseRetryAfter(new Date(now + 3000).toUTCString(), now), 3000);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
});
