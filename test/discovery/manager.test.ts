import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { DiscoveryManager } from '../../collector/src/discovery/manager.ts';
import type { DiscoveryProvider, FunctionInfo, ProviderSink, ProviderState, TargetGroup } from '../../collector/src/discovery/types.ts';

class HandProvider implements DiscoveryProvider {
  readonly name: string;
  sink: ProviderSink | undefined;
  synced = false;
  fns: FunctionInfo[] = [];
  stopped = false;
  constructor(name: string) {
    this.name = name;
  }
  start(sink: ProviderSink): void {
    this.sink = sink;
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
  isSynced(): boolean {
    return this.synced;
  }
  sync(groups: TargetGroup[]): void {
    this.sink!.groups(groups);
    this.synced = true;
    this.sink!.synced();
  }
  state(): ProviderState {
    return { name: this.name, kind: 'file', synced: this.synced, lastSync: null, lastError: '', lastErrorAt: null, restarts: 0, watchRestarts: 0, functions: this.fns.length, pods: 0, targets: 0, resources: [] };
  }
  inventory(): FunctionInfo[] {
    return this.fns;
  }
}

function group(source: string, ...addresses: string[]): TargetGroup {
  return { source, labels: { function: source }, targets: addresses.map((address) => ({ address, scheme: 'http', metricsPath: '/metrics', labels: {} })) };
}

test('ready once every provider has synced', async () => {
  const clock = new ManualClock();
  const a = new HandProvider('a');
  const b = new HandProvider('b');
  const m = new DiscoveryManager({ providers: [a, b], clock });
  let resolved = false;
  void m.ready().then(() => (resolved = true));
  m.start();
  a.sync([]);
  await Promise.resolve();
  assert.equal(m.isReady(), false);
  assert.equal(resolved, false);
  b.sync([group('b/1', '10.0.0.1:80')]);
  await m.ready();
  assert.equal(m.isReady(), true);
  assert.equal(m.state().ready, true);
  assert.deepEqual(m.state().providers.map((p) => p.name), ['a', 'b']);
  await m.stop();
  assert.equal(a.stopped && b.stopped, true);
});

test('with no providers it is ready at once', async () => {
  const m = new DiscoveryManager({ providers: [], clock: new ManualClock() });
  m.start();
  await m.ready();
  assert.equal(m.isReady(), true);
});

test('updates are batched per interval, merged across providers, last version wins', () => {
  const clock = new ManualClock();
  const a = new HandProvider('kubernetes');
  const b = new HandProvider('file');
  const m = new DiscoveryManager({ providers: [a, b], clock, batchMs: 100 });
  const calls: TargetGroup[][] = [];
  m.subscribe((g) => calls.push(g));
  m.start();
  a.sync([group('kubeless/ns/f', '10.0.0.1:8080')]);
  b.sync([group('file:x:0', 'h:1')]);
  a.sink!.groups([group('kubeless/ns/f', '10.0.0.1:8080', '10.0.0.2:8080')]);
  clock.advance(99);
  assert.equal(calls.length, 0);
  clock.advance(1);
  assert.equal(calls.length, 1);
  const byName = new Map(calls[0]!.map((g) => [g.source, g.targets.length]));
  assert.deepEqual(byName, new Map([['kubeless/ns/f', 2], ['file:x:0', 1]]));

  a.sink!.groups([group('kubeless/ns/f')]);
  clock.advance(100);
  assert.deepEqual(calls[1]!.map((g) => [g.source, g.targets.length]), [['kubeless/ns/f', 0]], 'only what changed, empty means gone');
  assert.deepEqual(m.groups().map((g) => g.source), ['file:x:0']);
  clock.advance(1000);
  assert.equal(calls.length, 2, 'no change, no call');
});

test('a new subscriber first gets every current group; a failing subscriber does not stop the others', () => {
  const clock = new ManualClock();
  const a = new HandProvider('a');
  const m = new DiscoveryManager({ providers: [a], clock });
  m.start();
  a.sync([group('s1', 'h:1'), group('s2', 'h:2'), group('s3')]);
  clock.advance(100);
  m.subscribe(() => {
    throw new Error('boom');
  });
  const late: TargetGroup[][] = [];
  const unsubscribe = m.subscribe((g) => late.push(g));
  clock.advance(100);
  assert.deepEqual(late.map((b) => b.map((g) => g.source)), [['s1', 's2']]);
  unsubscribe();
  a.sink!.groups([group('s1')]);
  clock.advance(100);
  assert.equal(late.length, 1);
});

test('inventory merges providers, sorted by namespace and name', () => {
  const a = new HandProvider('a');
  const b = new HandProvider('b');
  const fn = (namespace: string, name: string, source: string): FunctionInfo => ({
    namespace, name, source, framework: 'x', runtime: null, handler: null, timeoutSeconds: null, labels: {}, annotations: {}, slo: {},
    triggers: [], hasFunctionObject: false, createdAt: null, pods: [], otherPods: [], endpoints: [],
  });
  a.fns = [fn('z', 'f', 'a1'), fn('a', 'g', 'a2')];
  b.fns = [fn('a', 'f', 'b1')];
  const m = new DiscoveryManager({ providers: [a, b], clock: new ManualClock() });
  assert.deepEqual(m.inventory().functions.map((f) => `${f.namespace}/${f.name}`), ['a/f', 'a/g', 'z/f']);
  assert.throws(() => new DiscoveryManager({ providers: [a, a], clock: new ManualClock() }), /two discovery providers/);
});
