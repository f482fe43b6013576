import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';
import { Store } from '../../../collector/src/sandbox/apiserver/store.ts';
import { ResourceRegistry } from '../../../collector/src/sandbox/apiserver/resources.ts';
import { WatchHub, type WatchEvent } from '../../../collector/src/sandbox/apiserver/watch.ts';
import { parseListOptions } from '../../../collector/src/sandbox/apiserver/list-options.ts';
import type { KObject } from '../../../collector/src/sandbox/apiserver/types.ts';

const pods = new ResourceRegistry().find('', 'v1', 'pods')!;
const opts = (q: string) => parseListOptions(pods, new URLSearchParams(q), true);

class Sink {
  events: WatchEvent[] = [];
  ended = false;
  destroyed = false;
  send(e: WatchEvent): void {
    this.events.push(e);
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.type === 'ERROR' ? String((e.object as { code: number }).code) : (e.object as KObject).metadata.name ?? ''}`);
  }
}

const pod = (name: string, labels: Record<string, string> = {}): KObject => ({ metadata: { name, namespace: 'default', labels } });

function setup(historySize = 1000): { s: Store; clock: ManualClock; hub: WatchHub } {
  const clock = new ManualClock();
  const s = new Store({ historySize, initialResourceVersion: 0 });
  const hub = new WatchHub(s, clock, { bookmarkIntervalMs: 1000, minTimeoutMs: 60_000, maxTimeoutMs: 120_000, random: () => 0.5 });
  return { s, clock, hub };
}

test('without a resourceVersion: synthetic ADDED for current objects, then live changes', () => {
  const { s, hub } = setup();
  s.create('pods', pod('a'));
  s.create('services', pod('svc'));
  const sink = new Sink();
  hub.start(pods, opts(''), undefined, sink);
  s.create('pods', pod('b'));
  s.update('pods', pod('a', { x: '1' }));
  s.delete('pods', 'default', 'b');
  assert.deepEqual(sink.summary(), ['ADDED a', 'ADDED b', 'MODIFIED a', 'DELETED b']);
  assert.equal((sink.events[2]!.object as KObject).kind, 'Pod', 'watch events carry kind and apiVersion');
});

test('from a resourceVersion: exactly the changes after it, nothing twice, nothing missed', () => {
  const { s, hub } = setup();
  s.create('pods', pod('a'));
  const rv = s.resourceVersion;
  s.create('pods', pod('b'));
  s.update('pods', pod('a', { v: '2' }));
  const sink = new Sink();
  hub.start(pods, opts(`resourceVersion=${rv}`), undefined, sink);
  s.create('pods', pod('c'));
  assert.deepEqual(sink.summary(), ['ADDED b', 'MODIFIED a', 'ADDED c']);
  const rvs = sink.events.map((e) => Number((e.object as KObject).metadata.resourceVersion));
  assert.deepEqual(rvs, [...rvs].sort((x, y) => x - y));
  assert.ok(rvs[0]! > rv);
});

test('label selector transitions: ADDED when an object starts matching, DELETED when it stops', () => {
  const { s, hub } = setup();
  const sink = new Sink();
  hub.start(pods, opts('labelSelector=function%3Dhello'), undefined, sink);
  s.create('pods', pod('x', { function: 'other' }));
  s.update('pods', pod('x', { function: 'hello' }));
  s.update('pods', pod('x', { function: 'hello', extra: '1' }));
  s.update('pods', pod('x', { function: 'other' }));
  s.delete('pods', 'default', 'x');
  assert.deepEqual(sink.summary(), ['ADDED x', 'MODIFIED x', 'DELETED x']);
});

test('a compacted resourceVersion yields an ERROR event with a 410 Expired Status, then the stream ends', () => {
  const { s, hub } = setup(3);
  for (let i = 0; i < 6; i++) s.create('pods', pod(`p${i}`));
  const sink = new Sink();
  hub.start(pods, opts('resourceVersion=1'), undefined, sink);
  assert.deepEqual(sink.summary(), ['ERROR 410']);
  assert.deepEqual(sink.events[0]!.object, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (4)', reason: 'Expired', code: 410 });
  assert.equal(sink.ended, true);
  assert.equal(hub.active, 0);
});

test('bookmarks every interval when allowed, none otherwise; they carry the current resourceVersion', () => {
  const { s, clock, hub } = setup();
  const withB = new Sink();
  const without = new Sink();
  hub.start(pods, opts('allowWatchBookmarks=true&resourceVersion=0'), undefined, withB);
  hub.start(pods, opts('resourceVersion=0'), undefined, without);
  s.create('services', pod('unrelated'));
  clock.advance(1000);
  clock.advance(1000);
  assert.deepEqual(withB.summary(), ['BOOKMARK ', 'BOOKMARK ']);
  assert.equal((withB.events[0]!.object as KObject).metadata.resourceVersion, String(s.resourceVersion));
  assert.equal(without.events.length, 0);
});

test('server-side expiry: timeoutSeconds, else a jittered time in [min, max]; closeAll ends every watch', () => {
  const { clock, hub } = setup();
  const short = new Sink();
  const long = new Sink();
  hub.start(pods, opts('timeoutSeconds=5'), undefined, short);
  hub.start(pods, opts(''), undefined, long);
  clock.advance(4999);
  assert.equal(short.ended, false);
  clock.advance(1);
  assert.equal(short.ended, true);
  clock.advance(84_999);
  assert.equal(long.ended, false, 'random 0.5 puts expiry at 90 s');
  clock.advance(1);
  assert.equal(long.ended, true);
  const a = new Sink();
  const b = new Sink();
  hub.start(pods, opts(''), undefined, a);
  hub.start(pods, opts(''), undefined, b);
  assert.equal(hub.closeAll({ abrupt: true }), 2);
  assert.ok(a.destroyed && b.destroyed);
  assert.equal(hub.active, 0);
});

test('sendInitialEvents: current state, then a bookmark marked initial-events-end', () => {
  const { s, hub } = setup();
  s.create('pods', pod('a'));
  const sink = new Sink();
  hub.start(pods, opts('sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion='), undefined, sink);
  assert.deepEqual(sink.summary(), ['ADDED a', 'BOOKMARK ']);
  assert.deepEqual((sink.events[1]!.object as KObject).metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
});
