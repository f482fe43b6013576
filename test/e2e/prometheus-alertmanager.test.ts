/**
 * The generated dashboards and rules on a real Prometheus and Alertmanager: `fnscope serve --sandbox`
 * is scraped by Prometheus, which loads the test-profile rules the collector serves and alerts to an
 * Alertmanager whose webhook receiver is this test. Every panel query must return data; an error burst
 * in one function must page through Alertmanager and resolve when the errors stop.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VariableType, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardQueries, expandVariables, type PanelQuery } from '../../collector/src/generate/index.ts';
import { promtool, tempFiles } from '../generate/promtool.ts';
import { startServe, eventually, type RunningServe } from '../support/serve.ts';
import { promAlerts, promQuery, startAlertmanager, startPrometheus, startWebhook, type Child, type Webhook, type WebhookAlert } from '../support/prometheus.ts';
import { SandboxTraffic } from '../support/sandbox-traffic.ts';

const FUNCTIONS = ['bikesearch', 'hello', 'kubelesshello', 'orders', 'slowpoke'] as const;
const GROUP_BY = ['alertname', 'namespace', 'function', 'severity', 'long'];
/** The page of the availability SLO: the 1h/5m pair at 14.4x, 1m/5s in the test profile. */
const PAGE = { alertname: 'FunctionErrorBudgetBurn', namespace: 'default', function: 'bikesearch', severity: 'critical', long: '1m' };

let dir: string;
let s: RunningServe | undefined;
let prom: Child | undefined;
let am: Child | undefined;
let hook: Webhook | undefined;
let traffic: SandboxTraffic | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fnscope-e2e-prom-'));
  hook = await startWebhook();
  const started = await Promise.all([
    startServe(['--no-traffic', '--scrape-interval', '1s', '--scrape-timeout', '900ms']),
    startAlertmanager(join(dir, 'alertmanager'), hook.url, GROUP_BY),
  ]);
  [s, am] = started;
  const rules = await (await fetch(`${s.url}/api/v1/rules?profile=test&raw=1`)).text();
  prom = await startPrometheus({ dir: join(dir, 'prometheus'), target: new URL(s.url).host, rules, alertmanager: new URL(am.url).host });
  traffic = new SandboxTraffic(s);
}, { timeout: 90_000 });

after(async () => {
  await traffic?.stop();
  await prom?.stop();
  await am?.stop();
  await hook?.close();
  await s?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, { timeout: 60_000 });

function matches(labels: Record<string, string>, want: Record<string, string>): boolean {
  return Object.entries(want).every(([k, v]) => labels[k] === v);
}

test('promtool check rules accepts the rule file /api/v1/rules serves, in both profiles', { timeout: 60_000 }, async () => {
  for (const profile of ['production', 'test']) {
    const text = await (await fetch(`${s!.url}/api/v1/rules?profile=${profile}`, { headers: { accept: 'application/yaml' } })).text();
    const { dir: d, cleanup } = await tempFiles({ 'served.rules.yaml': text });
    try {
      const r = await promtool(['check', 'rules', 'served.rules.yaml'], d);
      assert.equal(r.code, 0, `${profile}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /SUCCESS: \d+ rules found/);
    } finally {
      await cleanup();
    }
  }
});

test('Prometheus scrapes every sandbox function through the collector and records their rates', { timeout: 90_000 }, async () => {
  await eventually(async () => ((await promQuery(prom!.url, 'count(fnscope_function_info)'))[0]?.value[1] === String(FUNCTIONS.length) ? true : undefined), 45_000, 'every function in fnscope_function_info');
  traffic!.start();
  // Data for the panels that need an event: a python timeout (408, which logs no traceback), a python
  // and a nodejs exception, a process crash (restart).
  assert.equal((await s!.invoke('slowpoke', { pages: 120 })).status, 408);
  assert.equal((await s!.invoke('slowpoke', { pages: 'all' })).status, 500);
  assert.equal((await s!.invoke('kubelesshello', {})).status, 500);
  assert.equal((await s!.invoke('orders', { id: 'A-1003' })).status, 200);
  const calls = await eventually(async () => {
    const r = await promQuery(prom!.url, 'fnscope:function_calls:rate5m > 0');
    return r.length === FUNCTIONS.length ? r : undefined;
  }, 30_000, 'a call rate for every function');
  assert.deepEqual(calls.map((c) => c.metric['function']).sort(), [...FUNCTIONS]);
  await eventually(async () => (Number((await promQuery(prom!.url, 'max(fnscope_pod_container_restarts_total{function="orders"})'))[0]?.value[1] ?? 0) > 0 ? true : undefined), 30_000, 'the orders crash to count as a restart');
  const alerts = await promAlerts(prom!.url);
  assert.ok(!alerts.some((a) => matches(a.labels, { alertname: PAGE.alertname, function: 'bikesearch' })), 'bikesearch is not alerting before its errors');
});

test('an error burst in bikesearch pages through Alertmanager to the webhook, and resolves once the errors stop', { timeout: 120_000 }, async (t) => {
  assert.ok(!hook!.received.some((n) => n.alerts.some((a) => a.labels['function'] === 'bikesearch')), 'no notification about bikesearch yet');
  const burst = Date.now();
  traffic!.startErrors('bikesearch', {});
  let firing: WebhookAlert;
  try {
    const inProm = await eventually(async () => (await promAlerts(prom!.url)).find((a) => a.state === 'firing' && matches(a.labels, PAGE)), 45_000, 'the page to fire in Prometheus');
    assert.equal(inProm.labels['slo'], 'availability');
    t.diagnostic(`firing in Prometheus ${((Date.now() - burst) / 1000).toFixed(1)} s after the first bad call`);
    firing = await eventually(
      () => Promise.resolve(hook!.received.flatMap((n) => n.alerts).find((a) => a.status === 'firing' && matches(a.labels, PAGE))),
      30_000,
      'the webhook to receive the firing page',
    );
    t.diagnostic(`firing at the webhook ${((Date.now() - burst) / 1000).toFixed(1)} s after the first bad call`);
  } finally {
    await traffic!.stopErrors();
  }
  const calm = Date.now();
  const sinceCalm = hook!.received.length;
  assert.equal(firing.annotations['summary'], 'default/bikesearch is burning its availability error budget at 14.4x the sustainable rate');
  assert.match(firing.annotations['description'] ?? '', /function bikesearch in namespace default/);
  assert.match(firing.annotations['runbook_url'] ?? '', /FunctionErrorBudgetBurn\.md$/);
  const resolved = await eventually(
    () => Promise.resolve(hook!.received.slice(sinceCalm).find((n) => n.status === 'resolved' && n.alerts.some((a) => a.fingerprint === firing.fingerprint && a.status === 'resolved'))),
    60_000,
    'the webhook to receive the resolved page',
  );
  t.diagnostic(`resolved at the webhook ${((Date.now() - calm) / 1000).toFixed(1)} s after the last bad call`);
  assert.deepEqual(resolved.groupLabels, PAGE);
  assert.ok(!(await promAlerts(prom!.url)).some((a) => a.state === 'firing' && matches(a.labels, PAGE)), 'Prometheus no longer fires the page');
});

/**
 * Queries that may be empty here, each with the reason. Everything else must return data.
 * Keys: `<dashboard uid pattern>|<function or *>|<query source>`.
 */
const ALLOWED_EMPTY: ReadonlyArray<{ dashboard: RegExp; fn: RegExp; source: string; why: string }> = [
  { dashboard: /^fnscope-f/, fn: /^(bikesearch|hello|kubelesshello|slowpoke)$/, source: 'annotation: Pod restarts', why: 'empty until the function restarts; only orders is crashed here' },
  { dashboard: /^fnscope-f/, fn: /^hello$/, source: 'Latest error groups', why: 'hello echoes its input and never raises: it has no error groups' },
  { dashboard: /^fnscope-f/, fn: /^hello$/, source: 'Exceptions/s by type', why: 'hello never raises' },
];

interface Context {
  fn: string;
  values: Record<string, string>;
}

/** The variable values to run a dashboard's queries with: All for the overview, each function for a templated one, the pinned constants otherwise. */
function contexts(d: Dashboard, fnscopeUrl: string): Context[] {
  const base: Record<string, string> = { datasource: 'prometheus', fnscope: fnscopeUrl };
  let multi = false;
  let templated = false;
  let pinned = '';
  for (const v of d.templating.list ?? []) {
    const value = typeof v.query === 'string' ? v.query : '';
    if (v.type === VariableType.Constant) base[v.name] = value;
    if (v.type === VariableType.Constant && v.name === 'function') pinned = value;
    if (v.type === VariableType.Query && v.name === 'function') {
      templated = true;
      multi = v.multi === true;
    }
  }
  if (multi) return [{ fn: '*', values: { ...base, namespace: '.*', function: '.*' } }];
  if (templated) return FUNCTIONS.map((fn) => ({ fn, values: { ...base, namespace: 'default', function: fn } }));
  return [{ fn: pinned, values: base }];
}

/** PromQL for a query; Grafana's `label_values(selector, label)` variable queries become the label values API call Grafana makes. */
async function run(q: PanelQuery, values: Record<string, string>): Promise<number> {
  const expr = expandVariables(q.expr, values);
  const lv = /^label_values\((.*),\s*(\w+)\)$/s.exec(expr);
  if (lv) {
    const body = (await (await fetch(`${prom!.url}/api/v1/label/${lv[2]!}/values?${new URLSearchParams({ 'match[]': lv[1]! }).toString()}`)).json()) as { status: string; data: string[] };
    assert.equal(body.status, 'success', expr);
    return body.data.length;
  }
  return (await promQuery(prom!.url, expr)).length;
}

test('every query of every panel of every generated dashboard returns data from Prometheus', { timeout: 90_000 }, async (t) => {
  const listed = (await (await fetch(`${s!.url}/api/v1/dashboards`)).json()) as { data: Array<{ uid: string; dashboard: Dashboard }> };
  assert.equal(listed.data.length, 2 + FUNCTIONS.length, 'overview, templated detail, one pinned per function');
  const checks: Array<{ where: string; allowed: string | undefined; q: PanelQuery; values: Record<string, string> }> = [];
  for (const { uid, dashboard } of listed.data) {
    for (const ctx of contexts(dashboard, s!.url)) {
      for (const q of dashboardQueries(dashboard)) {
        const allowed = ALLOWED_EMPTY.find((a) => a.dashboard.test(uid) && a.fn.test(ctx.fn) && a.source === q.source)?.why;
        checks.push({ where: `${uid} [${ctx.fn}] ${q.source} ${q.refId}`, allowed, q, values: ctx.values });
      }
    }
  }
  assert.ok(checks.length > 300, `${checks.length} queries`);
  t.diagnostic(`${checks.length} queries, ${checks.filter((c) => c.allowed !== undefined).length} allowed to be empty`);
  const empty = async (list: typeof checks): Promise<typeof checks> => {
    const out: typeof checks = [];
    for (const c of list) if ((await run(c.q, c.values)) === 0) out.push(c);
    return out;
  };
  // Rates over the test profile's short windows can miss a beat: a query empty once is asked again.
  let missing = await empty(checks.filter((c) => c.allowed === undefined));
  const deadline = Date.now() + 20_000;
  while (missing.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2_000));
    missing = await empty(missing);
  }
  const report = missing.map((c) => `${c.where}: ${expandVariables(c.q.expr, c.values)}`);
  assert.deepEqual(report, [], `panels without data:\n${report.join('\n')}`);
  // The allowed-empty list is not a blanket: the restart annotation has data where a restart happened.
  const restarts = checks.find((c) => c.where.startsWith('fnscope-function [orders] annotation: Pod restarts'))!;
  assert.ok((await run(restarts.q, restarts.values)) > 0, 'the orders restart shows as an annotation');
});
