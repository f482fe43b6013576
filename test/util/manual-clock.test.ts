import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';

test('ManualClock runs timers in due order and only when advanced', () => {
  const c = new ManualClock(1000);
  const seen: string[] = [];
  c.setTimeout(() => seen.push('b'), 20);
  c.setTimeout(() => seen.push('a'), 10);
  const t = c.setTimeout(() => seen.push('x'), 15);
  t.cancel();
  c.advance(9);
  assert.deepEqual(seen, []);
  c.advance(11);
  assert.deepEqual(seen, ['a', 'b']);
  assert.equal(c.now(), 1020);
  assert.equal(c.pendingTimers, 0);
});

test('ManualClock.sleep resolves on advance and rejects on abort', async () => {
  const c = new ManualClock();
  const p = c.sleep(50);
  c.advance(50);
  await p;
  const ac = new AbortController();
  const q = c.sleep(50, ac.signal);
  ac.abort(new Error('stop'));
  await assert.rejects(q, /stop/);
});
