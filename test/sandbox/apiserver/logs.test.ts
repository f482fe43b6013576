import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';
import { startTestCluster, type TestCluster } from '../helpers/cluster.ts';
import { at, call } from '../helpers/http.ts';
import type { FakePod } from '../helpers/fake-kubelet.ts';

let c: TestCluster;
const clock = new ManualClock(Date.UTC(2026, 10, 22, 0, 0, 1, 500));
let podName = '';
let pod: FakePod;
const logPath = (q = '') => `/api/v1/namespaces/default/pods/${podName}/log${q}`;

before(async () => {
  c = await startTestCluster({ clock });
  c.createFunction('logger');
  podName = await c.until('a running logger pod', () => {
    const p = c.api.store.list('pods', 'default').find((x) => x.metadata.labels?.['function'] === 'logger');
    const cs = (p?.['status'] as { containerStatuses?: Array<{ state: { running?: unknown } }> } | undefined)?.containerStatuses;
    return cs?.[0]?.state.running ? p!.metadata.name : undefined;
  });
  pod = c.fake!.pod(podName);
  pod.write('first line');           // 00:00:01.500
  clock.advance(700);
  pod.write('second line', 'stderr'); // 00:00:02.200
  clock.advance(1000);
  pod.write('third line');           // 00:00:03.200
});
after(async () => {
  await c.close();
});

test('plain log of the only container, and with timestamps (RFC 3339, nanoseconds)', async () => {
  const r = await call(c.url, 'GET', logPath());
  assert.equal(r.status, 200);
  assert.equal(r.type, 'text/plain');
  assert.equal(r.text, 'first line\nsecond line\nthird line\n');
  const t = await call(c.url, 'GET', logPath('?timestamps=true&container=logger'));
  assert.deepEqual(t.text.split('\n').slice(0, 3), [
    '2026-11-22T00:00:01.500000000Z first line',
    '2026-11-22T00:00:02.200000000Z second line',
    '2026-11-22T00:00:03.200000000Z third line',
  ]);
});

test('tailLines, limitBytes, sinceSeconds and sinceTime (whole seconds, as the API server forwards it)', async () => {
  const cases: Array<[string, string]> = [
    ['?tailLines=1', 'third line\n'],
    ['?tailLines=0', ''],
    ['?limitBytes=14', 'first line\nsec'],
    ['?sinceSeconds=1', 'second line\nthird line\n'],
    ['?sinceTime=2026-11-22T00:00:02.100Z', 'second line\nthird line\n'],
    ['?sinceTime=2026-11-22T00:00:01.900Z', 'first line\nsecond line\nthird line\n'],
    ['?sinceTime=2026-11-22T00:00:03Z', 'third line\n'],
    ['?tailLines=2&sinceTime=2026-11-22T00:00:03Z', 'third line\n'],
  ];
  for (const [q, want] of cases) assert.equal((await call(c.url, 'GET', logPath(q))).text, want, q);
});

test('log option errors: 422 for invalid values, 400 for a bad container or unparsable time, 404 for no pod', async () => {
  const cases: Array<[string, number, RegExp]> = [
    ['?tailLines=-1', 422, /^PodLogOptions "[^"]+" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0$/],
    ['?limitBytes=0', 422, /limitBytes: Invalid value: 0: must be greater than 0/],
    ['?sinceSeconds=5&sinceTime=2026-11-22T00:00:00Z', 422, /: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified/],
    ['?container=nope', 400, /^container nope is not valid for pod logger-/],
    ['?sinceTime=yesterday', 400, /^parsing time "yesterday" as "2006-01-02T15:04:05Z07:00"/],
    ['?previous=true', 400, /^previous terminated container "logger" in pod "logger-[a-z0-9-]+" not found$/],
  ];
  for (const [q, code, msg] of cases) {
    const r = await call(c.url, 'GET', logPath(q));
    assert.equal(r.status, code, q);
    assert.match(String(at(r.json, 'message')), msg, q);
  }
  const missing = await call(c.url, 'GET', '/api/v1/namespaces/default/pods/ghost/log');
  assert.equal(missing.status, 404);
  assert.equal(at(missing.json, 'message'), 'pods "ghost" not found');
  const init = await call(c.url, 'GET', logPath('?container=prepare'));
  assert.equal(init.status, 200);
  assert.equal(init.text, '');
});

test('follow streams new lines and ends when the container instance ends; previous then serves it', async () => {
  const res = await fetch(`${c.url}${logPath('?follow=true&tailLines=1')}`);
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let text = '';
  const readUntil = async (s: string): Promise<void> => {
    while (!text.includes(s)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${JSON.stringify(s)}; got ${JSON.stringify(text)}`);
      text += dec.decode(value);
    }
  };
  await readUntil('third line\n');
  pod.write('fourth line');
  await readUntil('fourth line\n');
  pod.write('Traceback (most recent call last):', 'stderr');
  pod.crash(1);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += dec.decode(value);
  }
  assert.equal(text, 'third line\nfourth line\nTraceback (most recent call last):\n');
  await c.until('restartCount 1 in the pod status', () => {
    const p = c.api.store.get('pods', 'default', podName);
    return (p?.['status'] as { containerStatuses: Array<{ restartCount: number }> }).containerStatuses[0]!.restartCount === 1;
  });
  const prev = await call(c.url, 'GET', logPath('?previous=true&tailLines=2'));
  assert.equal(prev.text, 'fourth line\nTraceback (most recent call last):\n');
  pod.write('after restart');
  assert.equal((await call(c.url, 'GET', logPath())).text, 'after restart\n');
});

test('a container that never started: 400 "is waiting to start" with its reason', async () => {
  const created = await call(c.url, 'POST', '/api/v1/namespaces/default/pods', { body: { metadata: { name: 'plain' }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } });
  assert.equal(created.status, 201);
  await c.until('the plain pod to be refused', () => {
    const p = c.api.store.get('pods', 'default', 'plain');
    return JSON.stringify(p?.['status'] ?? {}).includes('CreateContainerError');
  });
  const r = await call(c.url, 'GET', '/api/v1/namespaces/default/pods/plain/log');
  assert.equal(r.status, 400);
  assert.equal(at(r.json, 'message'), 'container "app" in pod "plain" is waiting to start: CreateContainerError');
});
