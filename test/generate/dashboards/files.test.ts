import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { Dashboard, Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { resolveConfig } from '../../../collector/src/generate/config.ts';
import type { Inventory } from '../../../collector/src/generate/inventory.ts';
import {
  DETAIL_UID,
  OVERVIEW_UID,
  allPanels,
  checkDashboard,
  functionDashboardUid,
  generateDashboardFiles,
  generateDashboards,
} from '../../../collector/src/generate/dashboards/index.ts';

const inventory: Inventory = {
  functions: [
    { namespace: 'shop', name: 'checkout', runtime: 'python3.11', handler: 'h.f', annotations: { 'fnscope.io/slo-availability': '99.5', 'fnscope.io/slo-latency': '0.5s@99' } },
    { namespace: 'a-very-long-namespace-name', name: 'an-even-longer-function-name-than-that', runtime: 'go1.14', handler: 'h.F', annotations: {} },
  ],
};

test('json: the overview and the templated function dashboard, as Grafana exports them', () => {
  const files = generateDashboardFiles({ functions: [] }, resolveConfig(), 'json');
  assert.deepEqual(files.map((f) => f.path), [`${OVERVIEW_UID}.json`, `${DETAIL_UID}.json`]);
  for (const f of files) {
    assert.ok(f.content.endsWith('}\n'));
    const d = JSON.parse(f.content) as Dashboard;
    assert.deepEqual(checkDashboard(d), []);
    assert.equal(d.id, null);
  }
});

test('configmap: labelled for the Grafana sidecar, folder annotated, the dashboard JSON as data', () => {
  const cfg = resolveConfig({ namespace: 'monitoring', folder: 'Functions', objectLabels: { release: 'kps' } });
  const files = generateDashboardFiles(inventory, cfg, 'configmap');
  assert.equal(files.length, 4);
  for (const f of files) {
    const cm = parse(f.content) as {
      apiVersion: string;
      kind: string;
      metadata: { name: string; namespace: string; labels: Record<string, string>; annotations: Record<string, string> };
      data: Record<string, string>;
    };
    assert.equal(cm.apiVersion, 'v1');
    assert.equal(cm.kind, 'ConfigMap');
    assert.equal(cm.metadata.namespace, 'monitoring');
    assert.equal(cm.metadata.labels['grafana_dashboard'], '1');
    assert.equal(cm.metadata.labels['release'], 'kps');
    assert.equal(cm.metadata.annotations['grafana_folder'], 'Functions');
    assert.equal(f.path, `${cm.metadata.name}.configmap.yaml`);
    const json = cm.data[`${cm.metadata.name}.json`];
    assert.ok(json);
    assert.equal((JSON.parse(json) as Dashboard).uid, cm.metadata.name);
    assert.ok(cm.metadata.name.length <= 63);
  }
  assert.deepEqual(files.filter((f) => f.function).map((f) => f.function), inventory.functions.map((fn) => ({ namespace: fn.namespace, name: fn.name })));
});

test('provisioning: dashboards/ plus a file provider for the folder and a Prometheus datasource', () => {
  const cfg = resolveConfig({ prometheusUrl: 'http://prometheus:9090', folder: 'fnscope' });
  const files = generateDashboardFiles({ functions: [] }, cfg, 'provisioning');
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  assert.ok(byPath.has(`dashboards/${OVERVIEW_UID}.json`));
  assert.ok(byPath.has(`dashboards/${DETAIL_UID}.json`));
  const provider = parse(byPath.get('provisioning/dashboards/fnscope.yaml')!) as { apiVersion: number; providers: Array<{ folder: string; type: string; options: { path: string } }> };
  assert.equal(provider.apiVersion, 1);
  assert.deepEqual(provider.providers.map((p) => [p.folder, p.type, p.options.path]), [['fnscope', 'file', '/var/lib/grafana/dashboards/fnscope']]);
  const ds = parse(byPath.get('provisioning/datasources/fnscope.yaml')!) as { datasources: Array<{ type: string; url: string }> };
  assert.deepEqual(ds.datasources.map((d) => [d.type, d.url]), [['prometheus', 'http://prometheus:9090']]);
});

function panel(d: Dashboard, title: string): Panel {
  const p = allPanels(d).find((x) => x.title === title);
  assert.ok(p, `no panel "${title}"`);
  return p;
}

test('inventory: one dashboard per function, pinned by hidden constants, its SLO drawn as thresholds', () => {
  const gs = generateDashboards(inventory, resolveConfig({ fnscopeUrl: 'http://fnscope.example:9464' }));
  assert.equal(gs.length, 4);
  const pinned = gs[2]!;
  assert.deepEqual(pinned.function, { namespace: 'shop', name: 'checkout' });
  const d = pinned.dashboard;
  assert.equal(d.title, 'fnscope / shop/checkout');
  assert.equal(d.uid, functionDashboardUid('shop', 'checkout'));
  const vars = new Map((d.templating.list ?? []).map((v) => [v.name, v]));
  assert.equal(vars.get('namespace')?.type, 'constant');
  assert.equal(vars.get('namespace')?.query, 'shop');
  assert.equal(vars.get('function')?.query, 'checkout');
  assert.equal(vars.get('fnscope')?.query, 'http://fnscope.example:9464');
  const steps = (title: string) => panel(d, title).fieldConfig?.defaults.thresholds?.steps.map((s) => s.value);
  assert.deepEqual(steps('Error ratio'), [null, 0.005]);
  assert.deepEqual(steps('p99 latency'), [null, 0.5]);
  assert.deepEqual(steps('p99 latency by method'), [null, 0.5]);
  // The templated dashboard has no per-function thresholds.
  assert.deepEqual(panel(gs[1]!.dashboard, 'Error ratio').fieldConfig?.defaults.thresholds?.steps.map((s) => s.value), [null]);
});

test('function dashboard uids are unique, stable and at most 40 characters', () => {
  const long = functionDashboardUid('a-very-long-namespace-name', 'an-even-longer-function-name-than-that');
  assert.ok(long.length <= 40, long);
  assert.match(long, /^[a-z0-9-]+$/);
  assert.equal(long, functionDashboardUid('a-very-long-namespace-name', 'an-even-longer-function-name-than-that'));
  assert.notEqual(functionDashboardUid('a-b', 'c'), functionDashboardUid('a', 'b-c'));
});

test('the overview links every function to the function dashboard, keeping the datasource and time range', () => {
  const d = generateDashboards({ functions: [] }, resolveConfig())[0]!.dashboard;
  const links = JSON.stringify(panel(d, 'Calls/s').fieldConfig?.defaults.links);
  assert.match(links, new RegExp(`/d/${DETAIL_UID}/`));
  for (const part of ['var-namespace=${__field.labels.namespace}', 'var-function=${__field.labels.function}', '${datasource:queryparam}', '${__url_time_range}']) {
    assert.ok(links.includes(part), part);
  }
});
