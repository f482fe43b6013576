import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../helpers/cluster.ts';
import { at, call, list } from '../helpers/http.ts';

let c: TestCluster;
const RULES = '/apis/monitoring.coreos.com/v1/namespaces/default/prometheusrules';

before(async () => {
  c = await startTestCluster();
});
after(async () => {
  await c.close();
});

const ruleYaml = (expr: string): string =>
  `apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: fnscope\n  labels:\n    app.kubernetes.io/managed-by: fnscope\nspec:\n  groups:\n    - name: g\n      rules:\n        - record: r\n          expr: ${expr}\n`;

test('prometheusrules (monitoring.coreos.com/v1) are served as a namespaced custom resource, with their CRD', async () => {
  const rl = await call(c.url, 'GET', '/apis/monitoring.coreos.com/v1');
  assert.deepEqual(list(rl.json, 'resources').map((r) => [at(r, 'name'), at(r, 'kind'), at(r, 'namespaced')]), [['prometheusrules', 'PrometheusRule', true]]);
  const crd = await call(c.url, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/prometheusrules.monitoring.coreos.com');
  assert.equal(crd.status, 200);
  assert.equal(at(crd.json, 'spec.names.kind'), 'PrometheusRule');
});

test('server-side apply creates and then updates a PrometheusRule; label selectors and delete work', async () => {
  const created = await call(c.url, 'PATCH', `${RULES}/fnscope?fieldManager=fnscope&force=true`, { body: ruleYaml('up'), type: 'application/apply-patch+yaml' });
  assert.equal(created.status, 201);
  const updated = await call(c.url, 'PATCH', `${RULES}/fnscope?fieldManager=fnscope&force=true`, { body: ruleYaml('vector(1)'), type: 'application/apply-patch+yaml' });
  assert.equal(updated.status, 200);
  assert.equal(at(updated.json, 'spec.groups.0.rules.0.expr'), 'vector(1)');
  const mine = await call(c.url, 'GET', `${RULES}?labelSelector=${encodeURIComponent('app.kubernetes.io/managed-by=fnscope')}`);
  assert.deepEqual(list(mine.json, 'items').map((i) => at(i, 'metadata.name')), ['fnscope']);
  const others = await call(c.url, 'GET', `${RULES}?labelSelector=${encodeURIComponent('app.kubernetes.io/managed-by=helm')}`);
  assert.deepEqual(list(others.json, 'items'), []);
  assert.equal((await call(c.url, 'DELETE', `${RULES}/fnscope`)).status, 200);
  assert.equal((await call(c.url, 'GET', `${RULES}/fnscope`)).status, 404);
});
