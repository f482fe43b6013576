import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';
import { ResilientInformer, type InformerOptions } from '../../../collector/src/discovery/kubernetes/informer.ts';
import { podsResource } from '../../../collector/src/discovery/kubernetes/client.ts';
import { MemoryDiscoveryMetrics } from '../../../collector/src/discovery/metrics.ts';
import { FakeKube, httpError } from '../fake-kube.ts';
import { settle, startProvider } from '../harness.ts';
import { kubelessFunction, kubelessPod } from '../kube-objects.ts';

const P = 'pods';

function startInformer(opts: Partial<InformerOptions> = {}, kube = new FakeKube()) {
  const clock = new ManualClock();
  const metrics = new MemoryDiscoveryMetrics();
  const events: string[] = [];
  let replaced = 0;
  const inf = new ResilientInformer({
    provider: 'kubernetes', resource: podsResource, namespace: undefined, selectors: { labelSelector: 'created-by=kubeless' },
    client: kube, clock, random: () => 0.5, metrics, backoff: { baseMs: 1000, maxMs: 8000 }, ...opts,
  }, {
    change: (kind, obj: KubernetesObject) => events.push(`${kind} ${obj.metadata?.name}`),
    replaced: () => replaced++,
    stateChanged: () => undefined,
  });
  inf.start();
  const names = (): string[] => inf.list().map((o) => o.metadata?.name ?? '').sort();
  return { clock, kube, inf, metrics, events, names, replaced: () => replaced };
}

async function advance(clock: ManualClock, ms: number): Promise<void> {
  clock.advance(ms);
  await settle();
}

test('410 Gone as a status re-lists, and objects deleted meanwhile leave the cache', async () => {
  const t = startInformer();
  t.kube.apply(P, kubelessPod('default', 'f', 'f-1'));
  t.kube.apply(P, kubelessPod('default', 'f', 'f-2'));
  await settle();
  assert.deepEqual(t.names(), ['f-1', 'f-2']);
  const lists = t.kube.lists.length;

  t.kube.closeWatches();          // the server ends the watch...
  t.kube.remove(P, 'default', 'f-1');
  t.kube.apply(P, kubelessPod('default', 'f', 'f-3'));
  t.kube.compact();               // ...and forgets the events in between
  await settle();
  assert.equal(t.kube.lists.length, lists + 1, 'one new list');
  assert.deepEqual(t.names(), ['f-2', 'f-3']);
  assert.ok(t.events.includes('delete f-1'));
  assert.ok(t.events.includes('add f-3'));
  assert.equal(t.inf.state().restarts, 0, '410 is not an error restart');
  assert.equal(t.inf.state().lastError, '');
});

test('410 Gone as an ERROR event re-lists too', async () => {
  const kube = new FakeKube();
  kube.goneAs = 'event';
  const t = startInformer({}, kube);
  kube.apply(P, kubelessPod('default', 'f', 'f-1'));
  await settle();
  kube.closeWatches();
  kube.remove(P, 'default', 'f-1');
  kube.compact();
  await settle();
  assert.deepEqual(t.names(), []);
  assert.equal(t.metrics.get('fnscope_discovery_events_total', { provider: 'kubernetes', resource: 'pods', type: 'ERROR' }), 1);
  assert.equal(t.inf.state().lastError, '');
});

test('a failed watch restarts the informer after a capped, jittered backoff', async () => {
  const t = startInformer({ backoff: { baseMs: 1000, maxMs: 4000, jitter: 0.5, resetAfterMs: 600_000 } });
  t.kube.apply(P, kubelessPod('default', 'f', 'f-1'));
  await settle();
  const expected = [750, 1500, 3000, 3000]; // min(max, base*2^n) * (1 - 0.5 * random 0.5)
  for (const delay of expected) {
    const lists = t.kube.lists.length;
    t.kube.failNextList(P, httpError(500, 'Internal Server Error'));
    t.kube.breakWatches();
    await settle();
    assert.equal(t.inf.synced, true);
    assert.match(t.inf.state().lastError, /ECONNRESET|socket hang up|HTTP 500/);
    await advance(t.clock, delay - 1);
    assert.equal(t.kube.lists.length, lists, `no restart before ${delay} ms`);
    await advance(t.clock, 1);
    assert.equal(t.kube.lists.length, lists + 1, `restarted after ${delay} ms`);
  }
  // The last list failed (500): the next restart lists again, succeeds and watches.
  await advance(t.clock, 3000);
  assert.equal(t.kube.open(P).length, 1);
  assert.deepEqual(t.names(), ['f-1'], 'the old cache stayed readable the whole time');
  assert.ok(t.inf.state().restarts >= 4);
  assert.equal(t.metrics.get('fnscope_discovery_restarts_total', { provider: 'kubernetes', resource: 'pods', reason: 'error' }), t.inf.state().restarts);
});

test('a watch that shows no sign of life is restarted; bookmarks keep a quiet one alive', async () => {
  const t = startInformer({ stalledAfterMs: 60_000 });
  t.kube.apply(P, kubelessPod('default', 'f', 'f-1'));
  await settle();
  const lists = t.kube.lists.length;
  for (let i = 0; i < 5; i++) {
    await advance(t.clock, 30_000);
    t.kube.bookmark(P);
  }
  assert.equal(t.kube.lists.length, lists, 'bookmarks every 30 s: no restart');

  t.kube.silentWatches(P);
  await advance(t.clock, 60_000);
  assert.equal(t.kube.lists.length, lists + 1, 'restarted with a new list');
  assert.equal(t.metrics.get('fnscope_discovery_restarts_total', { provider: 'kubernetes', resource: 'pods', reason: 'stalled' }), 1);
  assert.match(t.inf.state().lastError, /stalled/);
  assert.equal(t.kube.open(P).length, 1, 'the stalled watch was closed, the new one is open');
  assert.deepEqual(t.names(), ['f-1']);
});

test('a list that never answers times out and is retried', async () => {
  const t = startInformer({ listTimeoutMs: 10_000 });
  t.kube.hangLists(P);
  await settle();
  assert.equal(t.inf.synced, false);
  await advance(t.clock, 10_000);
  assert.match(t.inf.state().lastError, /timed out/);
  t.kube.hangLists(P, false);
  t.kube.apply(P, kubelessPod('default', 'f', 'f-1'));
  await advance(t.clock, 750);
  assert.equal(t.inf.synced, true);
  assert.deepEqual(t.names(), ['f-1']);
});

test('a restart swaps caches only once the new list is in: readers never see a half-filled cache', async () => {
  const t = startInformer();
  t.kube.apply(P, kubelessPod('default', 'f', 'f-1'));
  t.kube.apply(P, kubelessPod('default', 'f', 'f-2'));
  await settle();
  const replacedBefore = t.replaced();
  t.kube.down = true;
  t.kube.breakWatches();
  await settle();
  for (let i = 0; i < 5; i++) {
    await advance(t.clock, 10_000);
    assert.deepEqual(t.names(), ['f-1', 'f-2'], 'during the outage the last complete cache is read');
  }
  t.kube.down = false;
  t.kube.remove(P, 'default', 'f-2');
  await advance(t.clock, 10_000);
  assert.deepEqual(t.names(), ['f-1']);
  assert.equal(t.replaced(), replacedBefore + 1);
});

test('malformed watch events are dropped and reported, never thrown', async () => {
  const t = startInformer();
  t.kube.apply(P, kubelessPod('default', 'f', 'f-1'));
  await settle();
  const [conn] = t.kube.open(P);
  conn!.onEvent('ADDED', { kind: 'Pod' });
  conn!.onEvent('MODIFIED', null);
  conn!.onEvent('ERROR', undefined);
  await settle();
  assert.deepEqual(t.names(), ['f-1']);
  assert.match(t.inf.state().lastError, /malformed/);
  assert.equal(t.kube.open(P).length, 1, 'the watch goes on');
});

test('after stop, late callbacks of the old watch reach nobody and nothing reconnects', async () => {
  const t = startInformer();
  await settle();
  const [conn] = t.kube.open(P);
  await t.inf.stop();
  conn!.onEvent('ADDED', kubelessPod('default', 'f', 'late'));
  conn!.onDone(httpError(500));
  await advance(t.clock, 120_000);
  assert.equal(t.kube.open(P).length, 0);
  assert.deepEqual(t.events, []);
  assert.equal(t.inf.state().restarts, 0);
});

test('API outage: nothing partial is sent while it lasts; after it, whole groups with what changed', async () => {
  const h = startProvider({ backoff: { baseMs: 1000, maxMs: 5000 } });
  const k = h.kube;
  k.apply('functions', kubelessFunction('default', 'a'));
  k.apply('functions', kubelessFunction('default', 'b'));
  k.apply(P, kubelessPod('default', 'a', 'a-1', { ip: '10.0.0.1' }));
  k.apply(P, kubelessPod('default', 'a', 'a-2', { ip: '10.0.0.2' }));
  k.apply(P, kubelessPod('default', 'b', 'b-1', { ip: '10.0.0.3' }));
  await settle();
  const sentBefore = h.batches.length;

  k.down = true;
  k.breakWatches();
  await h.tick(30_000, 1000);
  assert.equal(h.batches.length, sentBefore, 'nothing is sent during the outage');
  assert.deepEqual(h.provider.inventory().map((f) => f.pods.length), [2, 1], 'the inventory keeps the last complete state');
  const st = h.provider.state();
  assert.match(st.lastError, /ECONNREFUSED/);
  assert.ok(st.restarts > 0);

  // While the API is away a pod of a is replaced and b is deleted.
  k.down = false;
  k.remove(P, 'default', 'a-1');
  k.apply(P, kubelessPod('default', 'a', 'a-3', { ip: '10.0.0.4' }));
  k.remove(P, 'default', 'b-1');
  k.remove('functions', 'default', 'b');
  k.compact();
  await h.tick(10_000, 1000);
  assert.deepEqual(h.targetPods('default', 'a'), ['a-2', 'a-3']);
  assert.equal(h.view().has('kubeless/default/b'), false);
  for (const batch of h.batches.slice(sentBefore)) {
    for (const g of batch) {
      if (g.source === 'kubeless/default/a') assert.equal(g.targets.length, 2, 'a is only ever sent whole');
    }
  }
});

test('nothing is sent before every resource has synced', async () => {
  const kube = new FakeKube();
  kube.failNextList(P, httpError(503, 'Service Unavailable'), 2);
  const h = startProvider({ backoff: { baseMs: 1000, maxMs: 5000 } }, kube);
  kube.apply('functions', kubelessFunction('default', 'a'));
  kube.apply(P, kubelessPod('default', 'a', 'a-1', { ip: '10.0.0.1' }));
  await settle();
  assert.equal(h.provider.isSynced(), false);
  assert.equal(h.batches.length, 0, 'functions alone would be a partial view: nothing sent');
  await h.tick(750);
  assert.equal(h.batches.length, 0);
  await h.tick(1500);
  assert.equal(h.provider.isSynced(), true);
  assert.equal(h.syncs(), 1);
  assert.deepEqual(h.targetPods('default', 'a'), ['a-1']);
});
