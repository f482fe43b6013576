/**
 * Discovery with the real @kubernetes/client-node against the sandbox's Kubernetes API server over
 * HTTP: objects appear, pods are replaced, a Function is applied and deleted through the API, watches
 * are cut and expire (410), and the API server goes away and comes back on the same port. The last
 * test runs the whole sandbox (controller and real function processes) and scrapes what it finds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { ApiServer } from '../../collector/src/sandbox/apiserver/server.ts';
import { seedCluster } from '../../collector/src/sandbox/apiserver/seed.ts';
import type { ResourceDef } from '../../collector/src/sandbox/apiserver/resources.ts';
import { startSandbox } from '../../collector/src/sandbox/index.ts';
import { createKubelet } from '../../collector/src/sandbox/kubelet/index.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DiscoveryManager, KubernetesProvider, MemoryDiscoveryMetrics, createDiscovery, kubeClientFromConfig, loadKubeConfig,
} from '../../collector/src/discovery/index.ts';
import type { TargetGroup } from '../../collector/src/discovery/index.ts';
import { fold } from './harness.ts';

const DEADLINE_MS = 15_000;

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Cluster {
  srv: ApiServer;
  url: string;
  kc: KubeConfig;
  def(resource: string, group?: string): ResourceDef;
  pod(ns: string, fn: string, name: string, ip: string, extra?: { labels?: Record<string, string>; restarts?: number }): void;
  fn(ns: string, name: string, runtime: string): void;
}

async function cluster(port = 0, store?: ApiServer['store']): Promise<Cluster> {
  const srv = new ApiServer({ port, ...(store ? { store } : {}), watch: { bookmarkIntervalMs: 1000 } });
  if (!store) seedCluster(srv.registry, { nodeName: 'sandbox' });
  const url = await srv.listen();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sandbox', server: url, skipTLSVerify: true }], users: [{ name: 'fnscope' }],
    contexts: [{ name: 'sandbox', cluster: 'sandbox', user: 'fnscope' }], currentContext: 'sandbox',
  });
  const def = (resource: string, group = ''): ResourceDef => srv.resources.all.find((d) => d.resource === resource && d.group === group)!;
  return {
    srv, url, kc, def,
    pod(ns, fn, name, ip, extra = {}) {
      srv.registry.create(def('pods'), ns, {
        apiVersion: 'v1', kind: 'Pod',
        metadata: {
          name, namespace: ns, labels: extra.labels ?? { function: fn, 'created-by': 'kubeless' },
          annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics', 'prometheus.io/port': '8080' },
        },
        spec: { nodeName: 'sandbox', containers: [{ name: fn, image: 'kubeless/python:3.8', ports: [{ containerPort: 8080 }] }] },
      });
      srv.registry.mutate(def('pods'), ns, name, (o) => {
        o['status'] = {
          ...(o['status'] as object), phase: 'Running', podIP: ip, startTime: new Date(systemClock.now()).toISOString(),
          conditions: [{ type: 'Ready', status: 'True' }],
          containerStatuses: [{ name: fn, ready: true, restartCount: extra.restarts ?? 0, image: 'kubeless/python:3.8', imageID: '', started: true, state: { running: {} } }],
        };
      });
    },
    fn(ns, name, runtime) {
      srv.registry.create(def('functions', 'kubeless.io'), ns, {
        apiVersion: 'kubeless.io/v1beta1', kind: 'Function',
        metadata: { name, namespace: ns, labels: { function: name, 'created-by': 'kubeless' } },
        spec: { runtime, handler: `${name}.handler`, timeout: '180', function: 'def handler(event, context):\n  return event\n', 'function-content-type': 'text', deps: '' },
      });
    },
  };
}

function startDiscovery(c: Cluster) {
  const metrics = new MemoryDiscoveryMetrics();
  const provider = new KubernetesProvider({
    client: kubeClientFromConfig(c.kc), kubeConfig: c.kc, clock: systemClock, backoff: { baseMs: 50, maxMs: 500 }, metrics,
  });
  const manager = new DiscoveryManager({ providers: [provider], clock: systemClock, batchMs: 20 });
  const batches: TargetGroup[][] = [];
  manager.subscribe((g) => batches.push(g));
  manager.start();
  const pods = (ns: string, fn: string): string[] =>
    (fold(batches).get(`kubeless/${ns}/${fn}`)?.targets ?? []).map((t) => t.labels['pod'] ?? '').sort();
  return { provider, manager, batches, pods, metrics };
}

test('functions and pods appear; pods are replaced; a Function is applied and deleted through the API', async (t) => {
  const c = await cluster();
  t.after(() => c.srv.close());
  c.fn('default', 'hello', 'python3.8');
  c.pod('default', 'hello', 'hello-7d9f-aaaaa', '127.0.10.1');
  c.pod('default', 'hello', 'hello-7d9f-bbbbb', '127.0.10.2', { restarts: 2 });
  c.pod('default', 'orphan', 'orphan-1', '127.0.10.9');
  const d = startDiscovery(c);
  t.after(() => d.manager.stop());

  await d.manager.ready();
  await until(() => d.pods('default', 'hello').length === 2, 'both hello pods');
  const inv = d.manager.inventory().functions;
  assert.deepEqual(inv.map((f) => [f.name, f.hasFunctionObject, f.runtime]), [['hello', true, 'python3.8'], ['orphan', false, null]]);
  const g = fold(d.batches).get('kubeless/default/hello')!;
  assert.deepEqual(g.labels, { namespace: 'default', function: 'hello', runtime: 'python3.8' });
  assert.deepEqual(g.targets.map((x) => x.address).sort(), ['127.0.10.1:8080', '127.0.10.2:8080']);
  assert.equal(g.targets.find((x) => x.labels['pod'] === 'hello-7d9f-bbbbb')!.pod!.restarts, 2);
  assert.match(inv[0]!.pods[0]!.startTime ?? '', /^\d{4}-\d\d-\d\dT/, 'list (Date) and watch (string) timestamps both read');

  // Replace a pod: graceful delete (terminating, still scraped), then gone, and a new one.
  c.srv.registry.delete(c.def('pods'), 'default', 'hello-7d9f-aaaaa');
  await until(() => d.manager.inventory().functions[0]!.pods.some((p) => p.name === 'hello-7d9f-aaaaa' && p.terminating), 'the terminating flag');
  assert.deepEqual(d.pods('default', 'hello'), ['hello-7d9f-aaaaa', 'hello-7d9f-bbbbb']);
  c.srv.registry.remove(c.def('pods'), 'default', 'hello-7d9f-aaaaa');
  c.pod('default', 'hello', 'hello-7d9f-ccccc', '127.0.10.3');
  await until(() => d.pods('default', 'hello').join() === 'hello-7d9f-bbbbb,hello-7d9f-ccccc', 'the replacement pod');

  // Apply and delete a Function with client-node's own API.
  const api = c.kc.makeApiClient(CustomObjectsApi);
  const body = {
    apiVersion: 'kubeless.io/v1beta1', kind: 'Function',
    metadata: { name: 'bikesearch', namespace: 'default', annotations: { 'fnscope.io/slo-availability': '99.5' } },
    spec: { runtime: 'nodejs14', handler: 'handler.search', timeout: '30', function: 'module.exports = {}', 'function-content-type': 'text', deps: '' },
  };
  await api.createNamespacedCustomObject({ group: 'kubeless.io', version: 'v1beta1', namespace: 'default', plural: 'functions', body });
  await until(() => d.manager.inventory().functions.some((f) => f.name === 'bikesearch'), 'the applied Function');
  const bike = d.manager.inventory().functions.find((f) => f.name === 'bikesearch')!;
  assert.deepEqual([bike.runtime, bike.handler, bike.timeoutSeconds, bike.slo['availability']], ['nodejs14', 'handler.search', 30, '99.5']);
  await api.deleteNamespacedCustomObject({ group: 'kubeless.io', version: 'v1beta1', namespace: 'default', plural: 'functions', name: 'bikesearch' });
  await until(() => !d.manager.inventory().functions.some((f) => f.name === 'bikesearch'), 'the deleted Function to go');

  // Relabel a pod out of the selector.
  c.srv.registry.mutate(c.def('pods'), 'default', 'hello-7d9f-ccccc', (o) => {
    o.metadata.labels = { function: 'hello', 'created-by': 'someone-else' };
  });
  await until(() => d.pods('default', 'hello').join() === 'hello-7d9f-bbbbb', 'the relabelled pod to leave');
  const st = d.manager.state().providers[0]!;
  assert.equal(st.synced, true);
  assert.equal(st.lastError, '');
});

test('watches cut and expired (410): discovery re-lists and catches up', async (t) => {
  const c = await cluster();
  t.after(() => c.srv.close());
  c.fn('default', 'hello', 'python3.8');
  c.pod('default', 'hello', 'hello-1', '127.0.11.1');
  const d = startDiscovery(c);
  t.after(() => d.manager.stop());
  await d.manager.ready();
  await until(() => d.pods('default', 'hello').length === 1, 'the first pod');

  assert.ok(c.srv.closeWatches({ abrupt: true }) >= 2);
  c.pod('default', 'hello', 'hello-2', '127.0.11.2');
  await until(() => d.pods('default', 'hello').length === 2, 'a pod added after an abrupt disconnect');

  const podLists = (): number => d.metrics.get('fnscope_discovery_lists_total', { provider: 'kubernetes', resource: 'pods' }) ?? 0;
  const listsBefore = podLists();
  const podErrors = (): number => d.metrics.get('fnscope_discovery_errors_total', { provider: 'kubernetes', resource: 'pods' }) ?? 0;
  const errorsBefore = podErrors();
  assert.equal(errorsBefore, 1, 'the abrupt disconnect was an error, and restarted the informer');
  c.srv.closeWatches();
  c.srv.registry.remove(c.def('pods'), 'default', 'hello-1');
  c.pod('default', 'hello', 'hello-3', '127.0.11.3');
  c.srv.compactHistory();
  await until(() => d.pods('default', 'hello').join() === 'hello-2,hello-3', 'the state after 410 and a re-list');
  assert.ok(podLists() > listsBefore, 'the pods were listed again');
  assert.equal(podErrors(), errorsBefore, 'a clean close and 410 Gone are not errors');
  assert.equal(d.metrics.get('fnscope_discovery_events_total', { provider: 'kubernetes', resource: 'pods', type: 'ERROR' }), 1, 'the 410 ERROR event');
});

test('API outage: last good targets kept and nothing partial sent; recovery when the server returns', async (t) => {
  let c = await cluster();
  const port = Number(new URL(c.url).port);
  t.after(() => c.srv.close());
  c.fn('default', 'a', 'python3.8');
  c.fn('default', 'b', 'nodejs14');
  c.pod('default', 'a', 'a-1', '127.0.12.1');
  c.pod('default', 'a', 'a-2', '127.0.12.2');
  c.pod('default', 'b', 'b-1', '127.0.12.3');
  const d = startDiscovery(c);
  t.after(() => d.manager.stop());
  await d.manager.ready();
  await until(() => d.pods('default', 'a').length === 2 && d.pods('default', 'b').length === 1, 'both functions');
  const sent = d.batches.length;

  const store = c.srv.store;
  const registry = c.srv.registry;
  await c.srv.close();
  await until(() => /ECONNREFUSED|fetch failed|socket|closed/i.test(d.manager.state().providers[0]!.lastError), 'the outage to be reported');
  // The cluster changes while the API is unreachable.
  registry.remove(c.def('pods'), 'default', 'a-1');
  registry.remove(c.def('pods'), 'default', 'b-1');
  registry.remove(c.def('functions', 'kubeless.io'), 'default', 'b');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(d.batches.length, sent, 'nothing was sent during the outage');
  assert.deepEqual(d.pods('default', 'a'), ['a-1', 'a-2']);
  assert.deepEqual(d.manager.inventory().functions.map((f) => f.name), ['a', 'b'], 'the inventory keeps its last good state');

  c = await cluster(port, store);
  c.pod('default', 'a', 'a-3', '127.0.12.4');
  await until(() => d.pods('default', 'a').join() === 'a-2,a-3' && !fold(d.batches).has('kubeless/default/b'), 'recovery');
  for (const b of d.batches.slice(sent)) {
    for (const g of b) if (g.source === 'kubeless/default/a') assert.ok(g.targets.length >= 1, 'a is never sent empty');
  }
  const st = d.manager.state().providers[0]!;
  assert.ok(st.restarts >= 1, 'informers were restarted');
  assert.equal(st.synced, true);
});

test('createDiscovery: a kubeconfig file and a file_sd file, merged into one stream and one inventory', async (t) => {
  const c = await cluster();
  t.after(() => c.srv.close());
  c.fn('default', 'hello', 'python3.8');
  c.pod('default', 'hello', 'hello-1', '127.0.13.1');
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-discovery-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, c.kc.exportConfig());
  const targets = join(dir, 'targets.yaml');
  writeFileSync(targets, '- targets: ["127.0.0.1:9999"]\n  labels: {namespace: edge, function: resize, runtime: go1.14}\n');

  const metrics = new MemoryDiscoveryMetrics();
  const m = createDiscovery({ kubernetes: { kubeConfig: loadKubeConfig(kubeconfig) }, files: [targets], batchMs: 20 }, { clock: systemClock, metrics });
  const batches: TargetGroup[][] = [];
  m.subscribe((g) => batches.push(g));
  m.start();
  t.after(() => m.stop());
  await m.ready();
  await until(() => fold(batches).size === 2, 'both providers\' groups');
  assert.deepEqual([...fold(batches).keys()].sort(), [`file:${targets}:0`, 'kubeless/default/hello']);
  assert.deepEqual(m.inventory().functions.map((f) => [f.namespace, f.name, f.framework]), [['default', 'hello', 'kubeless'], ['edge', 'resize', 'file']]);
  assert.deepEqual(m.state().providers.map((p) => [p.name, p.kind, p.synced]), [['kubernetes', 'kubernetes', true], ['file', 'file', true]]);
  assert.equal(metrics.get('fnscope_discovery_targets', { provider: 'file' }), 1);
  assert.equal(metrics.get('fnscope_discovery_targets', { provider: 'kubernetes' }), 1);
});

test('the sandbox cluster: demo functions discovered with live targets; a crash, a replaced pod, a Function applied and deleted', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-sandbox-'));
  const sb = await startSandbox({
    dataDir: dir, traffic: false, kubelet: createKubelet({ restartBackoff: { initialMs: 100, maxMs: 1000 }, workRoot: dir }),
  });
  const kc = loadKubeConfig(sb.kubeconfigPath);
  const d = createDiscovery({ kubernetes: { kubeConfig: kc, backoff: { baseMs: 50, maxMs: 500 } }, batchMs: 20 }, { clock: systemClock });
  t.after(async () => {
    await d.stop();
    await sb.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  assert.ok(sb.demoFunctions.length > 0);
  const batches: TargetGroup[][] = [];
  d.subscribe((g) => batches.push(g));
  d.start();
  await d.ready();

  const fn = (name: string) => d.inventory().functions.find((f) => f.name === name);
  const names = sb.demoFunctions.map((k) => k.split('/')[1]!);
  await until(() => names.every((n) => fn(n)?.pods.some((p) => p.ready && p.target) === true), 'every demo function with a ready target');
  for (const g of fold(batches).values()) {
    for (const target of g.targets) {
      const res = await fetch(`${target.scheme}://${target.address}${target.metricsPath}`);
      assert.equal(res.status, 200, `${g.source} ${target.address}`);
      await res.arrayBuffer();
    }
  }
  const hello = fn('hello') ?? fn(names[0]!)!;
  assert.equal(hello.hasFunctionObject, true);
  assert.ok(hello.runtime);

  // A crash restarts the function container: the restart count shows.
  if (names.includes('orders')) {
    await sb.invoke('default', 'orders', { method: 'POST', body: JSON.stringify({ id: 'A-1' }), headers: { 'content-type': 'application/json' } });
    await until(() => (fn('orders')?.pods[0]?.restarts ?? 0) >= 1, 'the restart of the orders pod');
  }

  // Delete a pod: the controller replaces it, discovery follows.
  const core = kc.makeApiClient(CoreV1Api);
  const victim = hello.pods[0]!;
  await core.deleteNamespacedPod({ name: victim.name, namespace: 'default', gracePeriodSeconds: 0 });
  await until(() => {
    const pods = fn(hello.name)?.pods ?? [];
    return !pods.some((p) => p.uid === victim.uid) && pods.some((p) => p.target && p.ready);
  }, 'the replacement pod');

  // Apply a Function through the API: its pod becomes a target; delete it: its group goes.
  const api = kc.makeApiClient(CustomObjectsApi);
  const manifest = structuredClone((await api.getNamespacedCustomObject({ group: 'kubeless.io', version: 'v1beta1', namespace: 'default', plural: 'functions', name: hello.name })) as { metadata: Record<string, unknown>; spec: unknown });
  const body = { apiVersion: 'kubeless.io/v1beta1', kind: 'Function', metadata: { name: 'echo2', namespace: 'default' }, spec: manifest.spec };
  await api.createNamespacedCustomObject({ group: 'kubeless.io', version: 'v1beta1', namespace: 'default', plural: 'functions', body });
  await until(() => (fold(batches).get('kubeless/default/echo2')?.targets.length ?? 0) === 1, 'the new function\'s target');
  await api.deleteNamespacedCustomObject({ group: 'kubeless.io', version: 'v1beta1', namespace: 'default', plural: 'functions', name: 'echo2' });
  await until(() => !fold(batches).has('kubeless/default/echo2') && fn('echo2') === undefined, 'the deleted function to go');
  assert.equal(d.state().providers[0]!.lastError, '');
});
