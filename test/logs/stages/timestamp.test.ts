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
    '202x-11-22T01:30:18Z',
    '20x6-11-22T01:30:18Z',
    '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000]',
  ];
  const p = new TimestampParser();
  for (const ts of cases) assert.ok(Number.isNaN(p.parse(ts, 0, ts.length)), JSON.stringify(ts));
});

/** Date.parse of an RFC 3339 timestamp, or NaN; the oracle for sequences read with the cached prefix. */
function expected(ts: string): number {
  return /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/.test(ts) ? Date.parse(ts.toUpperCase()) : Number.NaN;
}

test('one parser over a sequence: the cached seconds prefix gives the same times as reading each anew', () => {
  // each sequence runs through one parser, so that every timestamp follows the one before it
  const sequences: { name: string; stamps: string[] }[] = [
    {
      name: 'same second, fractions of every length, then the next second',
      stamps: ['2026-11-22T01:30:18.123456789Z', '2026-11-22T01:30:18.1Z', '2026-11-22T01:30:18Z', '2026-11-22T01:30:18.12Z', '2026-11-22T01:30:18.999999999Z', '2026-11-22T01:30:19.000000001Z'],
    },
    {
      name: 'same prefix, other zones',
      stamps: ['2026-11-22T01:30:18.5Z', '2026-11-22T01:30:18.5+02:00', '2026-11-22T01:30:18.5-05:30', '2026-11-22T01:30:18+14:00', '2026-11-22T01:30:18.250z', '2026-11-22t01:30:18.250Z'],
    },
    {
      name: 'across a minute, an hour, a day, a month, a year',
      stamps: ['2026-12-31T22:59:59.9Z', '2026-12-31T23:00:00Z', '2026-12-31T23:59:59.999Z', '2027-01-01T00:00:00.001Z', '2027-01-01T00:00:00.001+01:00', '2024-02-29T23:59:59Z', '2024-03-01T00:00:00Z'],
    },
    {
      name: 'back in time and back again',
      stamps: ['2026-11-22T01:30:18.1Z', '2026-11-22T01:30:17.9Z', '2026-11-22T01:30:18.2Z', '1999-12-31T23:59:59.9Z', '2026-11-22T01:30:18.3Z'],
    },
    {
      name: 'a bad tail after a good prefix stays bad, and the prefix stays good',
      stamps: ['2026-11-22T01:30:18.1Z', '2026-11-22T01:30:18.Z', '2026-11-22T01:30:18.1a3Z', '2026-11-22T01:30:18+0200', '2026-11-22T01:30:18.5+25:00', '2026-11-22T01:30:18', '2026-11-22T01:30:18.7Z'],
    },
    {
      name: 'a bad prefix between good ones',
      stamps: ['2026-11-22T01:30:18.1Z', '2026-11-22T24:30:18.1Z', '2026-11-22T01:60:18Z', '2026-11-22 01:30:18.1Z', '2026-11-22T01:30:18.2Z', '2026-13-22T01:30:18Z', '202x-11-22T01:30:18Z', '2026-11-22T01:30:18.3Z'],
    },
  ];
  for (const { name, stamps } of sequences) {
    const p = new TimestampParser();
    for (const ts of stamps) {
      const want = expected(ts);
      assert.ok(Object.is(p.parse(ts, 0, ts.length), want), `${name}: ${ts}`);
      // the same text inside a line, at an offset
      const line = `> ${ts} x`;
      assert.ok(Object.is(p.parse(line, 2, 2 + ts.length), want), `${name}: ${ts} at an offset`);
    }
  }
});

test('leading(): the timestamp a line starts with, up to its first space; where it ends', () => {
  const cases: { line: string; end: number; time: number }[] = [
    { line: '2026-11-22T01:30:18.123456789Z stdout F hi', end: 30, time: Date.parse('2026-11-22T01:30:18.123Z') },
    { line: '2026-11-22T01:30:18.123456789Z stdout F again', end: 30, time: Date.parse('2026-11-22T01:30:18.123Z') },
    { line: '2026-11-22T01:30:18.5+02:00 x', end: 27, time: Date.parse('2026-11-22T01:30:18.5+02:00') },
    { line: '2026-11-22T01:30:18Z', end: 20, time: Date.parse('2026-11-22T01:30:18Z') },
    { line: '2026-11-22T01:30:18Z', end: 20, time: Date.parse('2026-11-22T01:30:18Z') },
    { line: '2026-11-22T01:30:18 stdout F no zone', end: 19, time: Number.NaN },
    { line: '2026-11-22T01:30:18.1234567890123456789012Z x', end: 42, time: Number.NaN }, // over 40 characters
    { line: '2026-11-22T01:30:18.1234567890123456789Z x', end: 40, time: Date.parse('2026-11-22T01:30:18.123Z') },
    { line: '2026-11-22T01:30:18.12345678901234567890Zx', end: 42, time: Number.NaN }, // no space: the whole line
    { line: '2026-11-22T01:30:19.5Z next second', end: 22, time: Date.parse('2026-11-22T01:30:19.5Z') },
    { line: '2026 11-22T01:30:19.5Z a space inside', end: 4, time: Number.NaN },
    { line: '2026-11-22T01:30:19.5Z', end: 22, time: Date.parse('2026-11-22T01:30:19.5Z') },
    { line: '', end: 0, time: Number.NaN },
  ];
  const p = new TimestampParser();
  for (const c of cases) {
    const time = p.leading(c.line);
    assert.ok(Object.is(time, c.time), `${c.line}: ${time}`);
    if (!Number.isNaN(c.time)) assert.equal(p.end, c.end, c.line);
    // the same as parse() over the text up to the first space
    const sp = c.line.indexOf(' ');
    const end = sp < 0 ? c.line.length : sp;
    const want = end >= 20 && end <= 40 ? new TimestampParser().parse(c.line, 0, end) : Number.NaN;
    assert.ok(Object.is(time, want), `${c.line}: like parse()`);
  }
});
