import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { resolveConfig } from '../../../collector/src/generate/config.ts';
import type { Inventory } from '../../../collector/src/generate/inventory.ts';
import { checkDashboard, generateDashboards } from '../../../collector/src/generate/dashboards/index.ts';
import { schemaCheckSource, typecheck } from './schema-check.ts';

const inventory: Inventory = {
  functions: [
    { namespace: 'shop', name: 'checkout', runtime: 'python3.11', handler: 'h.f', annotations: { 'fnscope.io/slo-availability': '99.5', 'fnscope.io/slo-latency': '0.5s@99' } },
    { namespace: 'default', name: 'hello', runtime: 'nodejs14', handler: 'h.hello', annotations: {} },
  ],
};
const dashboards = (): Dashboard[] => generateDashboards(inventory, resolveConfig()).map((g) => g.dashboard);

test('every dashboard type-checks against @grafana/schema: dashboard, panel options, field config, queries', async () => {
  const r = await typecheck(schemaCheckSource(dashboards()));
  assert.ok(r.ok, r.output);
});

const breakers: Array<[string, (d: Dashboard) => void]> = [
  ['a numeric field as a string', (d) => Object.assign(d.panels![1]!.gridPos!, { w: '12' })],
  ['an unknown panel property', (d) => Object.assign(d.panels![1]!, { gridPosition: {} })],
  ['an enum value the schema does not have', (d) => Object.assign(d, { graphTooltip: 7 })],
  ['a bad option of a timeseries panel', (d) => Object.assign((d.panels![3] as { options: { legend: object } }).options.legend, { displayMode: 'huge' })],
  ['a query without refId', (d) => delete (d.panels![3] as { targets: Array<{ refId?: string }> }).targets[0]!.refId],
];
for (const [what, breakIt] of breakers) {
  test(`the schema type check fails on ${what}`, async () => {
    const d = dashboards()[0]!;
    assert.equal(d.panels![3]!.type, 'timeseries');
    breakIt(d);
    const r = await typecheck(schemaCheckSource([d]));
    assert.equal(r.ok, false, 'tsc accepted a broken dashboard');
    assert.match(r.output, /error TS\d+/);
  });
}

test('every dashboard passes the structural check (grid, ids, datasources, variables)', () => {
  for (const d of dashboards()) assert.deepEqual(checkDashboard(d), [], d.uid);
});

const structural: Array<[string, (d: Dashboard) => void, RegExp]> = [
  ['an undefined variable', (d) => (d.templating.list = d.templating.list!.filter((v) => v.name !== 'function')), /undefined variable \$function/],
  ['a duplicate panel id', (d) => (d.panels![2]!.id = d.panels![1]!.id), /duplicate id/],
  ['overlapping panels', (d) => (d.panels![3]!.gridPos = { ...d.panels![4]!.gridPos! }), /overlaps/],
  ['a panel wider than the grid', (d) => (d.panels![3]!.gridPos!.w = 30), /off the 24-column grid/],
  ['a hard-coded datasource', (d) => Object.assign(d.panels![3]!, { datasource: { type: 'prometheus', uid: 'prometheus' } }), /not the dashboard's Prometheus datasource variable/],
  ['a duplicate refId', (d) => (d.panels![1] as unknown as { targets: Array<{ refId: string }> }).targets.forEach((t) => (t.refId = 'A')), /duplicate refId/],
  ['an empty query', (d) => Object.assign((d.panels![3] as { targets: object[] }).targets[0]!, { expr: ' ' }), /has no expression/],
  ['a bad uid', (d) => (d.uid = 'x'.repeat(41)), /invalid uid/],
];
for (const [what, breakIt, problem] of structural) {
  test(`the structural check finds ${what}`, () => {
    const d = dashboards()[0]!;
    breakIt(d);
    const problems = checkDashboard(d);
    assert.ok(problems.some((p) => problem.test(p)), problems.join('\n') || 'no problem found');
  });
}
