import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { FunctionDetail, FunctionView } from '../../collector/src/api/types.ts';
import type { ExceptionRecord, LineRecord } from '../../collector/src/events/records.ts';
import { startReplicas, GOOD, type Replica } from './replicas.ts';

let r: Replica[] = [];

const fn = (name: string, pods: number, calls: number): FunctionView => ({
  namespace: 'default', name, framework: 'kubeless', runtime: 'python3.8', handler: 'h.h', timeoutSeconds: 180, hasFunctionObject: true, annotations: {},
  pods: { ready: pods, total: pods, restarts: 0 }, targets: { up: pods, total: pods },
  rates: { windowSeconds: 60, callsPerSecond: calls, errorsPerSecond: 0, errorRatio: 0, timeoutsPerSecond: 0, exceptionsPerSecond: 0, p50: null, p95: null, p99: null, source: 'runtime' },
});

const exception = (pod: string, fingerprint: string, time: number): ExceptionRecord => ({
  kind: 'exception', seq: time, time, ts: new Date(time).toISOString(), namespace: 'default', function: 'hello', pod, container: 'hello', stream: 'combined',
  language: 'python', type: 'KeyError', message: "'term'", frames: [], causes: [], fingerprint, lines: ["KeyError: 'term'"],
});

const line = (pod: string, seq: number, time: number): LineRecord => ({ kind: 'line', seq, time, ts: new Date(time).toISOString(), namespace: 'default', function: 'hello', pod, container: 'hello', stream: 'combined', text: `${pod} line ${seq}` });

before(async () => {
  r = await startReplicas(3, () => ({ timeoutMs: 2000 }));
  const now = Date.now();
  r[0]!.functions.push(fn('hello', 1, 2));
  r[1]!.functions.push(fn('hello', 2, 3), fn('orders', 1, 1));
  r[0]!.errors.record(exception('hello-a', 'shared', now - 5000));
  r[1]!.errors.record(exception('hello-b', 'shared', now - 4000));
  r[1]!.errors.record(exception('hello-b', 'shared', now - 3000));
  r[1]!.errors.record(exception('hello-b', 'only-on-1', now - 2000));
  r[0]!.buffer.add(line('hello-a', 1, now - 3000));
  r[0]!.buffer.add(line('hello-a', 2, now - 1000));
  r[1]!.buffer.add(line('hello-b', 1, now - 2000));
  r[2]!.buffer.add(line('hello-c', 7, now - 1500));
});
after(async () => {
  for (const x of r) await x.stop();
});

async function get<T>(base: string, path: string, authorization: string | null = GOOD): Promise<{ status: number; body: { status: string; data: T; warnings?: string[]; errorType?: string } }> {
  const res = await fetch(base + path, { headers: authorization ? { authorization } : {} });
  return { status: res.status, body: (await res.json()) as { status: string; data: T; warnings?: string[] } };
}

test('any replica answers for all: functions merged, peers asked once with local=1 and the caller\u2019s token', async () => {
  for (const x of r) x.seen.length = 0;
  for (const [i, asked] of r.entries()) {
    const { status, body } = await get<FunctionView[]>(asked.url, '/api/v1/functions');
    assert.equal(status, 200);
    assert.equal(body.warnings, undefined, `no warnings from replica ${i}: ${JSON.stringify(body.warnings)}`);
    assert.deepEqual(body.data.map((f) => [f.name, f.pods.total, f.rates.callsPerSecond]), [['hello', 3, 5], ['orders', 1, 1]], `from replica ${i}`);
  }
  for (const [i, x] of r.entries()) {
    const local = x.seen.filter((u) => u.includes('local=1'));
    assert.equal(local.length, 2, `replica ${i} was asked by each of the two others: ${x.seen.join(' ')}`);
    assert.equal(x.seen.length, 3, `replica ${i}: one request from the test and two from peers, no loops`);
  }
});

test('?local=1 answers with this replica\u2019s part only and asks nobody', async () => {
  for (const x of r) x.seen.length = 0;
  const { body } = await get<FunctionView[]>(r[1]!.url, '/api/v1/functions?local=1');
  assert.deepEqual(body.data.map((f) => [f.name, f.pods.total]), [['hello', 2], ['orders', 1]]);
  assert.equal(r[0]!.seen.length + r[2]!.seen.length, 0);
});

test('error groups: merged by id; status and limit apply to the merged groups; a detail found on a peer', async () => {
  const { body } = await get<Array<{ id: string; count: number; pods: Record<string, number>; firstSeen: number }>>(r[2]!.url, '/api/v1/errors');
  const shared = body.data.find((g) => g.id === 'shared');
  assert.ok(shared);
  assert.equal(shared.count, 3);
  assert.deepEqual(shared.pods, { 'hello-a': 1, 'hello-b': 2 });
  assert.deepEqual(body.data.map((g) => g.id), ['only-on-1', 'shared'], 'newest first');
  const one = await get<Array<{ id: string }>>(r[0]!.url, '/api/v1/errors?limit=1');
  assert.deepEqual(one.body.data.map((g) => g.id), ['only-on-1']);
  const fresh = await get<Array<{ id: string; status: string }>>(r[0]!.url, '/api/v1/errors?status=new');
  assert.deepEqual(fresh.body.data.map((g) => g.id).sort(), ['only-on-1', 'shared']);
  const ongoing = await get<unknown[]>(r[0]!.url, '/api/v1/errors?status=ongoing');
  assert.deepEqual(ongoing.body.data, []);
  const detail = await get<{ id: string; count: number; samples: unknown[] }>(r[0]!.url, '/api/v1/errors/only-on-1');
  assert.equal(detail.status, 200, 'replica 0 has no such group, its peer has');
  assert.equal(detail.body.data.count, 1);
  assert.equal(detail.body.data.samples.length, 1);
  const missing = await get<unknown>(r[0]!.url, '/api/v1/errors/nowhere');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.errorType, 'not_found');
});

test('a function\u2019s detail: every replica\u2019s pods, the history added up point by point', async () => {
  const detail = (pods: string[], calls: number[]): FunctionDetail => ({
    ...fn('hello', pods.length, calls.at(-1)!),
    podList: pods.map((name) => ({ name, uid: `uid-${name}`, node: 'n', phase: 'Running', ready: true, restarts: 0, up: true, rates: fn('x', 1, 1).rates })),
    history: { since: 60, step: 30, window: 60, points: calls.map((c, i) => ({ ...fn('x', 1, c).rates, t: 1000 + i * 30 })) },
  });
  r[0]!.details.push(detail(['hello-a'], [1, 2, 3]));
  r[2]!.details.push(detail(['hello-c', 'hello-b'], [10, 20, 30]));
  const { status, body } = await get<FunctionDetail>(r[1]!.url, '/api/v1/functions/default/hello');
  assert.equal(status, 200, 'replica 1 has no such function; its peers have');
  assert.deepEqual(body.data.podList.map((p) => p.name), ['hello-a', 'hello-b', 'hello-c']);
  assert.deepEqual(body.data.history.points.map((p) => p.callsPerSecond), [11, 22, 33]);
  assert.equal(body.data.pods.total, 3);
  assert.equal((await get<unknown>(r[1]!.url, '/api/v1/functions/default/nothing')).status, 404);
});

test('logs: every replica\u2019s records in time order; the limit keeps the newest', async () => {
  const { body } = await get<LineRecord[]>(r[1]!.url, '/api/v1/logs?since=1m');
  assert.deepEqual(body.data.map((x) => x.text), ['hello-a line 1', 'hello-b line 1', 'hello-c line 7', 'hello-a line 2']);
  const two = await get<LineRecord[]>(r[1]!.url, '/api/v1/logs?since=1m&limit=2');
  assert.deepEqual(two.body.data.map((x) => x.text), ['hello-c line 7', 'hello-a line 2']);
  const filtered = await get<LineRecord[]>(r[1]!.url, '/api/v1/logs?since=1m&pod=hello-c');
  assert.deepEqual(filtered.body.data.map((x) => x.text), ['hello-c line 7'], 'filters apply on every replica');
});

test('bad input is refused by the replica asked, not merged', async () => {
  const { status, body } = await get<unknown>(r[0]!.url, '/api/v1/logs?limit=0');
  assert.equal(status, 400);
  assert.equal(body.errorType, 'bad_data');
  assert.equal((await get<unknown>(r[0]!.url, '/api/v1/errors?status=bogus')).status, 400);
});

test('no token: refused before any fan-out', async () => {
  for (const x of r) x.seen.length = 0;
  const { status } = await get<unknown>(r[0]!.url, '/api/v1/functions', null);
  assert.equal(status, 401);
  assert.equal(r[1]!.seen.length + r[2]!.seen.length, 0);
});

test('a peer down: the answer is the rest, with a warning naming the peer', async () => {
  await r[2]!.stop();
  const { status, body } = await get<LineRecord[]>(r[0]!.url, '/api/v1/logs?since=1m');
  assert.equal(status, 200);
  assert.equal(body.status, 'success');
  assert.deepEqual(body.data.map((x) => x.text), ['hello-a line 1', 'hello-b line 1', 'hello-a line 2']);
  assert.equal(body.warnings?.length, 1);
  assert.match(body.warnings[0]!, new RegExp(`peer ${r[2]!.url} did not answer: ECONNREFUSED`));
  const fns = await get<FunctionView[]>(r[1]!.url, '/api/v1/functions');
  assert.equal(fns.status, 200);
  assert.equal(fns.body.data.length, 2);
  assert.match(fns.body.warnings?.join(' ') ?? '', /did not answer/);
});
