import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { resolveConfig, type InventoryFunction } from '../../collector/src/generate/index.ts';
import { CONFIGMAP, GeneratedSync, KindNotServedError, MANAGED_SELECTOR, PROMETHEUS_RULE, desiredObjects, kubeSyncClient, type SyncClient } from '../../collector/src/sync/index.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { startTestCluster, type TestCluster } from '../sandbox/helpers/cluster.ts';
import { at, call, list } from '../sandbox/helpers/http.ts';

let c: TestCluster;
let client: SyncClient;

before(async () => {
  c = await startTestCluster();
  const kc = new KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  client = kubeSyncClient(kc);
  await call(c.url, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'monitoring' } }, headers: { authorization: `Bearer ${c.token}` } });
});
after(async () => {
  await c.close();
});

const auth = (): Record<string, string> => ({ authorization: `Bearer ${c.token}` });
const fn = (name: string, annotations: Record<string, string> = {}): InventoryFunction => ({ namespace: 'default', name, runtime: 'python3.8', handler: `${name}.handler`, annotations });

test('kubeSyncClient applies (create, then update), lists by label and deletes ConfigMaps and PrometheusRules on a Kubernetes API', async () => {
  const objs = desiredObjects({ functions: [fn('hello', { 'fnscope.io/slo-availability': '99.5' })] }, resolveConfig(), new Set(['dashboards', 'rules']), 'monitoring');
  for (const o of objs) await client.apply(o);
  for (const o of objs) await client.apply(o);
  const cms = await client.list(CONFIGMAP, 'monitoring', MANAGED_SELECTOR);
  assert.equal(cms.length, 3);
  const rules = await client.list(PROMETHEUS_RULE, 'monitoring', MANAGED_SELECTOR);
  assert.deepEqual(rules.map((r) => r.name).sort(), ['fnscope', 'fnscope-slo-default-hello']);
  const stored = await call(c.url, 'GET', '/apis/monitoring.coreos.com/v1/namespaces/monitoring/prometheusrules/fnscope', { headers: auth() });
  assert.ok(list(stored.json, 'spec.groups').length > 3, 'the rule groups are stored');
  const cm = await call(c.url, 'GET', '/api/v1/namespaces/monitoring/configmaps/fnscope-overview', { headers: auth() });
  assert.equal(at(cm.json, 'metadata.labels.grafana_dashboard'), '1');
  assert.equal((JSON.parse((at(cm.json, 'data') as Record<string, string>)['fnscope-overview.json']!) as { uid: string }).uid, 'fnscope-overview');
  await client.delete(PROMETHEUS_RULE, 'monitoring', 'fnscope-slo-default-hello');
  await client.delete(PROMETHEUS_RULE, 'monitoring', 'fnscope-slo-default-hello');
  assert.deepEqual((await client.list(PROMETHEUS_RULE, 'monitoring', MANAGED_SELECTOR)).map((r) => r.name), ['fnscope']);
});

test('a kind the API does not serve is reported as such', async () => {
  await assert.rejects(client.list({ apiVersion: 'monitoring.coreos.com/v1', kind: 'AlertmanagerConfig' }, 'monitoring', MANAGED_SELECTOR), KindNotServedError);
});

test('GeneratedSync against the API: functions added, annotated and removed', async () => {
  let functions = [fn('hello'), fn('bikesearch')];
  const sync = new GeneratedSync({
    client, clock: systemClock, namespace: 'default', kinds: new Set(['dashboards', 'rules']), config: resolveConfig(),
    inventory: () => ({ functions }), debounceMs: 20, checkMs: 50, maxDelayMs: 200,
  });
  const names = async (path: string): Promise<string[]> => list((await call(c.url, 'GET', `${path}?labelSelector=${encodeURIComponent(MANAGED_SELECTOR)}`, { headers: auth() })).json, 'items').map((i) => at(i, 'metadata.name') as string).sort();
  const cmPath = '/api/v1/namespaces/default/configmaps';
  const rulePath = '/apis/monitoring.coreos.com/v1/namespaces/default/prometheusrules';
  try {
    sync.start();
    await c.until('the first sync', async () => (await names(cmPath)).length === 4);
    functions = [fn('hello', { 'fnscope.io/slo-latency': '0.25s@99' }), fn('bikesearch')];
    await c.until('the SLO rule of hello', async () => (await names(rulePath)).includes('fnscope-slo-default-hello'));
    functions = [fn('hello', { 'fnscope.io/slo-latency': '0.25s@99' })];
    sync.notify();
    await c.until("bikesearch's dashboard to go", async () => (await names(cmPath)).length === 3);
    assert.ok(!(await names(cmPath)).some((n) => n.includes('bikesearch')));
    assert.equal(sync.state().lastError, null);
  } finally {
    await sync.stop();
  }
});
