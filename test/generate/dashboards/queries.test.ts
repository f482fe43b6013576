import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import { resolveConfig } from '../../../collector/src/generate/config.ts';
import { dashboardQueries, expandVariables, functionDashboard, generateDashboards } from '../../../collector/src/generate/dashboards/index.ts';
import { promtool, tempFiles } from '../promtool.ts';

const cfg = resolveConfig({ selector: 'job="fnscope"' });
const inventory = { functions: [{ namespace: 'shop', name: 'checkout', runtime: 'python3.11', handler: 'h.f', annotations: {} }] };

test('every query of every dashboard is PromQL that Prometheus parses (promtool), variables expanded', async (t) => {
  const rules: Array<{ record: string; expr: string }> = [];
  for (const g of generateDashboards(inventory, cfg)) {
    for (const q of dashboardQueries(g.dashboard)) {
      let expr = expandVariables(q.expr, { namespace: '.*', function: '.*', fnscope: 'http://127.0.0.1:9464' });
      if (q.source.startsWith('variable:')) {
        const m = /^label_values\((.*), (\w+)\)$/.exec(expr);
        assert.ok(m, `variable query ${q.expr}`);
        expr = m[1]!;
      }
      rules.push({ record: `q${rules.length}`, expr });
    }
  }
  assert.ok(rules.length > 60, `only ${rules.length} queries`);
  const { dir, cleanup } = await tempFiles({ 'queries.yaml': stringify({ groups: [{ name: 'q', rules }] }) });
  t.after(cleanup);
  const r = await promtool(['check', 'rules', 'queries.yaml'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`SUCCESS: ${rules.length} rules found`));
});

test('expandVariables: every syntax Grafana knows, built-ins defaulted, unknown ones refused', () => {
  assert.equal(expandVariables('a{ns=~"$namespace",f="${function}",g="[[x]]"}[$__rate_interval] ${x:regex}', { namespace: 'n', function: 'f', x: 'X' }), 'a{ns=~"n",f="f",g="X"}[1m] X');
  assert.equal(expandVariables('label_replace(x, "a", "$1", "b", "(.*)")', {}), 'label_replace(x, "a", "$1", "b", "(.*)")');
  assert.throws(() => expandVariables('x{a="$nope"}', {}), /no value for variable "nope"/);
});

/** Raw series of four runtime shapes, as Prometheus has them after scraping the collector. */
function series(metric: string, fn: string, labels: Record<string, string>, values: string): { series: string; values: string } {
  const all = { job: 'fnscope', instance: 'fnscope:9464', namespace: 'shop', function: fn, pod: `${fn}-1`, ...labels };
  return { series: `${metric}{${Object.entries(all).map(([k, v]) => `${k}="${v}"`).join(',')}}`, values };
}
const input = [
  // python: access lines with 10% 408s; its runtime counters (no failure series here) use method POST.
  series('function_calls_total', 'checkout', { runtime: 'python3.11', method: 'POST' }, '0+60x30'),
  series('fnscope_function_responses_total', 'checkout', { runtime: 'python3.11', method: 'POST', code: '200' }, '0+54x30'),
  series('fnscope_function_responses_total', 'checkout', { runtime: 'python3.11', method: 'POST', code: '408' }, '0+6x30'),
  series('function_duration_seconds_bucket', 'checkout', { runtime: 'python3.11', method: 'POST', le: '0.25' }, '0+0x30'),
  series('function_duration_seconds_bucket', 'checkout', { runtime: 'python3.11', method: 'POST', le: '0.5' }, '0+60x30'),
  series('function_duration_seconds_bucket', 'checkout', { runtime: 'python3.11', method: 'POST', le: '1.0' }, '0+60x30'),
  series('function_duration_seconds_bucket', 'checkout', { runtime: 'python3.11', method: 'POST', le: '+Inf' }, '0+60x30'),
  // nodejs on two pods: method "<module>-<METHOD>", no failure series yet, no access lines.
  series('function_calls_total', 'cart', { pod: 'cart-1', runtime: 'nodejs14', method: 'handler-POST' }, '0+30x30'),
  series('function_calls_total', 'cart', { pod: 'cart-2', runtime: 'nodejs14', method: 'handler-GET' }, '0+30x30'),
  // java: no method.
  series('function_calls_total', 'billing', { runtime: 'java11' }, '0+60x30'),
  series('function_failures_total', 'billing', { runtime: 'java11' }, '0+6x30'),
  // dotnet: kubeless_calls_total{status}.
  series('kubeless_calls_total', 'ledger', { runtime: 'dotnetcore3.1', status: '200', handler: 'm.h' }, '0+54x30'),
  series('kubeless_calls_total', 'ledger', { runtime: 'dotnetcore3.1', status: '500', handler: 'm.h' }, '0+6x30'),
];

const detail = functionDashboard(cfg);
function panelQuery(title: string, index = 0): string {
  const q = dashboardQueries(detail).filter((x) => x.source === title)[index];
  assert.ok(q, `no query ${index} on panel "${title}"`);
  return q.expr;
}

type Expect = Array<[Record<string, string>, number]>;
const cases: Array<{ panel: string; index?: number; fn: string; round?: boolean; expect: Expect }> = [
  { panel: 'Calls/s by method', fn: 'checkout', expect: [[{ method: 'POST' }, 1]] },
  { panel: 'Calls/s by method', fn: 'cart', expect: [[{ method: 'POST' }, 0.5], [{ method: 'GET' }, 0.5]] },
  { panel: 'Calls/s by method', fn: 'billing', expect: [[{ method: 'any' }, 1]] },
  { panel: 'Calls/s by method', fn: 'ledger', expect: [[{ method: 'any' }, 1]] },
  { panel: 'Errors/s by method', fn: 'checkout', expect: [[{ method: 'POST' }, 0.1]] },
  { panel: 'Errors/s by method', fn: 'cart', expect: [[{ method: 'POST' }, 0], [{ method: 'GET' }, 0]] },
  { panel: 'Errors/s by method', fn: 'billing', expect: [[{ method: 'any' }, 0.1]] },
  { panel: 'Errors/s by method', fn: 'ledger', expect: [[{ method: 'any' }, 0.1]] },
  { panel: 'p99 latency by method', fn: 'checkout', round: true, expect: [[{ method: 'POST' }, 0.498]] },
  { panel: 'Calls/s by pod', fn: 'cart', expect: [[{ pod: 'cart-1' }, 0.5], [{ pod: 'cart-2' }, 0.5]] },
  { panel: 'Responses/s by status code', fn: 'checkout', expect: [[{ code: '200' }, 0.9], [{ code: '408' }, 0.1]] },
  { panel: 'Responses/s by status code', fn: 'ledger', expect: [[{ code: '200', status: '200' }, 0.9], [{ code: '500', status: '500' }, 0.1]] },
  { panel: 'Error ratio by source', index: 0, fn: 'checkout', expect: [[{}, 0.1]] },
  { panel: 'Error ratio by source', index: 1, fn: 'checkout', expect: [[{}, 0]] },
  { panel: 'Error ratio by source', index: 1, fn: 'billing', expect: [[{}, 0.1]] },
];

test('detail panels give every runtime shape the same labels: methods normalised, "any" where unknown', async (t) => {
  const tests = cases.map((c) => {
    let expr = expandVariables(panelQuery(c.panel, c.index), { namespace: 'shop', function: c.fn, __rate_interval: '5m' });
    if (c.round) expr = `round(${expr}, 0.001)`;
    const keepsFunction = /^(Calls|Errors)\/s by|^p99/.test(c.panel);
    return {
      expr,
      eval_time: '20m',
      exp_samples: c.expect.map(([labels, value]) => {
        const all = keepsFunction ? { namespace: 'shop', function: c.fn, ...labels } : labels;
        return { labels: `{${Object.entries(all).map(([k, v]) => `${k}="${v}"`).join(',')}}`, value };
      }),
    };
  });
  const file = { rule_files: [], evaluation_interval: '1m', tests: [{ interval: '1m', input_series: input, promql_expr_test: tests }] };
  const { dir, cleanup } = await tempFiles({ 'panels.yaml': stringify(file) });
  t.after(cleanup);
  const r = await promtool(['test', 'rules', 'panels.yaml'], dir);
  assert.equal(r.code, 0, r.stdout + r.stderr);
});
