import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogTime, formatRfc3339Nano, parseRfc3339Nano } from '../../../collector/src/sandbox/kubelet/log-time.ts';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';

test('RFC 3339 with nine fractional digits, and back', () => {
  const cases: Array<[bigint, string]> = [
    [1_795_311_018_502_045_123n, '2026-11-22T01:30:18.502045123Z'],
    [1_795_311_018_000_000_000n, '2026-11-22T01:30:18.000000000Z'],
    [7n, '1970-01-01T00:00:00.000000007Z'],
  ];
  for (const [ns, text] of cases) {
    assert.equal(formatRfc3339Nano(ns), text);
    assert.equal(parseRfc3339Nano(text), ns);
  }
  assert.equal(parseRfc3339Nano('2026-11-22T01:30:18Z'), 1_795_311_018_000_000_000n);
  assert.equal(parseRfc3339Nano('2026-11-22T02:30:18.5+01:00'), 1_795_311_018_500_000_000n);
  for (const bad of ['', 'yesterday', '2026-11-22 01:30:18Z', '2026-11-22T01:30:18.1234567890Z']) assert.equal(parseRfc3339Nano(bad), undefined, bad);
});

test('follows the injected clock, with the high-resolution timer between its readings', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 22, 1, 30, 18));
  const t = new LogTime(clock);
  const a = t.nowNs();
  const b = t.nowNs();
  assert.ok(b >= a);
  assert.ok(a - BigInt(clock.now()) * 1_000_000n < 1_000_000_000n);
  clock.advance(3_600_000);
  const later = t.nowNs();
  assert.ok(later >= BigInt(clock.now()) * 1_000_000n, 'an hour later by the clock');
  assert.ok(later - BigInt(clock.now()) * 1_000_000n < 1_000_000_000n);
});
