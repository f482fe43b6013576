import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments, parse } from 'yaml';
import { createApiApp } from '../../../collector/src/api/app.ts';
import { generatedRoutes } from '../../../collector/src/api/routes/generated.ts';
import { listen } from '../../../collector/src/api/server.ts';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { checkDashboard, type Inventory } from '../../../collector/src/generate/index.ts';
import { silentLogger } from '../../../collector/src/util/logger.ts';
import { fakeBackend } from '../../support/fake-backend.ts';
import { promtool, tempFiles } from '../../generate/promtool.ts';

let inventory: Inventory = {
  functions: [
    { namespace: 'default', name: 'hello', runtime: 'python3.8', handler: 'hello.hello', annotations: {} },
    { namespace: 'shop', name: 'orders', runtime: 'nodejs14', handler: 'orders.place', annotations: { 'fnscope.io/slo-availability': '99.5', 'fnscope.io/slo-latency': '0.25s@99' } },
  ],
};
const app = createApiApp({ backend: fakeBackend([]), logger: silentLogger(), extra: [generatedRoutes({ inventory: () => inventory })] });
const server = await listen(app, { host: '127.0.0.1', port: 0 });
after(() => server.close());

interface Envelope<T> {
  status: string;
  data: T;
  warnings?: string[];
  errorType?: string;
}

async function get<T = unknown>(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; text: string; json: Envelope<T> }> {
  const r = await fetch(server.url + path, { headers });
  const text = await r.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: r.status, type: r.headers.get('content-type') ?? '', text, json: json as Envelope<T> };
}

interface ConfigMap {
  kind: string;
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  data: Record<string, string>;
}

interface RulesData {
  format: string;
  profile: string;
  files: Array<{ path: string; content: string; function?: unknown }>;
}

interface Item {
  uid: string;
  title: string;
  path: string;
  function?: { namespace: string; name: string };
  dashboard?: Dashboard;
  configMap?: ConfigMap;
}

test('GET /api/v1/dashboards: the overview, the templated detail and one pinned dashboard per function, as Grafana JSON', async () => {
  const r = await get<Item[]>('/api/v1/dashboards');
  assert.equal(r.status, 200);
  const items = r.json.data;
  assert.deepEqual(items.slice(0, 2).map((i) => [i.uid, i.title, i.path]), [
    ['fnscope-overview', 'fnscope / Functions', 'fnscope-overview.json'],
    ['fnscope-function', 'fnscope / Function', 'fnscope-function.json'],
  ]);
  assert.deepEqual(items.slice(2).map((i) => i.function), [{ namespace: 'default', name: 'hello' }, { namespace: 'shop', name: 'orders' }]);
  for (const i of items) {
    const d = i.dashboard;
    assert.ok(d, i.uid);
    assert.equal(d.uid, i.uid);
    assert.deepEqual(checkDashboard(d), [], i.uid);
  }
  // Error-group links point at the collector that served the dashboard.
  const fnscopeVar = (items[1]!.dashboard!.templating.list ?? []).find((v) => v.name === 'fnscope');
  assert.equal(fnscopeVar?.query, server.url);
  assert.equal(r.json.warnings, undefined);
});

test('GET /api/v1/dashboards?format=configmap: ConfigMaps for the Grafana sidecar; raw=1 gives YAML for kubectl apply', async () => {
  const r = await get<Item[]>('/api/v1/dashboards?format=configmap');
  const items = r.json.data;
  assert.equal(items.length, 4);
  for (const i of items) {
    const cm = i.configMap!;
    assert.equal(cm.kind, 'ConfigMap');
    assert.equal(cm.metadata.labels['grafana_dashboard'], '1');
    assert.equal(cm.metadata.annotations['grafana_folder'], 'fnscope');
    assert.equal((JSON.parse(cm.data[`${i.uid}.json`] ?? '{}') as { uid?: string }).uid, i.uid);
    assert.equal(i.dashboard, undefined);
  }
  const asks: Array<[string, Record<string, string>]> = [['&raw=1', {}], ['', { accept: 'application/yaml' }]];
  for (const [query, headers] of asks) {
    const raw = await get(`/api/v1/dashboards?format=configmap${query}`, headers);
    assert.match(raw.type, /^application\/yaml/);
    const docs = parseAllDocuments(raw.text).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    assert.deepEqual(docs.map((d) => d.metadata.name), items.map((i) => i.uid));
  }
});

test('GET /api/v1/dashboards/{uid}: one dashboard; raw=1 is the JSON to import; unknown uid is 404', async () => {
  const one = await get<Item>('/api/v1/dashboards/fnscope-overview');
  assert.equal(one.json.data.uid, 'fnscope-overview');
  const raw = await get('/api/v1/dashboards/fnscope-overview?raw=1');
  assert.match(raw.type, /^application\/json/);
  const imported = JSON.parse(raw.text) as { uid: string; title: string };
  assert.equal(imported.uid, 'fnscope-overview');
  assert.equal(imported.title, 'fnscope / Functions');
  const cm = await get('/api/v1/dashboards/fnscope-function?format=configmap&raw=1');
  assert.equal((parse(cm.text) as { metadata: { name: string } }).metadata.name, 'fnscope-function');
  const missing = await get('/api/v1/dashboards/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.errorType, 'not_found');
});

test('bad parameters are 400 bad_data', async () => {
  for (const path of ['/api/v1/dashboards?format=provisioning', '/api/v1/dashboards?format=xml', '/api/v1/rules?format=json', '/api/v1/rules?profile=fast', '/api/v1/rules?format=rules&format=prometheusrule']) {
    const r = await get(path);
    assert.equal(r.status, 400, path);
    assert.equal(r.json.errorType, 'bad_data', path);
  }
});

test('GET /api/v1/rules: the rule files in a JSON envelope, per format and profile', async () => {
  const r = await get<RulesData>('/api/v1/rules');
  assert.equal(r.json.data.format, 'rules');
  assert.equal(r.json.data.profile, 'production');
  const files = r.json.data.files;
  assert.deepEqual(files.map((f) => f.path), ['fnscope.rules.yaml', 'fnscope-slo-shop-orders.rules.yaml']);
  assert.deepEqual(files[1]!.function, { namespace: 'shop', name: 'orders' });
  assert.match(files[0]!.content, /\[5m\]/);
  const test_ = (await get<RulesData>('/api/v1/rules?profile=test')).json.data.files[0]!.content;
  assert.match(test_, /\[5s\]/);
  assert.doesNotMatch(test_, /\[5m\]/);
  const pr = await get<RulesData>('/api/v1/rules?format=prometheusrule');
  assert.deepEqual(pr.json.data.files.map((f) => (parse(f.content) as { kind: string }).kind), ['PrometheusRule', 'PrometheusRule']);
});

test('GET /api/v1/rules as YAML: one rule file Prometheus loads (promtool check rules), or PrometheusRule documents', async () => {
  for (const profile of ['production', 'test']) {
    const raw = await get(`/api/v1/rules?profile=${profile}`, { accept: 'application/yaml' });
    assert.match(raw.type, /^application\/yaml/);
    const groups = (parse(raw.text) as { groups: Array<{ name: string }> }).groups.map((g) => g.name);
    assert.ok(groups.includes('fnscope-slo-alerts') && groups.includes('fnscope-slo-shop-orders'), groups.join(', '));
    const { dir, cleanup } = await tempFiles({ 'served.rules.yaml': raw.text });
    try {
      const check = await promtool(['check', 'rules', 'served.rules.yaml'], dir);
      assert.equal(check.code, 0, check.stdout + check.stderr);
    } finally {
      await cleanup();
    }
  }
  const docs = parseAllDocuments((await get('/api/v1/rules?format=prometheusrule&raw=1')).text).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
  assert.deepEqual(docs.map((d) => `${d.kind}/${d.metadata.name}`), ['PrometheusRule/fnscope', 'PrometheusRule/fnscope-slo-shop-orders']);
});

test('the answers follow the inventory; invalid SLO annotations come back as warnings', async () => {
  inventory = { functions: [{ namespace: 'default', name: 'hello', runtime: 'python3.8', handler: 'hello.hello', annotations: { 'fnscope.io/slo-availability': 'lots' } }] };
  const d = await get<Item[]>('/api/v1/dashboards');
  assert.equal(d.json.data.length, 3);
  assert.match((d.json.warnings ?? []).join('\n'), /default\/hello: fnscope\.io\/slo-availability/);
  const r = await get<RulesData>('/api/v1/rules');
  assert.deepEqual(r.json.data.files.map((f) => f.path), ['fnscope.rules.yaml']);
  assert.equal(r.json.warnings?.length, 1);
});
