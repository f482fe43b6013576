import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDecodeCounters, CriDecoder, type CriDecoderOptions } from '../../../collector/src/logs/stages/cri.ts';
import { createSequence } from '../../../collector/src/logs/stages/sequence.ts';
import type { LogLine } from '../../../collector/src/logs/types.ts';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';

const identity = { namespace: 'default', function: 'hello', pod: 'hello-6d4b9-x2x7k', container: 'hello' };

function decode(format: CriDecoderOptions['format'], raws: string[], options: Partial<CriDecoderOptions> = {}) {
  const out: LogLine[] = [];
  const d = new CriDecoder({ identity, format, emit: (l) => out.push(l), ...options });
  for (const r of raws) d.push(r);
  return { out, d };
}

const T1 = '2026-11-22T01:30:18.123456789Z';
const T2 = '2026-11-22T01:30:18.223456789Z';
const T3 = '2026-11-22T01:30:19.000000001Z';

test('CRI lines: stream, time, text; P fragments join per stream until F', () => {
  const cases: { name: string; raws: string[]; want: [string, string, string][] }[] = [
    { name: 'one full line', raws: [`${T1} stdout F hello world`], want: [['stdout', T1, 'hello world']] },
    { name: 'stderr', raws: [`${T1} stderr F boom`], want: [['stderr', T1, 'boom']] },
    { name: 'text keeps its spaces', raws: [`${T1} stdout F   indented  `], want: [['stdout', T1, '  indented  ']] },
    { name: 'empty line with a space', raws: [`${T1} stdout F `], want: [['stdout', T1, '']] },
    { name: 'empty line without it', raws: [`${T1} stdout F`], want: [['stdout', T1, '']] },
    { name: 'tags after the first one', raws: [`${T1} stdout F:x hi`], want: [['stdout', T1, 'hi']] },
    {
      name: 'partial fragments joined, first fragment time',
      raws: [`${T1} stdout P abc`, `${T2} stdout P def`, `${T3} stdout F ghi`],
      want: [['stdout', T1, 'abcdefghi']],
    },
    {
      name: 'streams are joined apart',
      raws: [`${T1} stdout P out-1 `, `${T1} stderr P err-1 `, `${T2} stderr F err-2`, `${T3} stdout F out-2`],
      want: [
        ['stderr', T1, 'err-1 err-2'],
        ['stdout', T1, 'out-1 out-2'],
      ],
    },
    {
      name: 'a line on the other stream is not held back by a partial one',
      raws: [`${T1} stdout P part`, `${T2} stderr F other`, `${T3} stdout F rest`],
      want: [
        ['stderr', T2, 'other'],
        ['stdout', T1, 'partrest'],
      ],
    },
    { name: 'offset time zone', raws: ['2026-11-22T03:30:18.5+02:00 stdout F x'], want: [['stdout', '2026-11-22T03:30:18.5+02:00', 'x']] },
  ];
  for (const c of cases) {
    const { out } = decode('cri', c.raws);
    assert.deepEqual(
      out.map((l) => [l.stream, l.timeText, l.text]),
      c.want,
      c.name,
    );
    for (const l of out) {
      assert.equal(l.time, Date.parse(l.timeText), c.name);
      assert.equal(l.truncated, false, c.name);
      assert.equal(l.access, null);
      assert.deepEqual([l.namespace, l.function, l.pod, l.container], Object.values(identity));
    }
  }
});

test('a runaway partial line comes out in pieces of at most the limit, flagged and counted', () => {
  const counters = createDecodeCounters();
  const frag = 'x'.repeat(16);
  const raws = [];
  for (let i = 0; i < 10; i++) raws.push(`${T1} stdout P ${frag}`); // 160 characters, no F yet
  raws.push(`${T2} stdout F end`);
  const { out, d } = decode('cri', raws, { maxLineLength: 50, counters });
  assert.equal(out.map((l) => l.text).join(''), frag.repeat(10) + 'end', 'no character lost');
  assert.ok(out.every((l) => l.text.length <= 50));
  assert.ok(out.length >= 4);
  assert.ok(out.every((l) => l.truncated));
  assert.ok(out.every((l) => l.timeText === T1));
  assert.equal(counters.cuts, out.length - 1);
  assert.equal(counters.partials, 10);
  assert.equal(counters.lines, out.length);
  assert.equal(d.pending, false);
  // pieces come out while the line is still growing, not only at its end
  const early = decode('cri', raws.slice(0, 10), { maxLineLength: 50 });
  assert.equal(early.out.length, 3);
  assert.equal(early.d.pending, true);
});

test('one whole line over the limit is cut too', () => {
  for (const format of ['cri', 'timestamped'] as const) {
    const counters = createDecodeCounters();
    const text = 'y'.repeat(120);
    const raw = format === 'cri' ? `${T1} stderr F ${text}` : `${T1} ${text}`;
    const { out } = decode(format, [raw], { maxLineLength: 50, counters });
    assert.deepEqual(out.map((l) => l.text.length), [50, 50, 20], format);
    assert.ok(out.every((l) => l.truncated), format);
    assert.equal(counters.cuts, 2, format);
    // at the limit exactly: one piece, not truncated
    const exact = decode(format, [format === 'cri' ? `${T1} stderr F ${'z'.repeat(50)}` : `${T1} ${'z'.repeat(50)}`], { maxLineLength: 50 });
    assert.deepEqual(exact.out.map((l) => [l.text.length, l.truncated]), [[50, false]], format);
  }
});

test('end() emits a partial line whose F never came, flagged', () => {
  const counters = createDecodeCounters();
  const { out, d } = decode('cri', [`${T1} stdout P half a li`, `${T2} stderr P other`], { counters });
  assert.equal(out.length, 0);
  assert.equal(d.pending, true);
  d.end();
  assert.deepEqual(out.map((l) => [l.stream, l.text, l.truncated]), [
    ['stdout', 'half a li', true],
    ['stderr', 'other', true],
  ]);
  assert.equal(counters.unterminated, 2);
  d.end();
  assert.equal(out.length, 2, 'nothing twice');
});

test('invalid lines pass through as plain text, counted, with the last time seen', () => {
  const invalid = [
    'no timestamp at all',
    `${T1} stdin F wrong stream`,
    `${T1} stdout X wrong tag`,
    `${T1} stdout PF two letters`,
    `2026-11-22T01:30:18.1234 stdout F no zone`,
    '',
  ];
  for (const raw of invalid) {
    const counters = createDecodeCounters();
    const { out } = decode('cri', [`${T1} stdout F before`, raw], { counters });
    assert.equal(out.length, 2, raw);
    assert.deepEqual([out[1]!.text, out[1]!.stream, out[1]!.timeText, out[1]!.time], [raw, 'combined', '', Date.parse(T1)], raw);
    assert.equal(counters.invalid, 1, raw);
  }
  // before any good line, the clock gives the time
  const clock = new ManualClock(1_795_311_000_000);
  const { out } = decode('cri', ['garbage'], { clock });
  assert.equal(out[0]!.time, 1_795_311_000_000);
});

test('an invalid line does not disturb a partial line waiting on its stream', () => {
  const { out } = decode('cri', [`${T1} stdout P abc`, 'garbage', `${T2} stdout F def`]);
  assert.deepEqual(out.map((l) => l.text), ['garbage', 'abcdef']);
});

test('pod log API lines (timestamps=true): stream combined, text after the first space', () => {
  const cases: [string, string, string][] = [
    [`${T1} hello world`, T1, 'hello world'],
    [`${T1}  two spaces`, T1, ' two spaces'],
    [`${T1} stdout F looks like CRI`, T1, 'stdout F looks like CRI'],
    [`2026-11-22T01:30:18Z x`, '2026-11-22T01:30:18Z', 'x'],
    [`${T1}`, T1, ''],
  ];
  for (const [raw, ts, text] of cases) {
    const counters = createDecodeCounters();
    const { out } = decode('timestamped', [raw], { counters });
    assert.deepEqual(out.map((l) => [l.stream, l.timeText, l.text, l.time]), [['combined', ts, text, Date.parse(ts)]], raw);
    assert.equal(counters.invalid, 0);
  }
  const counters = createDecodeCounters();
  const { out } = decode('timestamped', ['Traceback (most recent call last):'], { counters });
  assert.equal(out[0]!.text, 'Traceback (most recent call last):');
  assert.equal(counters.invalid, 1);
});

test('auto: CRI lines decoded, other lines plain and not counted as errors', () => {
  const counters = createDecodeCounters();
  const { out } = decode('auto', [`${T1} stderr F Traceback (most recent call last):`, '  File "/_kubeless.py", line 121, in handler', `${T1} hello`], { counters });
  assert.deepEqual(out.map((l) => [l.stream, l.text]), [
    ['stderr', 'Traceback (most recent call last):'],
    ['combined', '  File "/_kubeless.py", line 121, in handler'],
    ['combined', `${T1} hello`],
  ]);
  assert.equal(counters.invalid, 0);
});

test('seq increases by one per line; decoders can share a sequence', () => {
  const sequence = createSequence(100);
  const out: LogLine[] = [];
  const a = new CriDecoder({ identity, format: 'cri', emit: (l) => out.push(l), sequence });
  const b = new CriDecoder({ identity: { ...identity, pod: 'other' }, format: 'timestamped', emit: (l) => out.push(l), sequence });
  a.push(`${T1} stdout F 1`);
  b.push(`${T1} 2`);
  a.push(`${T1} stdout P 3`);
  a.push(`${T1} stdout F 3`);
  b.push('garbage');
  assert.deepEqual(out.map((l) => l.seq), [100, 101, 102, 103]);
  assert.deepEqual(out.map((l) => l.pod), ['hello-6d4b9-x2x7k', 'other', 'hello-6d4b9-x2x7k', 'other']);
});

test('stream and tag are read exactly, also after lines that share the timestamp prefix', () => {
  // every raw line follows a good line of the same second, so its prefix is the one the parser holds
  const cases: { raw: string; want: [string, string] | null }[] = [
    { raw: `${T2} stdout F x`, want: ['stdout', 'x'] },
    { raw: `${T2} stderr F x`, want: ['stderr', 'x'] },
    { raw: `${T2} stdout F:a:b x y`, want: ['stdout', 'x y'] },
    { raw: `${T2} stdout F:a:b`, want: ['stdout', ''] },
    { raw: `${T2} stdout F`, want: ['stdout', ''] },
    { raw: `${T2} stdout F `, want: ['stdout', ''] },
    { raw: `${T2} stdout F  x`, want: ['stdout', ' x'] },
    { raw: `${T2} stdout  F x`, want: null },
    { raw: `${T2} stdoutF x`, want: null },
    { raw: `${T2} stdout`, want: null },
    { raw: `${T2} stdout `, want: null },
    { raw: `${T2} stdout FF x`, want: null },
    { raw: `${T2} stdout f x`, want: null },
    { raw: `${T2} stdour F x`, want: null },
    { raw: `${T2} stderx F x`, want: null },
    { raw: `${T2} sTdout F x`, want: null },
    { raw: `${T2} xtdout F x`, want: null },
    { raw: `${T2} stdout_F x`, want: null },
    { raw: `${T2}`, want: null },
    { raw: `${T2}stdout F x`, want: null },
    { raw: `2026-11-22T01:30:18 stdout F no zone`, want: null },
    { raw: `2026-11-22T01:30:18.5+02:00 stderr F offset`, want: ['stderr', 'offset'] },
  ];
  for (const { raw, want } of cases) {
    const counters = createDecodeCounters();
    const { out } = decode('cri', [`${T1} stdout F before`, raw], { counters });
    const l = out[1]!;
    if (want === null) {
      assert.deepEqual([l.stream, l.text, l.timeText, counters.invalid], ['combined', raw, '', 1], raw);
    } else {
      const ts = raw.slice(0, raw.indexOf(' '));
      assert.deepEqual([l.stream, l.text, l.timeText, l.time, counters.invalid], [...want, ts, Date.parse(ts), 0], raw);
    }
  }
});
