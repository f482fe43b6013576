import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../helpers/cluster.ts';
import { at, call, list } from '../helpers/http.ts';
import type { KObject } from '../../../collector/src/sandbox/apiserver/types.ts';

let c: TestCluster;

before(async () => {
  c = await startTestCluster();
});
after(async () => {
  await c.close();
});

const podsOf = (fn: string, ns = 'default'): KObject[] => c.api.store.list('pods', ns).filter((p) => p.metadata.labels?.['function'] === fn && !p.metadata.ownerReferences?.some((o) => o.kind === 'Job'));
const ready = (p: KObject): boolean => list(p, 'status.conditions').some((x) => at(x, 'type') === 'Ready' && at(x, 'status') === 'True');
const readyPods = (fn: string): KObject[] => podsOf(fn).filter((p) => ready(p) && !p.metadata.deletionTimestamp);
const events = (name: string): Array<{ reason: string; type: string; message: string }> =>
  c.api.store.list('events', 'default').filter((e) => at(e, 'involvedObject.name') === name).map((e) => ({ reason: String(e['reason']), type: String(e['type']), message: String(e['message']) }));

test('a Function gets the objects Kubeless creates, labelled and annotated as Kubeless does', async () => {
  const fn = c.createFunction('shape', { deps: 'requests==2.31.0', timeout: '30', deployment: { spec: { template: { spec: { containers: [{ env: [{ name: 'GREETING', value: 'hi' }] }] } } } } });
  const [pod] = await c.until('a ready pod', () => (readyPods('shape').length === 1 ? readyPods('shape') : undefined));
  const p = pod!;
  const name = p.metadata.name!;
  const hash = p.metadata.labels!['pod-template-hash']!;
  assert.deepEqual(p.metadata.labels, { function: 'shape', 'created-by': 'kubeless', 'pod-template-hash': hash });
  const port = Number(at(p, 'spec.containers.0.ports.0.containerPort'));
  assert.deepEqual(p.metadata.annotations, { 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics', 'prometheus.io/port': String(port) });
  assert.equal(name.startsWith(`shape-${hash}-`), true);
  assert.equal(at(p, 'spec.nodeName'), 'fnscope-sandbox');
  assert.equal(list(p, 'spec.containers').length, 1);
  assert.equal(at(p, 'spec.containers.0.name'), 'shape');
  assert.deepEqual(at(p, 'spec.containers.0.env'), [
    { name: 'GREETING', value: 'hi' }, { name: 'FUNC_HANDLER', value: 'handler' }, { name: 'MOD_NAME', value: 'shape' }, { name: 'FUNC_TIMEOUT', value: '30' },
    { name: 'FUNC_RUNTIME', value: 'python3.8' }, { name: 'FUNC_MEMORY_LIMIT', value: '0' }, { name: 'FUNC_PORT', value: String(port) },
  ]);
  assert.deepEqual(at(p, 'spec.containers.0.livenessProbe.httpGet'), { path: '/healthz', port, scheme: 'HTTP' });
  assert.deepEqual(list(p, 'spec.initContainers').map((x) => at(x, 'name')), ['prepare', 'install']);
  assert.equal(at(p, 'status.podIP'), '127.0.0.1');
  assert.deepEqual(list(p, 'status.conditions').map((x) => [at(x, 'type'), at(x, 'status')]), [['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True']]);
  assert.equal(at(p, 'status.containerStatuses.0.restartCount'), 0);
  assert.ok(at(p, 'status.containerStatuses.0.state.running.startedAt'));
  assert.equal(at(p, 'status.initContainerStatuses.0.state.terminated.reason'), 'Completed');
  // The kubelet was asked to run exactly this function on exactly this port.
  const run = c.fake!.pod(name);
  assert.deepEqual({ ...run.spec.function }, { namespace: 'default', name: 'shape', runtime: 'python3.8', handler: 'shape.handler', source: at(fn, 'spec.function'), timeoutSeconds: 30, deps: 'requests==2.31.0', env: { GREETING: 'hi' } });
  assert.equal(run.spec.port, port);
  assert.equal(run.spec.containerName, 'shape');
  // Owner chain Function <- Deployment <- ReplicaSet <- Pod; Service and ConfigMap owned by the Function.
  const rs = c.api.store.get('replicasets.apps', 'default', `shape-${hash}`)!;
  const deploy = c.api.store.get('deployments.apps', 'default', 'shape')!;
  assert.equal(at(p, 'metadata.ownerReferences.0.uid'), rs.metadata.uid);
  assert.equal(rs.metadata.ownerReferences![0]!.uid, deploy.metadata.uid);
  assert.deepEqual(deploy.metadata.ownerReferences, [{ apiVersion: 'kubeless.io/v1beta1', kind: 'Function', name: 'shape', uid: fn.metadata.uid }]);
  const svc = c.api.store.get('services', 'default', 'shape');
  assert.deepEqual(at(svc, 'spec.ports'), [{ name: 'http-function-port', protocol: 'TCP', port: 8080, targetPort: 8080 }]);
  assert.deepEqual(at(svc, 'spec.selector'), { function: 'shape', 'created-by': 'kubeless' });
  assert.equal(at(svc, 'metadata.ownerReferences.0.uid'), fn.metadata.uid);
  const cm = c.api.store.get('configmaps', 'default', 'shape');
  assert.deepEqual(Object.keys(at(cm, 'data') as object).sort(), ['handler', 'requirements.txt', 'shape.py']);
  await c.until('deployment status 1/1', () => at(c.api.store.get('deployments.apps', 'default', 'shape'), 'status.readyReplicas') === 1);
  assert.deepEqual(events(name).map((e) => e.reason).slice(0, 4), ['Scheduled', 'Pulled', 'Created', 'Started']);
});

test('replicas come from spec.deployment.spec.replicas and follow changes', async () => {
  c.createFunction('many', { deployment: { spec: { replicas: 3 } } });
  await c.until('3 ready pods', () => readyPods('many').length === 3);
  const ports = new Set(podsOf('many').map((p) => at(p, 'spec.containers.0.ports.0.containerPort')));
  assert.equal(ports.size, 3, 'each pod has a port of its own');
  await call(c.url, 'PATCH', '/apis/kubeless.io/v1beta1/namespaces/default/functions/many', { body: { spec: { deployment: { spec: { replicas: 1 } } } }, type: 'application/merge-patch+json' });
  await c.until('1 pod left', () => podsOf('many').length === 1);
});

test('a deleted pod is replaced, like a ReplicaSet does; the kubelet stops it with the grace period', async () => {
  c.createFunction('phoenix');
  const [first] = await c.until('a ready pod', () => (readyPods('phoenix').length === 1 ? readyPods('phoenix') : undefined));
  const name = first!.metadata.name!;
  const r = await call(c.url, 'DELETE', `/api/v1/namespaces/default/pods/${name}?gracePeriodSeconds=7`);
  assert.equal(r.status, 202);
  await c.until('a replacement', () => readyPods('phoenix').some((p) => p.metadata.name !== name));
  await c.until('the old pod removed', () => !c.api.store.get('pods', 'default', name));
  const stopped = c.fake!.pods.find((p) => p.spec.podName === name)!;
  assert.equal(stopped.stopped, true);
  assert.equal(stopped.stopGraceMs, 7000);
  assert.ok(events(name).some((e) => e.reason === 'Killing' && e.message === 'Stopping container phoenix'));
});

test('changing the source rolls out: the new pod is ready before the old one goes', async () => {
  c.createFunction('roll');
  const [old] = await c.until('a ready pod', () => (readyPods('roll').length === 1 ? readyPods('roll') : undefined));
  const seen: Array<{ name: string; type: string; ready: boolean }> = [];
  const unsub = c.api.store.subscribe((e) => {
    if (e.key === 'pods' && e.object.metadata.labels?.['function'] === 'roll') seen.push({ name: e.object.metadata.name!, type: e.type, ready: ready(e.object) });
  });
  const newSource = 'def handler(event, context):\n    return "v2"\n';
  await call(c.url, 'PATCH', '/apis/kubeless.io/v1beta1/namespaces/default/functions/roll', { body: { spec: { function: newSource } }, type: 'application/merge-patch+json' });
  await c.until('only the new pod', () => podsOf('roll').length === 1 && podsOf('roll')[0]!.metadata.name !== old!.metadata.name && ready(podsOf('roll')[0]!));
  unsub();
  const newName = podsOf('roll')[0]!.metadata.name!;
  const newReadyAt = seen.findIndex((s) => s.name === newName && s.ready);
  const oldTerminatingAt = seen.findIndex((s) => s.name === old!.metadata.name && s.type === 'MODIFIED' && !s.ready);
  assert.ok(newReadyAt >= 0 && oldTerminatingAt > newReadyAt, 'maxUnavailable 0: the old pod stops after the new one is ready');
  assert.equal(c.fake!.pod(newName).spec.function.source, newSource);
  const rss = c.api.store.list('replicasets.apps', 'default').filter((r) => r.metadata.labels?.['function'] === 'roll');
  assert.deepEqual(rss.map((r) => [at(r, 'spec.replicas'), r.metadata.annotations?.['deployment.kubernetes.io/revision']]).sort(), [[0, '1'], [1, '2']]);
});

test('deleting the Function removes its Deployment, ReplicaSets, Service, ConfigMap and pods', async () => {
  c.createFunction('doomed');
  await c.until('a ready pod', () => readyPods('doomed').length === 1);
  const r = await call(c.url, 'DELETE', '/apis/kubeless.io/v1beta1/namespaces/default/functions/doomed');
  assert.equal(r.status, 200);
  await c.until('everything gone', () =>
    podsOf('doomed').length === 0 && !c.api.store.get('deployments.apps', 'default', 'doomed') && !c.api.store.get('services', 'default', 'doomed') &&
    !c.api.store.get('configmaps', 'default', 'doomed') && c.api.store.list('replicasets.apps', 'default').every((x) => x.metadata.labels?.['function'] !== 'doomed'));
});

test('crashes show as restartCount, lastState and a BackOff event', async () => {
  c.createFunction('crashy');
  const [p] = await c.until('a ready pod', () => (readyPods('crashy').length === 1 ? readyPods('crashy') : undefined));
  const fake = c.fake!.pod(p!.metadata.name!);
  fake.crash(1);
  fake.crash(2, { restart: false });
  const st = await c.until('CrashLoopBackOff in status', () => {
    const s = at(c.api.store.get('pods', 'default', p!.metadata.name!), 'status.containerStatuses.0');
    return at(s, 'state.waiting.reason') === 'CrashLoopBackOff' ? s : undefined;
  });
  assert.equal(at(st, 'restartCount'), 1);
  assert.equal(at(st, 'lastState.terminated.exitCode'), 2);
  assert.equal(at(st, 'ready'), false);
  await c.until('BackOff event', () => events(p!.metadata.name!).some((e) => e.reason === 'BackOff' && e.type === 'Warning'));
});

test('a Function that cannot be deployed gets a Warning event and no pods', async () => {
  c.createFunction('broken', { handler: 'nodot' });
  await c.until('FailedDeploy event', () => events('broken').some((e) => e.reason === 'FailedDeploy' && /incorrect handler format/.test(e.message)));
  assert.equal(podsOf('broken').length, 0);
});

test('CronJobTrigger pods: container "trigger", the function labels, no scrape annotations, kept three at a time', async () => {
  c.createFunction('ticked');
  await c.until('a ready pod', () => readyPods('ticked').length === 1);
  await call(c.url, 'POST', '/apis/kubeless.io/v1beta1/namespaces/default/cronjobtriggers', {
    body: { metadata: { name: 'ticked' }, spec: { 'function-name': 'ticked', schedule: '*/5 * * * *', payload: { ping: true } } },
  });
  let last: KObject | undefined;
  for (let i = 0; i < 4; i++) last = await c.controller.fireTrigger('default', 'ticked');
  const tp = last!;
  assert.equal(at(tp, 'status.phase'), 'Succeeded');
  assert.deepEqual(list(tp, 'spec.containers').map((x) => at(x, 'name')), ['trigger']);
  assert.equal(tp.metadata.labels?.['function'], 'ticked');
  assert.equal(tp.metadata.labels?.['created-by'], 'kubeless');
  assert.equal(tp.metadata.annotations?.['prometheus.io/scrape'], undefined);
  const log = await call(c.url, 'GET', `/api/v1/namespaces/default/pods/${tp.metadata.name!}/log`);
  assert.match(log.text, /"body": ?"\{\\"ping\\":true\}"|\{"ping":true\}/);
  const triggers = c.api.store.list('pods', 'default').filter((x) => x.metadata.ownerReferences?.some((o) => o.kind === 'Job'));
  assert.equal(triggers.length, 3);
});

test('deleting a namespace deletes what is in it, then the namespace', async () => {
  await call(c.url, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'scratch' } } });
  c.createFunction('inns', {}, 'scratch');
  await c.until('a ready pod in scratch', () => podsOf('inns', 'scratch').some(ready));
  const nsDef = c.def('namespaces');
  const r = c.api.registry.delete(nsDef, undefined, 'scratch');
  assert.equal(r.deleted, false);
  assert.equal(at(r.object, 'status.phase'), 'Terminating');
  // In the same tick, before the controller has emptied it: new content is refused.
  assert.throws(() => c.createFunction('late', {}, 'scratch'), { code: 403, message: /unable to create new content in namespace scratch because it is being terminated/ });
  await c.until('namespace gone', () => !c.api.store.get('namespaces', undefined, 'scratch'));
  assert.equal(c.api.store.list('pods', 'scratch').length, 0);
  assert.equal(c.api.store.list('functions.kubeless.io', 'scratch').length, 0);
});

test('Events expire after the event TTL, as kube-apiserver drops them', async () => {
  await c.controller.idle();
  const before = c.api.store.list('events').length;
  assert.ok(before > 0);
  assert.equal(c.controller.sweepEvents(), 0, 'nothing is older than an hour yet');
  const evDef = c.def('events');
  const old = c.api.store.list('events')[0]!;
  c.api.registry.mutate(evDef, old.metadata.namespace, old.metadata.name!, (e) => {
    e['lastTimestamp'] = '2020-01-01T00:00:00Z';
  });
  assert.equal(c.controller.sweepEvents(), 1);
  assert.equal(c.api.store.get('events', old.metadata.namespace, old.metadata.name!), undefined);
});

test('old ReplicaSets are kept up to revisionHistoryLimit (10)', async () => {
  c.createFunction('revs');
  for (let i = 1; i <= 12; i++) {
    await call(c.url, 'PATCH', '/apis/kubeless.io/v1beta1/namespaces/default/functions/revs', { body: { spec: { function: `def handler(e, c):\n    return ${i}\n` } }, type: 'application/merge-patch+json' });
    await c.until(`rollout ${i}`, () => {
      const ps = podsOf('revs');
      return ps.length === 1 && ready(ps[0]!) && c.fake!.pods.some((fp) => fp.spec.podName === ps[0]!.metadata.name && fp.spec.function.source.includes(`return ${i}`));
    });
  }
  await c.controller.idle();
  const rss = c.api.store.list('replicasets.apps', 'default').filter((r) => r.metadata.labels?.['function'] === 'revs');
  assert.equal(rss.length, 11);
  const revs = rss.map((r) => Number(r.metadata.annotations?.['deployment.kubernetes.io/revision'])).sort((a, b) => a - b);
  assert.deepEqual(revs, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
});
