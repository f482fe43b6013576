import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProvider, settle } from '../harness.ts';
import { cronJobTrigger, cronTriggerPod, httpTrigger, kubelessFunction, kubelessPod } from '../kube-objects.ts';

const F = 'functions';
const P = 'pods';

test('first sync sends every function as one whole group, then reports synced', async () => {
  const h = startProvider();
  const k = h.kube;
  k.apply(F, kubelessFunction('default', 'hello', { annotations: { 'fnscope.io/slo-availability': '99.9' } }));
  k.apply(P, kubelessPod('default', 'hello', 'hello-1', { ip: '10.0.0.1' }));
  k.apply(P, kubelessPod('default', 'hello', 'hello-2', { ip: '10.0.0.2', node: 'node-b', restarts: 3 }));
  k.apply('httptriggers', httpTrigger('default', 'hello-http', 'hello', 'hello.example.com', '/hello'));
  k.apply('cronjobtriggers', cronJobTrigger('default', 'hello-cron', 'hello', '*/5 * * * *'));
  assert.equal(h.batches.length, 0);
  await settle();
  assert.equal(h.syncs(), 1);
  assert.equal(h.provider.isSynced(), true);
  assert.equal(h.batches.length, 1);
  const g = h.batches[0]![0]!;
  assert.equal(g.source, 'kubeless/default/hello');
  assert.deepEqual(g.labels, { namespace: 'default', function: 'hello', runtime: 'python3.8' });
  assert.deepEqual(g.targets.map((t) => [t.address, t.scheme, t.metricsPath, t.labels]), [
    ['10.0.0.1:8080', 'http', '/metrics', { pod: 'hello-1', pod_uid: 'uid-hello-1', node: 'node-a', container: 'hello' }],
    ['10.0.0.2:8080', 'http', '/metrics', { pod: 'hello-2', pod_uid: 'uid-hello-2', node: 'node-b', container: 'hello' }],
  ]);
  assert.equal(g.targets[1]!.pod?.restarts, 3);

  const [fn] = h.provider.inventory();
  assert.ok(fn);
  assert.equal(fn.framework, 'kubeless');
  assert.equal(fn.handler, 'hello.handler');
  assert.equal(fn.timeoutSeconds, 180);
  assert.equal(fn.hasFunctionObject, true);
  assert.deepEqual(fn.slo, { availability: '99.9' });
  assert.deepEqual(fn.triggers, [
    { kind: 'cronjob', name: 'hello-cron', details: { schedule: '*/5 * * * *' } },
    { kind: 'http', name: 'hello-http', details: { host: 'hello.example.com', path: '/hello', gateway: 'nginx', tls: 'false' } },
  ]);
  assert.equal(fn.createdAt, '2026-11-21T00:00:00.000Z');
  assert.deepEqual(fn.pods.map((p) => p.name), ['hello-1', 'hello-2']);
  const st = h.provider.state();
  assert.equal(st.synced, true);
  assert.deepEqual([st.functions, st.pods, st.targets], [1, 2, 2]);
  assert.equal(h.metrics.get('fnscope_discovery_targets', { provider: 'kubernetes' }), 2);
  assert.equal(h.metrics.get('fnscope_discovery_synced', { provider: 'kubernetes' }), 1);
});

test('pods created, updated, restarted and deleted re-send the whole group; gone means empty', async () => {
  const h = startProvider();
  const k = h.kube;
  k.apply(F, kubelessFunction('default', 'hello'));
  k.apply(P, kubelessPod('default', 'hello', 'hello-1', { ip: '10.0.0.1' }));
  await settle();
  assert.deepEqual(h.targetPods('default', 'hello'), ['hello-1']);

  k.apply(P, kubelessPod('default', 'hello', 'hello-2', { ip: null, phase: 'Pending', ready: false }));
  await settle();
  assert.deepEqual(h.targetPods('default', 'hello'), ['hello-1'], 'a pod without an IP is not a target yet');
  const pending = h.provider.inventory()[0]!.pods.find((p) => p.name === 'hello-2')!;
  assert.equal(pending.target, false);
  assert.equal(pending.notTargetReason, 'no pod IP yet');

  k.apply(P, kubelessPod('default', 'hello', 'hello-2', { ip: '10.0.0.2' }));
  await settle();
  const last = h.batches.at(-1)!;
  assert.equal(last.length, 1);
  assert.deepEqual(last[0]!.targets.map((t) => t.labels['pod']), ['hello-1', 'hello-2'], 'an update re-sends the whole group');

  k.apply(P, kubelessPod('default', 'hello', 'hello-1', { ip: '10.0.0.1', restarts: 4, ready: false }));
  await settle();
  const p1 = h.view().get('kubeless/default/hello')!.targets.find((t) => t.labels['pod'] === 'hello-1')!.pod!;
  assert.deepEqual([p1.restarts, p1.ready], [4, false]);

  const before = h.batches.length;
  k.apply(P, kubelessPod('default', 'hello', 'hello-1', { ip: '10.0.0.1', restarts: 4, ready: false }));
  await settle();
  assert.equal(h.batches.length, before, 'an update that changes nothing sends nothing');

  k.remove(P, 'default', 'hello-1');
  await settle();
  assert.deepEqual(h.targetPods('default', 'hello'), ['hello-2']);

  k.remove(P, 'default', 'hello-2');
  k.remove(F, 'default', 'hello');
  await settle();
  const gone = h.batches.at(-1)!.find((g) => g.source === 'kubeless/default/hello')!;
  assert.deepEqual(gone.targets, []);
  assert.equal(h.view().size, 0);
  assert.deepEqual(h.provider.inventory(), []);
});

test('a pod relabelled out of the selector, or to another function, leaves its old group', async () => {
  const h = startProvider();
  const k = h.kube;
  k.apply(F, kubelessFunction('default', 'a'));
  k.apply(F, kubelessFunction('default', 'b'));
  k.apply(P, kubelessPod('default', 'a', 'a-1', { ip: '10.0.0.1' }));
  k.apply(P, kubelessPod('default', 'a', 'a-2', { ip: '10.0.0.2' }));
  await settle();
  assert.deepEqual(h.targetPods('default', 'a'), ['a-1', 'a-2']);

  // Out of the selector: the API server sends DELETED to this watch.
  k.apply(P, kubelessPod('default', 'a', 'a-1', { ip: '10.0.0.1', labels: { function: 'a', debug: 'true' } }));
  await settle();
  assert.deepEqual(h.targetPods('default', 'a'), ['a-2']);

  // Still selected, but now names function b: both groups change.
  k.apply(P, kubelessPod('default', 'a', 'a-2', { ip: '10.0.0.2', labels: { function: 'b', 'created-by': 'kubeless' } }));
  await settle();
  assert.deepEqual(h.targetPods('default', 'a'), []);
  assert.deepEqual(h.targetPods('default', 'b'), ['a-2']);
  const last = h.batches.at(-1)!.map((g) => g.source).sort();
  assert.deepEqual(last, ['kubeless/default/a', 'kubeless/default/b']);
});

test('pods whose Function is gone still show, marked, with runtime and handler from their environment', async () => {
  const h = startProvider();
  const k = h.kube;
  k.apply(F, kubelessFunction('default', 'hello', { runtime: 'nodejs14', handler: 'handler.hello', timeout: '30' }));
  k.apply(P, kubelessPod('default', 'hello', 'hello-1', { ip: '10.0.0.1', runtime: 'nodejs14' }));
  k.apply(P, kubelessPod('default', 'plain', 'plain-1', { ip: '10.0.0.5', runtime: 'python3.8' }));
  await settle();
  let inv = h.provider.inventory();
  assert.deepEqual(inv.map((f) => [f.name, f.hasFunctionObject, f.runtime, f.handler, f.timeoutSeconds]), [
    ['hello', true, 'nodejs14', 'handler.hello', 30],
    ['plain', false, 'python3.8', 'plain.handler', 180],
  ]);

  k.remove(F, 'default', 'hello');
  await settle();
  inv = h.provider.inventory();
  assert.equal(inv.find((f) => f.name === 'hello')!.hasFunctionObject, false);
  assert.deepEqual(h.targetPods('default', 'hello'), ['hello-1'], 'its pods are still scraped');
  assert.equal(h.view().get('kubeless/default/hello')!.labels['runtime'], 'nodejs14');
});

test('CronJob trigger pods are listed apart and never become targets', async () => {
  const h = startProvider();
  const k = h.kube;
  k.apply(F, kubelessFunction('default', 'tick'));
  k.apply(P, kubelessPod('default', 'tick', 'tick-1', { ip: '10.0.0.1' }));
  k.apply(P, cronTriggerPod('default', 'tick', 'trigger-tick-29000000-abcde'));
  await settle();
  assert.deepEqual(h.targetPods('default', 'tick'), ['tick-1']);
  const fn = h.provider.inventory()[0]!;
  assert.deepEqual(fn.pods.map((p) => p.name), ['tick-1']);
  assert.deepEqual(fn.otherPods.map((p) => [p.name, p.role, p.target, p.container]), [['trigger-tick-29000000-abcde', 'trigger', false, null]]);
  assert.equal(h.provider.state().pods, 1);
});

test('the order of events does not change the result', async () => {
  type Op = (k: ReturnType<typeof startProvider>['kube']) => void;
  const ops: Op[] = [
    (k) => k.apply(F, kubelessFunction('default', 'a', { runtime: 'nodejs14' })),
    (k) => k.apply(P, kubelessPod('default', 'a', 'a-1', { ip: '10.0.0.1' })),
    (k) => k.apply(P, kubelessPod('default', 'a', 'a-2', { ip: '10.0.0.2', restarts: 1 })),
    (k) => k.apply(P, kubelessPod('default', 'b', 'b-1', { ip: '10.0.0.3' })),
    (k) => k.apply(P, cronTriggerPod('default', 'a', 'a-trigger')),
    (k) => k.apply('httptriggers', httpTrigger('default', 'a-http', 'a', 'a.example.com', '/')),
  ];
  const orders = [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [1, 3, 0, 5, 2, 4], [2, 0, 4, 1, 5, 3]];
  const results: string[] = [];
  for (const order of orders) {
    // Half the objects exist before the first list, half arrive as watch events.
    const h = startProvider();
    order.slice(0, 3).forEach((i) => ops[i]!(h.kube));
    await settle();
    for (const i of order.slice(3)) {
      ops[i]!(h.kube);
      await settle(2);
    }
    await settle();
    const view = [...h.view().values()].sort((x, y) => x.source.localeCompare(y.source));
    results.push(JSON.stringify({ view, inventory: h.provider.inventory() }));
    await h.provider.stop();
  }
  for (const r of results.slice(1)) assert.equal(r, results[0]);
  assert.match(results[0]!, /a-2/);
});

test('namespaces: one informer per listed namespace, and other namespaces are ignored', async () => {
  const h = startProvider({ namespaces: ['team-a', 'team-b'] });
  const k = h.kube;
  k.apply(P, kubelessPod('team-a', 'f', 'f-1', { ip: '10.0.1.1' }));
  k.apply(P, kubelessPod('team-b', 'f', 'f-1', { ip: '10.0.2.1' }));
  k.apply(P, kubelessPod('other', 'f', 'f-1', { ip: '10.0.3.1' }));
  await settle();
  assert.deepEqual([...h.view().keys()].sort(), ['kubeless/team-a/f', 'kubeless/team-b/f']);
  const podWatches = k.open('pods').map((c) => c.path).sort();
  assert.deepEqual(podWatches, ['/api/v1/namespaces/team-a/pods', '/api/v1/namespaces/team-b/pods']);
  assert.deepEqual(k.open('functions').map((c) => c.path).sort(), [
    '/apis/kubeless.io/v1beta1/namespaces/team-a/functions', '/apis/kubeless.io/v1beta1/namespaces/team-b/functions',
  ]);
});

test('DaemonSet mode: the same node field selector on list and watch; sharded mode: only owned pods', async () => {
  const h = startProvider({ nodeName: 'node-b', ownsPod: (uid) => uid !== 'uid-f-3', labelSelector: 'created-by=kubeless' });
  const k = h.kube;
  k.apply(P, kubelessPod('default', 'f', 'f-1', { ip: '10.0.0.1', node: 'node-a' }));
  k.apply(P, kubelessPod('default', 'f', 'f-2', { ip: '10.0.0.2', node: 'node-b' }));
  k.apply(P, kubelessPod('default', 'f', 'f-3', { ip: '10.0.0.3', node: 'node-b' }));
  await settle();
  assert.deepEqual(h.targetPods('default', 'f'), ['f-2']);
  const podList = k.lists.find((l) => l.plural === 'pods')!;
  assert.deepEqual(podList.selectors, { labelSelector: 'created-by=kubeless', fieldSelector: 'spec.nodeName=node-b' });
  const w = k.open('pods')[0]!;
  assert.equal(w.query['labelSelector'], 'created-by=kubeless');
  assert.equal(w.query['fieldSelector'], 'spec.nodeName=node-b');
  assert.equal(w.query['allowWatchBookmarks'], true);
});

test('trigger CRDs the server does not serve: synced anyway, and picked up when they appear', async () => {
  const { httpError } = await import('../fake-kube.ts');
  const h = startProvider({ backoff: { maxMs: 10_000 } });
  const k = h.kube;
  k.failNextList('httptriggers', httpError(404, 'the server could not find the requested resource'));
  k.apply(F, kubelessFunction('default', 'hello'));
  k.apply(P, kubelessPod('default', 'hello', 'hello-1'));
  await settle();
  assert.equal(h.provider.isSynced(), true);
  const st = h.provider.state().resources.find((r) => r.resource === 'httptriggers')!;
  assert.deepEqual([st.synced, st.absent, st.lastError], [true, true, '']);
  k.apply('httptriggers', httpTrigger('default', 'h', 'hello', 'x.example.com', '/'));
  await h.tick(10_000);
  assert.deepEqual(h.provider.inventory()[0]!.triggers.map((t) => t.name), ['h']);
  assert.equal(h.provider.state().resources.find((r) => r.resource === 'httptriggers')!.absent, false);
});

test('stop closes every watch and nothing is sent afterwards', async () => {
  const h = startProvider();
  h.kube.apply(P, kubelessPod('default', 'f', 'f-1'));
  await settle();
  assert.ok(h.kube.open().length > 0);
  await h.provider.stop();
  await settle();
  assert.equal(h.kube.open().length, 0);
  const n = h.batches.length;
  h.kube.apply(P, kubelessPod('default', 'f', 'f-2'));
  await h.tick(120_000, 10_000);
  assert.equal(h.batches.length, n);
  assert.equal(h.kube.open().length, 0);
});
