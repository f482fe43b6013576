import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podInfo, podTarget, hostPort } from '../../../collector/src/discovery/kubernetes/pod-info.ts';
import type { PodObject } from '../../../collector/src/discovery/kubernetes/objects.ts';
import { cronTriggerPod, kubelessPod, type PodOpts } from '../kube-objects.ts';

function pod(o: PodOpts & { containerName?: string; startTime?: unknown } = {}): PodObject {
  const p = kubelessPod('default', 'hello', 'hello-1', o) as PodObject;
  if (o.containerName !== undefined) p.spec!.containers![0]!.name = o.containerName;
  if (o.startTime !== undefined) (p.status as Record<string, unknown>)['startTime'] = o.startTime;
  return p;
}

const cases: Array<{ name: string; pod: PodObject; want: Partial<ReturnType<typeof podInfo>> }> = [
  { name: 'kubeless defaults', pod: pod(), want: { target: true, scrape: { enabled: true, scheme: 'http', port: 8080, path: '/metrics' }, role: 'function', container: 'hello' } },
  { name: 'port, path and scheme from annotations', pod: pod({ annotations: { 'prometheus.io/port': '9100', 'prometheus.io/path': 'stats', 'prometheus.io/scheme': 'https' } }),
    want: { target: true, scrape: { enabled: true, scheme: 'https', port: 9100, path: '/stats' } } },
  { name: 'no annotations: the container port, /metrics', pod: pod({ annotations: {}, port: 3000 }), want: { target: true, scrape: { enabled: true, scheme: 'http', port: 3000, path: '/metrics' } } },
  { name: 'scrape disabled', pod: pod({ annotations: { 'prometheus.io/scrape': 'false' } }), want: { target: false, notTargetReason: 'prometheus.io/scrape is "false"' } },
  { name: 'bad port annotation', pod: pod({ annotations: { 'prometheus.io/port': 'http' } }), want: { target: false, notTargetReason: 'invalid prometheus.io/port "http"' } },
  { name: 'pending without IP', pod: pod({ ip: null, phase: 'Pending', ready: false }), want: { target: false, notTargetReason: 'no pod IP yet', ready: false, phase: 'Pending' } },
  { name: 'finished pod', pod: pod({ phase: 'Failed' }), want: { target: false, notTargetReason: 'pod Failed' } },
  { name: 'terminating pod is still scraped', pod: pod({ deleting: true }), want: { target: true, terminating: true } },
  { name: 'restarts of the function container', pod: pod({ restarts: 7 }), want: { restarts: 7 } },
  { name: 'scrape annotation without a container named after the function', pod: pod({ containerName: 'main' }), want: { target: true, role: 'function', container: 'main' } },
  { name: 'no function container, no annotation', pod: pod({ containerName: 'main', annotations: {} }), want: { target: false, role: 'other', container: null, notTargetReason: 'no container named hello' } },
  { name: 'CronJob trigger pod', pod: cronTriggerPod('default', 'hello', 'trigger-1'), want: { target: false, role: 'trigger', notTargetReason: 'CronJob trigger pod' } },
  { name: 'start time as a Date (typed list)', pod: pod({ startTime: new Date(Date.UTC(2026, 10, 22, 1, 2, 3)) }), want: { startTime: '2026-11-22T01:02:03.000Z' } },
];

for (const c of cases) {
  test(`podInfo: ${c.name}`, () => {
    const info = podInfo(c.pod, 'hello');
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual(info[k as keyof typeof info], v, k);
  });
}

test('podTarget: address, labels and the pod itself', () => {
  const info = podInfo(pod({ ip: '10.1.2.3', node: 'n1' }), 'hello');
  const t = podTarget(info);
  assert.equal(t.address, '10.1.2.3:8080');
  assert.deepEqual(t.labels, { pod: 'hello-1', pod_uid: 'uid-hello-1', node: 'n1', container: 'hello' });
  assert.equal(t.pod, info);
  assert.equal(hostPort('fd00::1', 8080), '[fd00::1]:8080');
});
