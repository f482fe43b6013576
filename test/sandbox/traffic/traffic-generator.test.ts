import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrafficGenerator, toRequest, type InvokeRequest, type TrafficCall, type TrafficTarget } from '../../../collector/src/sandbox/traffic/index.ts';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';

const targets: TrafficTarget[] = [
  { namespace: 'default', name: 'hello', payloads: { good: [{ body: { hello: 'world' } }], bad: [] } },
  { namespace: 'default', name: 'bikesearch', payloads: { good: [{ body: { term: 'square' } }], bad: [{ body: {} }] } },
];

/** A deterministic sequence in [0, 1). */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

interface Sent { ns: string; fn: string; req: InvokeRequest }

function recorder(status = 200) {
  const sent: Sent[] = [];
  const invoke = (ns: string, fn: string, req: InvokeRequest) => {
    sent.push({ ns, fn, req });
    return Promise.resolve({ status: req.body === '{}' ? 500 : status, body: '' });
  };
  return { sent, invoke };
}

const flush = () => new Promise((r) => setImmediate(r));

test('calls go round-robin at the configured rate, paced by the clock', async () => {
  const clock = new ManualClock();
  const { sent, invoke } = recorder();
  const gen = new TrafficGenerator({ invoke, targets, ratePerSecond: 4, badShare: 0, clock });
  gen.start();
  assert.equal(sent.length, 0);
  clock.advance(1_000);
  assert.deepEqual(sent.map((s) => s.fn), ['hello', 'bikesearch', 'hello', 'bikesearch']);
  gen.setRate(10);
  clock.advance(1_000);
  assert.equal(sent.length, 14);
  await gen.stop();
  clock.advance(10_000);
  assert.equal(sent.length, 14, 'nothing after stop');
  assert.equal(gen.running, false);
  await flush();
  assert.deepEqual(gen.stats().perTarget['default/hello'], { sent: 7, bad: 0, byStatus: { 200: 7 } });
});

test('the bad share picks bad inputs where a function has them', async () => {
  const clock = new ManualClock();
  const { sent, invoke } = recorder();
  const calls: TrafficCall[] = [];
  // random() is asked once for good-or-bad (only where bad inputs exist), then once for the payload.
  const gen = new TrafficGenerator({ invoke, targets: [targets[1]!], ratePerSecond: 1, badShare: 0.5, clock, random: sequence([0.4, 0, 0.6, 0]), onCall: (c) => calls.push(c) });
  gen.start();
  clock.advance(4_000);
  await gen.stop();
  assert.deepEqual(sent.map((s) => s.req.body), ['{}', '{"term":"square"}', '{}', '{"term":"square"}']);
  assert.deepEqual(calls.map((c) => [c.bad, c.status]), [[true, 500], [false, 200], [true, 500], [false, 200]]);
  assert.deepEqual(gen.stats().perTarget['default/bikesearch'], { sent: 4, bad: 2, byStatus: { 200: 2, 500: 2 } });
});

test('a function\'s bad share can be scaled down', async () => {
  const clock = new ManualClock();
  const { sent, invoke } = recorder();
  const scaled: TrafficTarget = { ...targets[1]!, payloads: { ...targets[1]!.payloads, badShareScale: 0.25 } };
  const gen = new TrafficGenerator({ invoke, targets: [scaled], ratePerSecond: 1, badShare: 0.8, clock, random: sequence([0.19, 0, 0.21, 0]) });
  gen.start();
  clock.advance(2_000);
  await gen.stop();
  assert.deepEqual(sent.map((s) => s.req.body === '{}'), [true, false], 'share 0.8 x 0.25 = 0.2');
});

test('inject raises one function\'s bad share for a while, then it falls back', async () => {
  const clock = new ManualClock();
  const { sent, invoke } = recorder();
  const gen = new TrafficGenerator({ invoke, targets: [targets[1]!], ratePerSecond: 1, badShare: 0, clock, random: sequence([0.5]) });
  gen.inject('default', 'bikesearch', { badShare: 1, durationMs: 3_000 });
  gen.start();
  clock.advance(6_000);
  await gen.stop();
  assert.deepEqual(sent.map((s) => s.req.body === '{}'), [true, true, false, false, false, false]);
  assert.throws(() => gen.inject('default', 'nope', { durationMs: 1 }), RangeError);
});

test('at most maxInFlight calls at once; the others are skipped and counted; stop waits for calls', async () => {
  const clock = new ManualClock();
  const releases: Array<() => void> = [];
  const invoke = () => new Promise<{ status: number; body: string }>((resolve) => releases.push(() => resolve({ status: 408, body: '' })));
  const gen = new TrafficGenerator({ invoke, targets: [targets[0]!], ratePerSecond: 10, maxInFlight: 3, clock });
  gen.start();
  clock.advance(1_000);
  assert.equal(releases.length, 3);
  assert.deepEqual([gen.stats().sent, gen.stats().skipped, gen.stats().inFlight], [3, 7, 3]);
  let stopped = false;
  const stopping = gen.stop().then(() => (stopped = true));
  await flush();
  assert.equal(stopped, false, 'stop waits for calls in flight');
  for (const r of releases) r();
  await stopping;
  assert.deepEqual(gen.stats().perTarget['default/hello']!.byStatus, { 408: 3 });
});

test('a failing invoke is counted as an error, not thrown', async () => {
  const clock = new ManualClock();
  const calls: TrafficCall[] = [];
  const gen = new TrafficGenerator({ invoke: () => Promise.reject(new Error('connection refused')), targets: [targets[0]!], ratePerSecond: 1, clock, onCall: (c) => calls.push(c) });
  gen.start();
  clock.advance(2_000);
  await gen.stop();
  assert.deepEqual(calls.map((c) => [c.status, c.error]), [[undefined, 'connection refused'], [undefined, 'connection refused']]);
  assert.deepEqual(gen.stats().perTarget['default/hello']!.byStatus, { error: 2 });
});

test('settings are checked; payloads become requests', () => {
  const invoke = recorder().invoke;
  assert.throws(() => new TrafficGenerator({ invoke, targets, ratePerSecond: 0 }), RangeError);
  assert.throws(() => new TrafficGenerator({ invoke, targets, badShare: 1.5 }), RangeError);
  assert.deepEqual(toRequest({ body: { a: 1 } }), { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
  assert.deepEqual(toRequest({ body: 'abc' }), { method: 'POST', body: 'abc', headers: { 'content-type': 'text/plain' } });
  assert.deepEqual(toRequest({ method: 'GET' }), { method: 'GET', body: '', headers: {} });
  assert.deepEqual(toRequest({ body: 'x', contentType: 'application/xml', headers: { 'event-id': '1' } }), { method: 'POST', body: 'x', headers: { 'event-id': '1', 'content-type': 'application/xml' } });
});
