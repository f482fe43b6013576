import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { resolveConfig, type GenerateConfig } from '../../../collector/src/generate/config.ts';
import { generateRuleFiles, genericRuleFile, isAlertingRule, type RuleFile } from '../../../collector/src/generate/alerts/index.ts';
import type { Inventory } from '../../../collector/src/generate/inventory.ts';
import { promtool, tempFiles } from '../promtool.ts';

const inventory: Inventory = {
  functions: [
    { namespace: 'shop', name: 'checkout', runtime: 'python3.11', handler: 'h.f', annotations: { 'fnscope.io/slo-availability': '99.5', 'fnscope.io/slo-latency': '250ms@95' } },
    { namespace: 'shop', name: 'cart', runtime: 'nodejs14', handler: 'h.cart', annotations: { 'fnscope.io/slo-latency': '2.5s@99' } },
    { namespace: 'shop', name: 'plain', runtime: 'go1.14', handler: 'h.F', annotations: {} },
    { namespace: 'shop', name: 'typo', runtime: 'java11', handler: 'H.f', annotations: { 'fnscope.io/slo-availability': 'five nines' } },
  ],
};

const variants: Array<[string, Partial<GenerateConfig>]> = [
  ['defaults', {}],
  ['test profile', { profile: 'test' }],
  ['selectors and custom targets', { selector: 'job="fnscope", env!~"dev.*"', collectorSelector: 'job="fnscope"', slo: { availability: 0.995, latency: { thresholdSeconds: 0.25, target: 0.9 } } }],
];

function ruleCount(f: RuleFile): number {
  return f.groups.reduce((n, g) => n + g.rules.length, 0);
}

for (const [name, partial] of variants) {
  test(`promtool check rules accepts every generated file (${name}, both formats, with an inventory)`, async (t) => {
    const cfg = resolveConfig({ ...partial, namespace: 'monitoring', objectLabels: { release: 'prometheus' } });
    const warnings: string[] = [];
    const rules = generateRuleFiles(inventory, cfg, 'rules', (m) => warnings.push(m));
    const objects = generateRuleFiles(inventory, cfg, 'prometheusrule');
    assert.equal(rules.length, 3, 'the generic file and one per function with valid SLO annotations');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /shop\/typo/);
    const files: Record<string, string> = {};
    let expected = 0;
    for (const f of rules) {
      files[f.path] = f.content;
      expected += ruleCount(parse(f.content) as RuleFile);
    }
    // A PrometheusRule's spec is a rule file: check it the same way.
    objects.forEach((f, i) => {
      const obj = parse(f.content) as { apiVersion: string; kind: string; metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: RuleFile };
      assert.equal(obj.apiVersion, 'monitoring.coreos.com/v1');
      assert.equal(obj.kind, 'PrometheusRule');
      assert.equal(obj.metadata.namespace, 'monitoring');
      assert.equal(obj.metadata.labels['release'], 'prometheus');
      assert.deepEqual(obj.spec, parse(rules[i]!.content), 'same groups as the rule file');
      files[`spec-${i}.yaml`] = JSON.stringify(obj.spec);
      expected += ruleCount(obj.spec);
    });
    const { dir, cleanup } = await tempFiles(files);
    t.after(cleanup);
    const r = await promtool(['check', 'rules', ...Object.keys(files)], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /FAILED|lint/, 'promtool found a problem');
    const found = [...r.stdout.matchAll(/SUCCESS: (\d+) rules found/g)].reduce((n, m) => n + Number(m[1]), 0);
    assert.equal(found, expected);
  });
}

test('per-function files pin the annotated targets, with le in the shortest form', () => {
  const files = generateRuleFiles(inventory, resolveConfig(), 'rules');
  const checkout = files.find((f) => f.function?.name === 'checkout');
  assert.ok(checkout);
  assert.equal(checkout.path, 'fnscope-slo-shop-checkout.rules.yaml');
  const rules = (parse(checkout.content) as RuleFile).groups[0]!.rules;
  assert.deepEqual(rules, [
    { record: 'fnscope:function_availability_objective:inventory', expr: 'vector(0.995)', labels: { namespace: 'shop', function: 'checkout' } },
    { record: 'fnscope:function_latency_objective:inventory', expr: 'vector(0.95)', labels: { namespace: 'shop', function: 'checkout', le: '0.25' } },
  ]);
  const cart = (parse(files.find((f) => f.function?.name === 'cart')!.content) as RuleFile).groups[0]!.rules;
  assert.deepEqual(cart.map((r) => ('labels' in r ? r.labels?.['le'] : undefined)), ['2.5']);
});

test('every alert: a severity, a summary, a description naming the function, a runbook link', () => {
  const cfg = resolveConfig({ runbookBase: 'https://example.com/runbooks/' });
  for (const g of genericRuleFile(cfg).groups) {
    for (const r of g.rules) {
      if (!isAlertingRule(r)) continue;
      assert.ok(['critical', 'warning', 'info'].includes(r.labels['severity'] ?? ''), `${r.alert} severity`);
      assert.ok(r.annotations['summary'], `${r.alert} summary`);
      assert.equal(r.annotations['runbook_url'], `https://example.com/runbooks/${r.alert}.md`);
      const d = r.annotations['description'] ?? '';
      if (r.alert.startsWith('Function')) {
        assert.match(d, /\{\{ \$labels\.function \}\}/, `${r.alert} description names the function`);
        assert.match(d, /\{\{ \$labels\.namespace \}\}/, `${r.alert} description names the namespace`);
      } else {
        assert.match(r.alert, /^Fnscope/);
        assert.match(d, /collector/);
      }
    }
  }
});

test('the SLO alerts implement the four window pairs of the multi-window multi-burn-rate scheme', () => {
  const alerts = genericRuleFile(resolveConfig()).groups.flatMap((g) => g.rules).filter(isAlertingRule);
  for (const name of ['FunctionErrorBudgetBurn', 'FunctionLatencyBudgetBurn']) {
    const pairs = alerts.filter((a) => a.alert === name).map((a) => [a.labels['long'], a.labels['short'], a.labels['severity'], a.for]);
    assert.deepEqual(pairs, [
      ['1h', '5m', 'critical', '2m'],
      ['6h', '30m', 'critical', '15m'],
      ['1d', '2h', 'warning', '1h'],
      ['3d', '6h', 'warning', '3h'],
    ]);
    for (const [factor, a] of [14.4, 6, 3, 1].map((f, i) => [f, alerts.filter((x) => x.alert === name)[i]!] as const)) {
      assert.equal(a.expr.split(`(${factor} * (1 - `).length - 1, 2, `${name} x${factor} on both windows`);
    }
  }
});

test('the test profile is the production rule set with shorter windows', () => {
  const norm = (f: RuleFile): unknown =>
    JSON.parse(JSON.stringify(f).replace(/\b\d+(ms|s|m|h|d)(\d+(ms|s|m|h|d))*\b/g, 'D'));
  const prod = genericRuleFile(resolveConfig());
  const fast = genericRuleFile(resolveConfig({ profile: 'test' }));
  assert.notDeepEqual(prod, fast);
  assert.deepEqual(norm(fast), norm(prod));
  const pageFor = (f: RuleFile) => f.groups.flatMap((g) => g.rules).filter(isAlertingRule).find((a) => a.alert === 'FunctionErrorBudgetBurn')!;
  assert.equal(pageFor(fast).for, '2s');
  assert.match(pageFor(fast).expr, /fnscope:function_error_ratio:rate1h > /, 'recorded series keep their production names');
  assert.match(JSON.stringify(fast), /sum_over_time\(fnscope:function_errors:rate5m\[1m\]\)/);
});
