import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CrashBackoff, KUBELET_BACKOFF, goDuration } from '../../../collector/src/sandbox/kubelet/backoff.ts';

test('like the kubelet: restart at once, then wait 10s, 20s, ... capped at 5m', () => {
  const b = new CrashBackoff(KUBELET_BACKOFF);
  let now = 1_000_000;
  const waits: number[] = [];
  for (let crash = 0; crash < 9; crash++) {
    now += 1_000; // the container ran for a second
    const wait = b.delayAfterCrash(now, now);
    waits.push(wait);
    now += wait;
    if (wait > 0) b.restarted(now);
  }
  assert.deepEqual(waits, [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('the wait counts from when the container finished, and is forgotten after twice the ceiling', () => {
  const b = new CrashBackoff({ initialMs: 100, maxMs: 1_000 });
  assert.equal(b.delayAfterCrash(0, 0), 0);
  assert.equal(b.delayAfterCrash(500, 530), 70, 'decided 30 ms after the crash');
  b.restarted(600);
  assert.equal(b.current(), 200);
  assert.equal(b.delayAfterCrash(5_000, 5_000), 0, 'more than 2 x 1000 ms since the last back-off: start over');
  assert.equal(b.current(), 100);
});

test('bad settings are refused', () => {
  assert.throws(() => new CrashBackoff({ initialMs: 100, maxMs: 50 }), RangeError);
  assert.throws(() => new CrashBackoff({ initialMs: -1, maxMs: 50 }), RangeError);
});

test('goDuration prints like Go', () => {
  const cases: Array<[number, string]> = [[0, '0s'], [200, '200ms'], [10_000, '10s'], [80_000, '1m20s'], [160_000, '2m40s'], [300_000, '5m0s'], [1_500, '1.5s'], [3_723_000, '1h2m3s']];
  for (const [ms, want] of cases) assert.equal(goDuration(ms), want, String(ms));
});
