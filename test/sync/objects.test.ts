import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { generateRuleFiles, resolveConfig, type Inventory } from '../../collector/src/generate/index.ts';
import { FUNCTION_ANNOTATION, MANAGED_BY_LABEL, desiredObjects, objectDigest, objectKey, parseSyncKinds } from '../../collector/src/sync/index.ts';

const inventory: Inventory = {
  functions: [
    { namespace: 'default', name: 'hello', runtime: 'python3.8', handler: 'hello.hello', annotations: {} },
    { namespace: 'shop', name: 'orders', runtime: 'nodejs14', handler: 'orders.place', annotations: { 'fnscope.io/slo-availability': '99.5' } },
  ],
};

test('parseSyncKinds', () => {
  const cases: Array<[string, string[] | RegExp]> = [
    ['dashboards,rules', ['dashboards', 'rules']],
    ['rules', ['rules']],
    [' dashboards , dashboards ', ['dashboards']],
    ['dashboards,alerts', /unknown sync kind "alerts"/],
    ['', /nothing to sync/],
  ];
  for (const [text, want] of cases) {
    if (want instanceof RegExp) assert.throws(() => parseSyncKinds(text), want, text);
    else assert.deepEqual([...parseSyncKinds(text)].sort(), want, text);
  }
});

test('desired objects are the generators\' output, in the sync namespace, labelled as managed by fnscope', () => {
  const cfg = resolveConfig();
  const objs = desiredObjects(inventory, cfg, new Set(['dashboards', 'rules']), 'monitoring');
  const keys = objs.map(objectKey);
  assert.equal(new Set(keys).size, keys.length, 'names are unique per kind');
  assert.deepEqual(objs.filter((o) => o.kind === 'PrometheusRule').map((o) => o.metadata.name), ['fnscope', 'fnscope-slo-shop-orders']);
  assert.equal(objs.filter((o) => o.kind === 'ConfigMap').length, 4);
  for (const o of objs) {
    assert.equal(o.metadata.namespace, 'monitoring');
    assert.equal(o.metadata.labels[MANAGED_BY_LABEL], 'fnscope');
    assert.equal(o.metadata.labels['app.kubernetes.io/name'], 'fnscope');
  }
  // The PrometheusRule spec is exactly what `fnscope alerts --format prometheusrule` writes.
  const files = generateRuleFiles(inventory, { ...cfg, namespace: 'monitoring' }, 'prometheusrule');
  const written = parse(files[0]!.content) as { spec: unknown };
  assert.deepEqual(objs.find((o) => o.metadata.name === 'fnscope')!['spec'], written.spec);
  const pinned = objs.filter((o) => o.metadata.annotations?.[FUNCTION_ANNOTATION]);
  assert.deepEqual(pinned.map((o) => `${o.kind} ${o.metadata.annotations![FUNCTION_ANNOTATION]}`).sort(), ['ConfigMap default/hello', 'ConfigMap shop/orders', 'PrometheusRule shop/orders']);
});

test('only the asked-for kinds; the digest follows the content', () => {
  const cfg = resolveConfig();
  const rules = desiredObjects(inventory, cfg, new Set(['rules']), 'monitoring');
  assert.ok(rules.every((o) => o.kind === 'PrometheusRule'));
  const again = desiredObjects(inventory, cfg, new Set(['rules']), 'monitoring');
  assert.equal(objectDigest(rules[0]!), objectDigest(again[0]!));
  const stricter = desiredObjects(inventory, resolveConfig({ slo: { availability: 0.99, latency: cfg.slo.latency } }), new Set(['rules']), 'monitoring');
  assert.notEqual(objectDigest(rules[0]!), objectDigest(stricter[0]!));
});
