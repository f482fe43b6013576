/** `fnscope serve --sync dashboards,rules`: dashboards and rules follow the functions in the cluster. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServe, eventually, type RunningServe } from '../support/serve.ts';

const SELECTOR = encodeURIComponent('app.kubernetes.io/managed-by=fnscope');
let s: RunningServe;

before(async () => {
  s = await startServe(['--no-traffic', '--sync', 'dashboards,rules', '--sync-label', 'release=prometheus', '--scrape-interval', '1s', '--scrape-timeout', '900ms']);
}, { timeout: 90_000 });
after(async () => {
  await s?.stop();
}, { timeout: 30_000 });

interface Obj {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
}

async function api(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${s.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${s.token}`, ...(init.headers as Record<string, string> | undefined) } });
  return { status: r.status, body: await r.json() };
}

async function managed(path: string): Promise<Obj[]> {
  return ((await api(`${path}?labelSelector=${SELECTOR}`)).body as { items: Obj[] }).items;
}

const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const RULES = '/apis/monitoring.coreos.com/v1/namespaces/default/prometheusrules';

test('the dashboards and rules of the current functions are applied in the sync namespace', { timeout: 60_000 }, async () => {
  const cms = await eventually(async () => {
    const l = await managed(CONFIGMAPS);
    return l.length === 7 ? l : undefined;
  }, 45_000, 'the overview, the detail and five pinned dashboards');
  for (const cm of cms) {
    assert.equal(cm.metadata.labels?.['grafana_dashboard'], '1');
    assert.equal(cm.metadata.labels?.['release'], 'prometheus');
    assert.equal(cm.metadata.annotations?.['grafana_folder'], 'fnscope');
    const [file, json] = Object.entries(cm.data ?? {})[0]!;
    assert.equal(file, `${cm.metadata.name}.json`);
    assert.equal((JSON.parse(json) as { uid: string }).uid, cm.metadata.name);
  }
  const rules = await eventually(async () => {
    const l = await managed(RULES);
    return l.length > 0 ? l : undefined;
  }, 15_000, 'the PrometheusRule');
  assert.deepEqual(rules.map((r) => r.metadata.name), ['fnscope']);
});

test('an SLO annotation adds the function\'s PrometheusRule; a deleted function loses its dashboard', { timeout: 60_000 }, async () => {
  const patched = await api('/apis/kubeless.io/v1beta1/namespaces/default/functions/bikesearch', {
    method: 'PATCH',
    headers: { 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ metadata: { annotations: { 'fnscope.io/slo-availability': '99.5' } } }),
  });
  assert.equal(patched.status, 200);
  const rule = await eventually(async () => (await managed(RULES)).find((r) => r.metadata.name === 'fnscope-slo-default-bikesearch'), 30_000, "bikesearch's SLO rule");
  assert.equal(rule.metadata.annotations?.['fnscope.io/function'], 'default/bikesearch');

  assert.equal((await api('/apis/kubeless.io/v1beta1/namespaces/default/functions/hello', { method: 'DELETE' })).status, 200);
  const left = await eventually(async () => {
    const l = await managed(CONFIGMAPS);
    return l.length === 6 ? l : undefined;
  }, 30_000, "hello's dashboard to be deleted");
  assert.ok(!left.some((cm) => cm.metadata.annotations?.['fnscope.io/function'] === 'default/hello'));
  assert.ok(left.some((cm) => cm.metadata.name === 'fnscope-overview'), 'the generic dashboards stay');
});
