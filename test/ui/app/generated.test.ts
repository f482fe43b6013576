import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeGenerated } from '../../../collector/src/ui/app/generated.ts';
import { createApiApp } from '../../../collector/src/api/app.ts';
import { generatedRoutes } from '../../../collector/src/api/routes/generated.ts';
import { listen } from '../../../collector/src/api/server.ts';
import { silentLogger } from '../../../collector/src/util/logger.ts';
import { fakeBackend } from '../../support/fake-backend.ts';
import { EMPTY_INVENTORY, generateDashboardFiles, generateDashboards, generateRuleFiles, resolveConfig } from '../../../collector/src/generate/index.ts';

const cfg = resolveConfig();

test('generated dashboard files (as `fnscope dashboards` writes them) show with their Grafana titles', () => {
  const files = generateDashboardFiles(EMPTY_INVENTORY, cfg, 'json');
  const v = normalizeGenerated(files, 'json');
  assert.equal(v.length, files.length);
  for (const [i, f] of files.entries()) {
    assert.equal(v[i]!.name, f.path);
    assert.equal(v[i]!.content, f.content);
    assert.equal(v[i]!.title, (JSON.parse(f.content) as { title: string }).title);
  }
});

test('dashboards as objects ({dashboard, function}) become downloadable JSON files', () => {
  const ds = generateDashboards(EMPTY_INVENTORY, cfg);
  const v = normalizeGenerated({ dashboards: [...ds, { dashboard: ds[0]!.dashboard, function: { namespace: 'default', name: 'hello' } }] }, 'json');
  assert.equal(v.length, ds.length + 1);
  assert.equal(v[0]!.name, `${ds[0]!.dashboard.uid}.json`);
  assert.deepEqual(JSON.parse(v[0]!.content), JSON.parse(JSON.stringify(ds[0]!.dashboard)));
  assert.equal(v.at(-1)!.fn, 'default/hello');
});

test('rule files show their rule groups; a bare YAML document is one file', () => {
  const files = generateRuleFiles(EMPTY_INVENTORY, cfg, 'rules');
  const v = normalizeGenerated({ files }, 'yaml');
  assert.equal(v.length, files.length);
  assert.match(v[0]!.title, /^rule groups: /);
  const one = normalizeGenerated(files[0]!.content, 'yaml');
  assert.equal(one.length, 1);
  assert.equal(one[0]!.name, 'file-1.yaml');
  assert.equal(normalizeGenerated(null, 'json').length, 0);
});

test('what the collector serves at /api/v1/dashboards and /api/v1/rules shows as files', async () => {
  const server = await listen(createApiApp({ backend: fakeBackend([]), logger: silentLogger(), extra: [generatedRoutes({ inventory: () => EMPTY_INVENTORY })] }), { host: '127.0.0.1', port: 0 });
  try {
    const dash = (await (await fetch(`${server.url}/api/v1/dashboards`)).json()) as { data: unknown };
    const d = normalizeGenerated(dash.data, 'json');
    const want = generateDashboardFiles(EMPTY_INVENTORY, resolveConfig({ fnscopeUrl: server.url }), 'json');
    assert.deepEqual(d.map((f) => f.name), want.map((f) => f.path));
    assert.deepEqual(d.map((f) => f.content), want.map((f) => f.content), 'downloads are the files `fnscope dashboards` writes');
    assert.ok(d.every((f) => f.title !== '' && f.title !== f.name));
    const rules = (await (await fetch(`${server.url}/api/v1/rules`)).json()) as { data: unknown };
    const r = normalizeGenerated(rules.data, 'yaml');
    assert.ok(r.length >= 1);
    assert.match(r[0]!.name, /\.rules\.yaml$/);
    assert.match(r[0]!.title, /^rule groups: /);
  } finally {
    await server.close();
  }
});
