import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../collector/src/discovery/backoff.ts';

test('backoff doubles up to the cap, with jitter taken off the top', () => {
  const hi = new Backoff({ baseMs: 100, maxMs: 1000, jitter: 0.5 }, () => 0);
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => hi.next()), [100, 200, 400, 800, 1000, 1000]);
  const lo = new Backoff({ baseMs: 100, maxMs: 1000, jitter: 0.5 }, () => 0.999999);
  assert.deepEqual([1, 2, 3].map(() => lo.next()), [50, 100, 200]);
  lo.reset();
  assert.equal(lo.next(), 50);
});

test('backoff delays stay within [(1 - jitter) * raw, raw] and vary', () => {
  const b = new Backoff({ baseMs: 1000, maxMs: 1000, jitter: 0.3 });
  const seen = new Set<number>();
  for (let i = 0; i < 200; i++) {
    const d = b.next();
    assert.ok(d >= 700 && d <= 1000, String(d));
    seen.add(d);
  }
  assert.ok(seen.size > 10);
});
