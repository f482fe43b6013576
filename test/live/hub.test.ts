import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TailHub, CLOSE_TOO_SLOW, type TailSink } from '../../collector/src/live/hub.ts';
import { TailFilter } from '../../collector/src/live/filter.ts';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { line } from '../support/records.ts';

class FakeSink implements TailSink {
  bufferedAmount = 0;
  frames: Array<{ dropped: number; records: Array<{ text: string }> }> = [];
  closed: { code: number; reason: string } | undefined;
  send(frame: string): void {
    this.frames.push(JSON.parse(frame) as FakeSink['frames'][number]);
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
  texts(): string[] {
    return this.frames.flatMap((f) => f.records.map((r) => r.text));
  }
}

test('records published in one interval share one frame per subscriber, in order', () => {
  const clock = new ManualClock();
  const hub = new TailHub({ clock, limits: { flushIntervalMs: 25 } });
  const a = new FakeSink();
  const b = new FakeSink();
  hub.subscribe(new TailFilter({ namespace: 'default', function: 'hello' }), a);
  hub.subscribe(new TailFilter({ function: 'other' }), b);
  for (let i = 0; i < 5; i++) hub.publish(line(`l${i}`));
  assert.equal(a.frames.length, 0, 'nothing is sent before the flush interval');
  clock.advance(25);
  assert.equal(a.frames.length, 1);
  assert.deepEqual(a.texts(), ['l0', 'l1', 'l2', 'l3', 'l4']);
  assert.equal(b.frames.length, 0, 'a subscriber of another function gets nothing');
  assert.equal(hub.stats().delivered, 5);
});

test('a full queue drops new records, counts them, and reports the count in the next frame', () => {
  const clock = new ManualClock();
  const hub = new TailHub({ clock, limits: { queueRecords: 3, flushIntervalMs: 10, stuckMs: 1000 } });
  const s = new FakeSink();
  s.bufferedAmount = 10 * 1024 * 1024; // congested transport: nothing can be sent
  hub.subscribe(new TailFilter({}), s);
  for (let i = 0; i < 10; i++) hub.publish(line(`l${i}`));
  clock.advance(10);
  assert.equal(s.frames.length, 0);
  s.bufferedAmount = 0; // drained
  clock.advance(10);
  assert.deepEqual(s.texts(), ['l0', 'l1', 'l2']);
  assert.equal(s.frames[0]!.dropped, 7);
  assert.equal(hub.stats().dropped, 7);
  hub.publish(line('next'));
  clock.advance(10);
  assert.equal(s.frames[1]!.dropped, 0, 'the drop count is reported once');
});

test('a subscriber stuck past stuckMs is closed with a reason; others keep flowing', () => {
  const clock = new ManualClock();
  const hub = new TailHub({ clock, limits: { queueRecords: 2, flushIntervalMs: 10, stuckMs: 100 } });
  const slow = new FakeSink();
  const fast = new FakeSink();
  slow.bufferedAmount = 1e9;
  hub.subscribe(new TailFilter({}), slow);
  hub.subscribe(new TailFilter({}), fast);
  for (let t = 0; t < 20; t++) {
    hub.publish(line(`l${t}`));
    clock.advance(10);
  }
  assert.equal(slow.closed?.code, CLOSE_TOO_SLOW);
  assert.match(slow.closed.reason, /too slow: \d+ records dropped/);
  assert.equal(fast.texts().length, 20);
  assert.equal(hub.stats().subscribers, 1);
  assert.equal(hub.stats().closedSlow, 1);
});

test('unsubscribe stops delivery and frees the index', () => {
  const clock = new ManualClock();
  const hub = new TailHub({ clock });
  const s = new FakeSink();
  const off = hub.subscribe(new TailFilter({ namespace: 'default', function: 'hello' }), s);
  off();
  hub.publish(line('x'));
  clock.advance(100);
  assert.equal(s.frames.length, 0);
  assert.equal(hub.stats().subscribers, 0);
});

test('the subscriber limit is enforced', () => {
  const hub = new TailHub({ clock: new ManualClock(), limits: { maxSubscribers: 1 } });
  hub.subscribe(new TailFilter({}), new FakeSink());
  assert.throws(() => hub.subscribe(new TailFilter({}), new FakeSink()), /too many live-tail subscribers/);
});
