import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig, type Inventory, type InventoryFunction } from '../../collector/src/generate/index.ts';
import { GeneratedSync, MANAGED_BY_LABEL, SYNC_DEFAULTS, type SyncKind } from '../../collector/src/sync/index.ts';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { FakeSyncClient } from './helpers/fake-client.ts';

const fn = (name: string, annotations: Record<string, string> = {}, namespace = 'default'): InventoryFunction => ({ namespace, name, runtime: 'python3.8', handler: `${name}.handler`, annotations });

interface Rig {
  clock: ManualClock;
  client: FakeSyncClient;
  sync: GeneratedSync;
  inv: { functions: InventoryFunction[] };
  ready: { value: boolean };
  /** Advance the clock and wait for the pass it started. */
  advance(ms: number): Promise<void>;
}

function rig(functions: InventoryFunction[], kinds: SyncKind[] = ['dashboards', 'rules']): Rig {
  const clock = new ManualClock();
  const client = new FakeSyncClient();
  const inv = { functions };
  const ready = { value: true };
  const sync = new GeneratedSync({
    client,
    clock,
    namespace: 'monitoring',
    kinds: new Set(kinds),
    config: resolveConfig({ objectLabels: { release: 'prom' } }),
    inventory: (): Inventory => ({ functions: [...inv.functions] }),
    ready: () => ready.value,
  });
  return {
    clock, client, sync, inv, ready,
    async advance(ms) {
      clock.advance(ms);
      await sync.idle();
    },
  };
}

test('the first pass applies the overview, the templated dashboard, one pinned dashboard per function and the rules', async () => {
  const r = rig([fn('hello'), fn('bikesearch', { 'fnscope.io/slo-availability': '99.5' })]);
  r.sync.start();
  await r.advance(0);
  const cms = r.client.names('ConfigMap', 'monitoring');
  assert.equal(cms.length, 4);
  assert.ok(cms.includes('fnscope-overview') && cms.includes('fnscope-function'));
  assert.deepEqual(r.client.names('PrometheusRule', 'monitoring'), ['fnscope', 'fnscope-slo-default-bikesearch']);
  for (const o of r.client.objects.values()) {
    assert.equal(o.metadata.namespace, 'monitoring');
    assert.equal(o.metadata.labels[MANAGED_BY_LABEL], 'fnscope');
    assert.equal(o.metadata.labels['release'], 'prom', 'configured object labels are kept');
  }
  const overview = r.client.objects.get('monitoring/ConfigMap/fnscope-overview')!;
  assert.equal(overview.metadata.labels['grafana_dashboard'], '1');
  assert.equal(overview.metadata.annotations?.['grafana_folder'], 'fnscope');
  const data = overview['data'] as Record<string, string>;
  assert.equal((JSON.parse(data['fnscope-overview.json']!) as { uid: string }).uid, 'fnscope-overview');
  const pinned = [...r.client.objects.values()].find((o) => o.metadata.annotations?.['fnscope.io/function'] === 'default/hello');
  assert.ok(pinned && pinned.kind === 'ConfigMap', 'the pinned dashboard names its function');
  assert.deepEqual(r.sync.state().objects, 6);
  await r.sync.stop();
});

test('nothing is applied or deleted before discovery has a complete view', async () => {
  const r = rig([fn('hello')]);
  r.ready.value = false;
  r.sync.start();
  await r.advance(0);
  await r.advance(SYNC_DEFAULTS.checkMs * 3);
  assert.deepEqual(r.client.calls, []);
  r.ready.value = true;
  await r.advance(SYNC_DEFAULTS.checkMs + SYNC_DEFAULTS.debounceMs);
  assert.ok(r.client.names('ConfigMap', 'monitoring').length === 3);
  await r.sync.stop();
});

test("a function that is gone loses its dashboard and SLO rule; other objects are left alone", async () => {
  const r = rig([fn('hello', { 'fnscope.io/slo-latency': '0.5s@99' }), fn('bikesearch')]);
  // Not sync's: no managed-by label, or another namespace.
  r.client.objects.set('monitoring/ConfigMap/grafana-extra', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'grafana-extra', namespace: 'monitoring', labels: { grafana_dashboard: '1' } } });
  r.client.objects.set('other/ConfigMap/fnscope-overview', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fnscope-overview', namespace: 'other', labels: { [MANAGED_BY_LABEL]: 'fnscope', 'app.kubernetes.io/name': 'fnscope' } } });
  r.sync.start();
  await r.advance(0);
  const before = r.client.names('ConfigMap', 'monitoring');
  assert.equal(before.length, 5);
  r.inv.functions = [fn('bikesearch')];
  r.sync.notify();
  await r.advance(SYNC_DEFAULTS.debounceMs);
  const after = r.client.names('ConfigMap', 'monitoring');
  assert.equal(after.length, 4);
  assert.ok(!after.some((n) => n.includes('hello')), `hello's dashboard is deleted: ${after.join(', ')}`);
  assert.ok(after.includes('grafana-extra'));
  assert.deepEqual(r.client.names('PrometheusRule', 'monitoring'), ['fnscope']);
  assert.deepEqual(r.client.names('ConfigMap', 'other'), ['fnscope-overview']);
  assert.equal(r.sync.state().deleted, 2);
  await r.sync.stop();
});

test('an annotation change is found without a discovery update, and only what changed is applied again', async () => {
  const r = rig([fn('hello'), fn('bikesearch')]);
  r.sync.start();
  await r.advance(0);
  r.client.calls.length = 0;
  r.inv.functions = [fn('hello'), fn('bikesearch', { 'fnscope.io/slo-availability': '99' })];
  await r.advance(SYNC_DEFAULTS.checkMs + SYNC_DEFAULTS.debounceMs);
  const applies = r.client.calls.filter((c) => c.startsWith('apply'));
  assert.deepEqual(applies.map((c) => c.split(' ').slice(1).join(' ')).sort(), [
    `ConfigMap monitoring/${[...r.client.objects.values()].find((o) => o.metadata.annotations?.['fnscope.io/function'] === 'default/bikesearch')!.metadata.name}`,
    'PrometheusRule monitoring/fnscope-slo-default-bikesearch',
  ]);
  // Nothing changes: later checks apply nothing.
  r.client.calls.length = 0;
  await r.advance(SYNC_DEFAULTS.checkMs * 4);
  assert.deepEqual(r.client.calls.filter((c) => c.startsWith('apply')), []);
  await r.sync.stop();
});

test('a burst of changes is one pass, delayed by the debounce but never past the maximum delay', async () => {
  const r = rig([fn('a')], ['rules']);
  r.sync.start();
  await r.advance(0);
  const passes = (): number => r.sync.state().runs;
  assert.equal(passes(), 1);
  let n = 0;
  const change = (): void => {
    r.inv.functions = [fn('a'), fn(`b${n++}`)];
    r.sync.notify();
  };
  // A change every second: each one pushes the pass back, until maxDelayMs after the first.
  for (let t = 0; t < SYNC_DEFAULTS.maxDelayMs - 1000; t += 1000) {
    change();
    await r.advance(1000);
  }
  assert.equal(passes(), 1, 'still waiting for the burst to end');
  change();
  await r.advance(1000);
  assert.equal(passes(), 2, 'the pass ran at the maximum delay');
  change();
  change();
  await r.advance(SYNC_DEFAULTS.debounceMs - 1);
  assert.equal(passes(), 2);
  await r.advance(1);
  assert.equal(passes(), 3);
  // A discovery update that changed nothing generation reads costs no pass.
  r.sync.notify();
  await r.advance(SYNC_DEFAULTS.debounceMs);
  assert.equal(passes(), 3);
  await r.sync.stop();
});

test('a failed pass is retried with backoff and recovers', async () => {
  const r = rig([fn('hello')], ['rules']);
  r.client.fail = { match: /^apply PrometheusRule/, error: new Error('503 the server is currently unable to handle the request') };
  r.sync.start();
  await r.advance(0);
  assert.match(r.sync.state().lastError ?? '', /503/);
  await r.advance(SYNC_DEFAULTS.retryMs);
  await r.advance(SYNC_DEFAULTS.retryMs * 2);
  assert.equal(r.sync.state().failures, 3, 'retried after 1 s and 2 s');
  r.client.fail = undefined;
  await r.advance(SYNC_DEFAULTS.retryMs * 4);
  const s = r.sync.state();
  assert.equal(s.lastError, null);
  assert.equal(s.failures, 3);
  assert.deepEqual(r.client.names('PrometheusRule', 'monitoring'), ['fnscope']);
  await r.sync.stop();
});

test('every object is applied again after the resync period, repairing hand edits', async () => {
  const r = rig([fn('hello')], ['dashboards']);
  r.sync.start();
  await r.advance(0);
  r.client.objects.delete('monitoring/ConfigMap/fnscope-overview');
  r.client.calls.length = 0;
  await r.advance(SYNC_DEFAULTS.resyncMs + SYNC_DEFAULTS.checkMs);
  assert.equal(r.client.calls.filter((c) => c.startsWith('apply')).length, 3);
  assert.ok(r.client.names('ConfigMap', 'monitoring').includes('fnscope-overview'));
  assert.ok(!r.client.calls.some((c) => c.includes('PrometheusRule')), 'rules are not synced when not asked for');
  await r.sync.stop();
});

test('stop cancels what is scheduled', async () => {
  const r = rig([fn('hello')]);
  r.sync.start();
  await r.sync.stop();
  await r.advance(SYNC_DEFAULTS.resyncMs);
  assert.deepEqual(r.client.calls, []);
});
