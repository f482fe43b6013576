import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionRates } from '../../collector/src/aggregate/index.ts';
import type { FunctionView } from '../../collector/src/api/types.ts';
import type { ErrorGroupView } from '../../collector/src/errors/index.ts';
import type { TailRecord } from '../../collector/src/events/records.ts';
import { mergeErrorGroups, mergeFunctions, mergeLogRecords, mergeRates, MERGED_SAMPLES } from '../../collector/src/peers/index.ts';

const rates = (o: Partial<FunctionRates> = {}): FunctionRates => ({
  windowSeconds: 60, callsPerSecond: 0, errorsPerSecond: 0, errorRatio: null, timeoutsPerSecond: 0, exceptionsPerSecond: 0, p50: null, p95: null, p99: null, source: 'none', ...o,
});

const fn = (name: string, o: Partial<FunctionView> = {}): FunctionView => ({
  namespace: 'default', name, framework: 'kubeless', runtime: 'python3.8', handler: 'h.h', timeoutSeconds: 180, hasFunctionObject: true, annotations: {},
  pods: { ready: 1, total: 1, restarts: 0 }, targets: { up: 1, total: 1 }, rates: rates(), ...o,
});

test('rates of disjoint pods add up; the ratio is recomputed; quantiles keep the highest', () => {
  const cases: Array<{ a: Partial<FunctionRates>; b: Partial<FunctionRates>; want: Partial<FunctionRates> }> = [
    { a: { callsPerSecond: 3, errorsPerSecond: 1, errorRatio: 1 / 3 }, b: { callsPerSecond: 1, errorsPerSecond: 1, errorRatio: 1 }, want: { callsPerSecond: 4, errorsPerSecond: 2, errorRatio: 0.5 } },
    { a: { callsPerSecond: 0 }, b: { callsPerSecond: 0 }, want: { errorRatio: null } },
    { a: { p50: 0.1, p95: 0.5, p99: null }, b: { p50: 0.2, p95: 0.3, p99: 0.9 }, want: { p50: 0.2, p95: 0.5, p99: 0.9 } },
    { a: { source: 'access-log' }, b: { source: 'runtime' }, want: { source: 'runtime' } },
    { a: { source: 'none' }, b: { source: 'access-log' }, want: { source: 'access-log' } },
    { a: { timeoutsPerSecond: 0.5, exceptionsPerSecond: 1 }, b: { timeoutsPerSecond: 0.25, exceptionsPerSecond: 2 }, want: { timeoutsPerSecond: 0.75, exceptionsPerSecond: 3 } },
  ];
  for (const c of cases) {
    const got = mergeRates(rates(c.a), rates(c.b));
    for (const [k, v] of Object.entries(c.want)) assert.equal(got[k as keyof FunctionRates], v, `${k} of ${JSON.stringify(c)}`);
  }
});

test('functions: one entry per namespace/name, pods and targets summed, Function facts kept', () => {
  const a = [fn('hello', { pods: { ready: 1, total: 2, restarts: 1 }, targets: { up: 1, total: 2 }, rates: rates({ callsPerSecond: 2 }) }), fn('orders')];
  const b = [
    fn('hello', { pods: { ready: 3, total: 3, restarts: 0 }, targets: { up: 3, total: 3 }, rates: rates({ callsPerSecond: 1 }), annotations: { x: '1' } }),
    fn('zeta', { namespace: 'apps' }),
  ];
  const podOnly = [fn('orders', { hasFunctionObject: false, runtime: '', handler: '', pods: { ready: 1, total: 1, restarts: 2 } })];
  const got = mergeFunctions([a, b, podOnly]);
  assert.deepEqual(got.map((f) => `${f.namespace}/${f.name}`), ['apps/zeta', 'default/hello', 'default/orders']);
  const hello = got[1]!;
  assert.deepEqual(hello.pods, { ready: 4, total: 5, restarts: 1 });
  assert.deepEqual(hello.targets, { up: 4, total: 5 });
  assert.equal(hello.rates.callsPerSecond, 3);
  assert.deepEqual(hello.annotations, { x: '1' });
  const orders = got[2]!;
  assert.equal(orders.hasFunctionObject, true);
  assert.equal(orders.runtime, 'python3.8', 'the Function object\u2019s facts win over a pod-only view');
  assert.deepEqual(orders.pods, { ready: 2, total: 2, restarts: 2 });
});

const group = (id: string, o: Partial<ErrorGroupView> = {}): ErrorGroupView => ({
  id, language: 'python', type: 'KeyError', message: "'term'", firstSeen: 1000, lastSeen: 2000, count: 1, functions: {}, pods: {}, minutes: [], regressedAt: null, status: 'ongoing', ratePerSecond: 0, ...o,
});

test('error groups: same id merged (counts, first/last seen, spread, minutes, status); newest first', () => {
  const a = [
    group('g1', { count: 3, firstSeen: 500, lastSeen: 900, functions: { 'default/hello': 3 }, pods: { p1: 3 }, minutes: [[0, 1], [60_000, 2]], message: 'old', ratePerSecond: 0.1 }),
    group('g2', { lastSeen: 5000, status: 'new' }),
  ];
  const b = [group('g1', { count: 2, firstSeen: 700, lastSeen: 3000, functions: { 'default/hello': 1, 'default/orders': 1 }, pods: { p2: 2 }, minutes: [[60_000, 1], [120_000, 1]], message: 'latest', ratePerSecond: 0.2, regressedAt: 2500, status: 'regressed' })];
  const got = mergeErrorGroups([a, b]);
  assert.deepEqual(got.map((g) => g.id), ['g2', 'g1']);
  const g1 = got[1]!;
  assert.equal(g1.count, 5);
  assert.equal(g1.firstSeen, 500);
  assert.equal(g1.lastSeen, 3000);
  assert.equal(g1.message, 'latest');
  assert.deepEqual(g1.functions, { 'default/hello': 4, 'default/orders': 1 });
  assert.deepEqual(g1.pods, { p1: 3, p2: 2 });
  assert.deepEqual(g1.minutes, [[0, 1], [60_000, 3], [120_000, 1]]);
  assert.equal(g1.status, 'regressed');
  assert.equal(g1.regressedAt, 2500);
  assert.ok(Math.abs(g1.ratePerSecond - 0.3) < 1e-9);
});

test('error group status: new only when every copy is new', () => {
  const cases: Array<[ErrorGroupView['status'], ErrorGroupView['status'], ErrorGroupView['status']]> = [
    ['new', 'new', 'new'],
    ['new', 'ongoing', 'ongoing'],
    ['ongoing', 'regressed', 'regressed'],
    ['new', 'regressed', 'regressed'],
    ['ongoing', 'ongoing', 'ongoing'],
  ];
  for (const [x, y, want] of cases) assert.equal(mergeErrorGroups([[group('g', { status: x })], [group('g', { status: y })]])[0]!.status, want, `${x}+${y}`);
});

test('error group samples: the first occurrence and the most recent ones', () => {
  const sample = (time: number) => ({ seq: time, time, namespace: 'default', function: 'f', pod: 'p', message: '', frames: [], causes: [], lines: [] });
  const a = group('g', { samples: [1, 5, 9].map(sample) });
  const b = group('g', { samples: [2, 3, 7, 8].map(sample) });
  const got = mergeErrorGroups([[a], [b]])[0]!;
  assert.equal(got.samples!.length, MERGED_SAMPLES);
  assert.deepEqual(got.samples!.map((s) => s.time), [1, 5, 7, 8, 9]);
});

test('log records: merged in time order, the newest `limit` kept', () => {
  const r = (time: number, pod: string): TailRecord => ({ kind: 'line', seq: time, time, ts: '', namespace: 'default', function: 'f', pod, container: 'f', stream: 'combined', text: `${pod}@${time}` });
  const a = [r(1, 'a'), r(4, 'a'), r(6, 'a')];
  const b = [r(2, 'b'), r(4, 'b'), r(9, 'b')];
  const texts = (l: TailRecord[]) => l.map((x) => (x.kind === 'line' ? x.text : ''));
  assert.deepEqual(texts(mergeLogRecords([a, b], 100)), ['a@1', 'b@2', 'a@4', 'b@4', 'a@6', 'b@9']);
  assert.deepEqual(texts(mergeLogRecords([a, b], 3)), ['b@4', 'a@6', 'b@9']);
  assert.deepEqual(mergeLogRecords([[], []], 10), []);
});
