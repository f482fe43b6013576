import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCron } from '../../../collector/src/sandbox/controller/cron.ts';

const at = (s: string): number => Date.parse(s);
const iso = (ms: number): string => new Date(ms).toISOString();

test('next fire times of five-field schedules and macros (UTC)', () => {
  const cases: Array<[string, string, string]> = [
    ['* * * * *', '2026-11-22T10:00:30Z', '2026-11-22T10:01:00.000Z'],
    ['*/5 * * * *', '2026-11-22T10:02:00Z', '2026-11-22T10:05:00.000Z'],
    ['*/5 * * * *', '2026-11-22T10:05:00Z', '2026-11-22T10:10:00.000Z'],
    ['0 * * * *', '2026-11-22T10:00:00Z', '2026-11-22T11:00:00.000Z'],
    ['30 2 * * *', '2026-11-22T10:00:00Z', '2026-11-23T02:30:00.000Z'],
    ['0 9 * * mon-fri', '2026-11-21T10:00:00Z', '2026-11-23T09:00:00.000Z'],
    ['0 0 1 jan *', '2026-11-22T10:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['15,45 8-9 * * *', '2026-11-22T08:20:00Z', '2026-11-22T08:45:00.000Z'],
    ['0 0 * * 7', '2026-11-22T10:00:00Z', '2026-11-29T00:00:00.000Z'],
    ['@hourly', '2026-11-22T10:59:59Z', '2026-11-22T11:00:00.000Z'],
    ['@daily', '2026-11-22T10:00:00Z', '2026-11-23T00:00:00.000Z'],
  ];
  for (const [expr, from, want] of cases) assert.equal(iso(parseCron(expr).next(at(from))), want, `${expr} after ${from}`);
});

test('malformed schedules are rejected', () => {
  for (const bad of ['* * * *', '61 * * * *', '*/0 * * * *', 'a b c d e', '5-1 * * * *', '* * 32 * *']) {
    assert.throws(() => parseCron(bad), Error, bad);
  }
});
