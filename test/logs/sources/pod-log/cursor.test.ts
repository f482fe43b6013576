import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogCursor, normalizeTimestamp } from '../../../../collector/src/logs/sources/pod-log/cursor.ts';

test('normalizeTimestamp pads the fraction and converts offsets to UTC', () => {
  const cases: Array<[string, string | null]> = [
    ['2026-11-22T01:30:18.5Z', '2026-11-22T01:30:18.500000000Z'],
    ['2026-11-22T01:30:18Z', '2026-11-22T01:30:18.000000000Z'],
    ['2026-11-22T01:30:18.123456789Z', '2026-11-22T01:30:18.123456789Z'],
    ['2026-11-22T03:30:18.1+02:00', '2026-11-22T01:30:18.100000000Z'],
    ['hello', null],
  ];
  for (const [input, want] of cases) assert.equal(normalizeTimestamp(input), want, input);
  // Trimmed fractions sort wrongly as text; normalised ones sort right.
  assert.ok(normalizeTimestamp('2026-11-22T01:30:18.5Z')! > normalizeTimestamp('2026-11-22T01:30:18.123Z')!);
});

test('a replay after reconnect passes on only unseen lines, including repeats of one timestamp', () => {
  const c = new LogCursor();
  const first = ['2026-11-22T01:00:00.1Z', '2026-11-22T01:00:00.2Z', '2026-11-22T01:00:00.2Z'];
  assert.deepEqual(first.map((t) => c.accept(t)), [true, true, true]);
  assert.equal(c.sinceTime, '2026-11-22T01:00:00.2Z');
  c.reset();
  // The server resends from the start of that second (second-precision sinceTime), then new lines.
  const replay = ['2026-11-22T01:00:00.1Z', '2026-11-22T01:00:00.2Z', '2026-11-22T01:00:00.2Z', '2026-11-22T01:00:00.2Z', '2026-11-22T01:00:01Z'];
  assert.deepEqual(replay.map((t) => c.accept(t)), [false, false, false, true, true]);
});

test('lines without a timestamp are never dropped; snapshot/restore keeps the position', () => {
  const c = new LogCursor();
  assert.equal(c.accept('garbage'), true);
  c.accept('2026-11-22T01:00:00Z');
  const snap = c.snapshot()!;
  const d = new LogCursor();
  d.restore(snap.raw, snap.atLast);
  d.reset();
  assert.equal(d.accept('2026-11-22T01:00:00Z'), false);
  assert.equal(d.accept('2026-11-22T01:00:02Z'), true);
});
