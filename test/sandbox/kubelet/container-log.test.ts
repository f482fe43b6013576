import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerLogBuffer } from '../../../collector/src/sandbox/kubelet/container-log.ts';
import { LogTime, parseRfc3339Nano } from '../../../collector/src/sandbox/kubelet/log-time.ts';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';

test('entries get strictly increasing nanosecond times even when the clock stands still', () => {
  const log = new ContainerLogBuffer(new LogTime(new ManualClock()));
  for (let i = 0; i < 50; i++) log.append(i % 2 ? 'stderr' : 'stdout', `line ${i}`);
  const times = log.entries().map((e) => parseRfc3339Nano(e.time)!);
  for (let i = 1; i < times.length; i++) assert.ok(times[i]! > times[i - 1]!, `entry ${i}`);
  assert.deepEqual(log.entries().slice(0, 2).map((e) => [e.stream, e.text]), [['stdout', 'line 0'], ['stderr', 'line 1']]);
});

test('past the byte limit the oldest entries are dropped', () => {
  const log = new ContainerLogBuffer(new LogTime(new ManualClock()), 100);
  for (let i = 0; i < 30; i++) log.append('stdout', `entry-${String(i).padStart(2, '0')}`);
  const texts = log.entries().map((e) => e.text);
  assert.ok(log.bytes <= 100, `kept ${log.bytes} bytes`);
  assert.equal(texts.at(-1), 'entry-29');
  assert.equal(texts.length, 100 / 'entry-00\n'.length | 0);
  assert.equal(texts[0], `entry-${30 - texts.length}`);
});

test('subscribers get new entries, then onEnd once; later appends are ignored', async () => {
  const log = new ContainerLogBuffer(new LogTime(new ManualClock()));
  log.append('stdout', 'before');
  const seen: string[] = [];
  let ends = 0;
  const unsubscribe = log.subscribe((e) => seen.push(e.text), () => ends++);
  const other: string[] = [];
  const stopOther = log.subscribe((e) => other.push(e.text), () => {});
  log.append('stdout', 'one');
  stopOther();
  log.append('stderr', 'two');
  log.end();
  log.end();
  log.append('stdout', 'after end');
  assert.deepEqual(seen, ['one', 'two']);
  assert.deepEqual(other, ['one']);
  assert.equal(ends, 1);
  assert.ok(log.ended);
  assert.deepEqual(log.entries().map((e) => e.text), ['before', 'one', 'two']);
  unsubscribe();
  let lateEnd = 0;
  log.subscribe(() => assert.fail('no entries after the end'), () => lateEnd++);
  await Promise.resolve();
  assert.equal(lateEnd, 1, 'subscribing to an ended log reports the end');
});
