import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimestampParser } from '../../../collector/src/logs/stages/timestamp.ts';

test('RFC 3339 timestamps read like Date.parse reads them, to the millisecond', () => {
  const cases = [
    '2026-11-22T01:30:18.123456789Z',
    '2026-11-22T01:30:18.123Z',
    '2026-11-22T01:30:18.1Z',
    '2026-11-22T01:30:18Z',
    '2026-11-22T01:30:18.999999999Z',
    '2026-11-22T03:30:18.5+02:00',
    '2026-11-21T20:00:18.250-05:30',
    '2026-02-28T23:59:59.000000001Z',
    '2024-02-29T00:00:00Z',
    '1999-12-31T23:59:59.9Z',
  ];
  const p = new TimestampParser();
  for (const ts of cases) {
    assert.equal(p.parse(ts, 0, ts.length), Date.parse(ts), ts);
    // and again inside a longer line, after the cached day has changed
    const line = `xx ${ts} stdout F hello`;
    assert.equal(p.parse(line, 3, 3 + ts.length), Date.parse(ts), `${ts} in a line`);
  }
});

test('anything else is NaN', () => {
  const cases = [
    '',
    '2026-11-22',
    '2026-11-22 01:30:18Z',
    '2026-11-22T01:30:18',
    '2026-11-22T01:30:18.Z',
    '2026-11-22T01:30:18.1a3Z',
    '2026-13-22T01:30:18Z',
    '2026-11-00T01:30:18Z',
    '2026-11-22T24:30:18Z',
    '2026-11-22T01:60:18Z',
    '2026-11-22T01:30:18+0200',
    '2026-11-22T01:30:18.5+25:00',
    'x026-11-22T01:30:18Z',
    '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000]',
  ];
  const p = new TimestampParser();
  for (const ts of cases) assert.ok(Number.isNaN(p.parse(ts, 0, ts.length)), JSON.stringify(ts));
});
