import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, printerFor } from '../../../collector/src/sandbox/apiserver/printers.ts';
import type { KObject } from '../../../collector/src/sandbox/apiserver/types.ts';

test('ages read as kubectl prints them (duration.HumanDuration)', () => {
  const s = 1000;
  const cases: Array<[number, string]> = [
    [-5 * s, '<invalid>'], [-1 * s, '0s'], [0, '0s'], [59 * s, '59s'], [119 * s, '119s'], [120 * s, '2m'], [150 * s, '2m30s'],
    [10 * 60 * s, '10m'], [179 * 60 * s, '179m'], [3 * 3600 * s, '3h'], [(3 * 3600 + 5 * 60) * s, '3h5m'], [8 * 3600 * s, '8h'],
    [47 * 3600 * s, '47h'], [48 * 3600 * s, '2d'], [(50 * 3600) * s, '2d2h'], [8 * 86400 * s, '8d'], [400 * 86400 * s, '400d'],
    [(2 * 365 + 3) * 86400 * s, '2y3d'], [9 * 365 * 86400 * s, '9y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
});

const now = Date.UTC(2026, 10, 22, 1, 0, 0);
function pod(status: Record<string, unknown>, extra: Partial<KObject['metadata']> = {}, initContainers: unknown[] = []): KObject {
  return {
    metadata: { name: 'p', creationTimestamp: '2026-11-22T00:59:00Z', ...extra },
    spec: { nodeName: 'n', containers: [{ name: 'c' }], initContainers },
    status: { phase: 'Running', podIP: '127.0.0.1', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }], ...status },
  };
}
const cells = (o: KObject) => printerFor('pods').cells(o, now);

test('pod rows: READY, STATUS, RESTARTS as kubectl shows them', () => {
  const running = cells(pod({ containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] }));
  assert.deepEqual(running.slice(0, 7), ['p', '1/1', 'Running', '0', '60s', '127.0.0.1', 'n']);
  const crash = cells(pod({ containerStatuses: [{ name: 'c', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { finishedAt: '2026-11-22T00:59:30Z' } } }] }));
  assert.deepEqual(crash.slice(1, 4), ['0/1', 'CrashLoopBackOff', '3 (30s ago)']);
  const terminating = cells(pod({ containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] }, { deletionTimestamp: '2026-11-22T01:00:30Z' }));
  assert.equal(terminating[2], 'Terminating');
  const exited = cells(pod({ phase: 'Failed', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 2 } } }] }));
  assert.equal(exited[2], 'ExitCode:2');
  const done = cells(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }));
  assert.equal(done[2], 'Completed');
  const init = cells(pod({ phase: 'Pending', conditions: [], initContainerStatuses: [{ name: 'i', state: { running: {} } }] }, {}, [{ name: 'i' }]));
  assert.equal(init[2], 'Init:0/1');
  assert.deepEqual(cells(pod({ phase: 'Pending', podIP: undefined }, {})).slice(5, 6), ['<none>']);
});

test('service, event and custom resource rows', () => {
  const svc: KObject = { metadata: { name: 'hello', creationTimestamp: '2026-11-22T00:00:00Z' }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', ports: [{ port: 8080, protocol: 'TCP' }], selector: { function: 'hello' } } };
  assert.deepEqual(printerFor('services').cells(svc, now), ['hello', 'ClusterIP', '10.96.0.10', '<none>', '8080/TCP', '60m', 'function=hello']);
  const ev: KObject = { metadata: { name: 'p.1', creationTimestamp: '2026-11-22T00:50:00Z' }, involvedObject: { kind: 'Pod', name: 'p' }, type: 'Warning', reason: 'BackOff', message: 'Back-off', lastTimestamp: '2026-11-22T00:59:00Z', firstTimestamp: '2026-11-22T00:50:00Z', count: 4, source: { component: 'kubelet', host: 'n' } };
  assert.deepEqual(printerFor('events').cells(ev, now), ['60s', 'Warning', 'BackOff', 'pod/p', '', 'kubelet, n', 'Back-off', '10m', '4', 'p.1']);
  assert.deepEqual(printerFor('functions.kubeless.io').columns.map((c) => c.name), ['Name', 'Age']);
});
