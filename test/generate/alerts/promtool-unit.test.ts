import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { resolveConfig } from '../../../collector/src/generate/config.ts';
import { genericRuleFile, isAlertingRule } from '../../../collector/src/generate/alerts/index.ts';
import { promtool, tempFiles } from '../promtool.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const TESTS = join(ROOT, 'alerts', 'tests');

interface TestFile {
  tests: Array<{
    input_series: Array<{ series: string; values: string }>;
    alert_rule_test?: Array<{ alertname: string; exp_alerts: unknown[] }>;
    promql_expr_test?: Array<{ expr: string; exp_samples: unknown[] }>;
  }>;
}

async function testFiles(): Promise<Map<string, string>> {
  const names = (await readdir(TESTS)).filter((n) => n.endsWith('.yaml')).sort();
  return new Map(await Promise.all(names.map(async (n) => [n, await readFile(join(TESTS, n), 'utf8')] as [string, string])));
}

test('promtool test rules: every scenario in alerts/tests passes against alerts/fnscope.rules.yaml', async () => {
  const files = [...(await testFiles()).keys()];
  assert.ok(files.length >= 5);
  const r = await promtool(['test', 'rules', ...files.map((f) => join('alerts', 'tests', f))], ROOT);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stdout.match(/SUCCESS/g)?.length, files.length);
});

test('every alert is tested both firing and not firing', async () => {
  const fired = new Set<string>();
  const quiet = new Set<string>();
  for (const text of (await testFiles()).values()) {
    for (const t of (parse(text) as TestFile).tests) {
      for (const a of t.alert_rule_test ?? []) (a.exp_alerts.length > 0 ? fired : quiet).add(a.alertname);
      for (const e of t.promql_expr_test ?? []) {
        const m = /^ALERTS\{alertname="(\w+)"/.exec(e.expr);
        if (m) (e.exp_samples.length > 0 ? fired : quiet).add(m[1]!);
      }
    }
  }
  const alerts = new Set(genericRuleFile(resolveConfig()).groups.flatMap((g) => g.rules).filter(isAlertingRule).map((a) => a.alert));
  assert.ok(alerts.size >= 13);
  for (const a of alerts) {
    assert.ok(fired.has(a), `${a} is never tested firing`);
    assert.ok(quiet.has(a), `${a} is never tested not firing`);
  }
});

test('the scenarios use the series shape of every runtime', async () => {
  const series = [...(await testFiles()).values()].flatMap((text) => (parse(text) as TestFile).tests.flatMap((t) => t.input_series));
  const has = (what: string, pred: (s: { series: string; values: string }) => boolean): void =>
    assert.ok(series.some(pred), `no ${what} in alerts/tests`);
  has('python 408 in the access lines', (s) => s.series.startsWith('fnscope_function_responses_total{') && /runtime="python/.test(s.series) && s.series.includes('code="408"'));
  has('nodejs method label', (s) => s.series.startsWith('function_calls_total{') && /method="handler-(GET|POST)"/.test(s.series));
  has('nodejs failure series appearing late', (s) => s.series.startsWith('function_failures_total{') && /runtime="nodejs/.test(s.series) && s.values.startsWith('_x'));
  has('java series without method', (s) => s.series.startsWith('function_calls_total{') && /runtime="java/.test(s.series) && !s.series.includes('method='));
  has('dotnet kubeless_calls_total', (s) => s.series.startsWith('kubeless_calls_total{') && s.series.includes('status="500"'));
  has('dotnet duration histogram', (s) => s.series.startsWith('kubeless_function_duration_seconds_bucket{'));
  has('proxy runtime counting no failure', (s) => s.series.startsWith('function_failures_total{') && /runtime="ruby/.test(s.series) && s.values.startsWith('0+0x'));
  has('proxy access lines with 500s', (s) => s.series.startsWith('fnscope_function_responses_total{') && /runtime="ruby/.test(s.series) && s.series.includes('code="500"'));
  has('python le="1.0" buckets', (s) => /runtime="python/.test(s.series) && s.series.includes('le="1.0"'));
});

// Each mutation breaks one thing the rules must get right; the scenario file that covers it must notice.
const mutations: Array<[string, string, (rules: string) => string]> = [
  ['408 timeouts not counted as errors', 'slo-availability.yaml', (r) => r.replaceAll('5..|408', '5..')],
  ['access lines ignored', 'slo-availability.yaml', (r) => r.replaceAll('fnscope_function_responses_total{', 'fnscope_function_responses_totals{')],
  ['le="1.0" not normalised', 'slo-latency.yaml', (r) => r.replaceAll('"(.+)\\\\.0"', '"(.+)\\\\.00"')],
  ['a page burn factor off', 'slo-availability.yaml', (r) => r.replaceAll('(14.4 * (1 - ', '(144 * (1 - ')],
  ['a page alert too slow', 'slo-availability.yaml', (r) => r.replace('for: 2m', 'for: 20m')],
  ['another default objective', 'recording.yaml', (r) => r.replace('+ 0.999', '+ 0.99')],
  ['crash loops need more restarts', 'function-alerts.yaml', (r) => r.replace(/(increase\(fnscope_pod_container_restarts_total[^\n]*\)\)) > 0/, '$1 > 2')],
  ['the discovery threshold ignored', 'collector-alerts.yaml', (r) => r.replace('fnscope_discovery_last_sync_timestamp_seconds > 600', 'fnscope_discovery_last_sync_timestamp_seconds > 6000')],
];

for (const [what, scenario, mutate] of mutations) {
  test(`the scenarios fail when the rules are broken: ${what}`, async (t) => {
    const rules = await readFile(join(ROOT, 'alerts', 'fnscope.rules.yaml'), 'utf8');
    const broken = mutate(rules);
    assert.notEqual(broken, rules, 'the mutation changed nothing');
    const text = (await testFiles()).get(scenario);
    assert.ok(text, scenario);
    const { dir, cleanup } = await tempFiles({ 'fnscope.rules.yaml': broken, [`tests/${scenario}`]: text });
    t.after(cleanup);
    const check = await promtool(['check', 'rules', 'fnscope.rules.yaml'], dir);
    assert.equal(check.code, 0, `the mutated rules should still load: ${check.stderr}`);
    const r = await promtool(['test', 'rules', `tests/${scenario}`], dir);
    assert.notEqual(r.code, 0, `${scenario} still passed`);
  });
}
