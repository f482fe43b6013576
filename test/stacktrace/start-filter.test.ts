import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StartFilter, anyCharExcept } from '../../collector/src/stacktrace/start-filter.ts';
import { LOG_HEADER_SHAPES, isLogHeader } from '../../collector/src/stacktrace/log-header.ts';
import { createParsers } from '../../collector/src/stacktrace/languages/index.ts';
import type { StartKind, TraceParser } from '../../collector/src/stacktrace/types.ts';

const TESTDATA = join(import.meta.dirname, '..', '..', 'testdata');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.log') || p.endsWith('.txt') ? [p] : [];
  });
}

/** Every line of every capture: traces of all seven runtimes, access logs, negatives, held-out traces. */
const LINES = [
  ...new Set(
    ['stacktraces', 'access-logs', 'kubeless-runtimes'].flatMap((d) => files(join(TESTDATA, d))).flatMap((f) => readFileSync(f, 'utf8').split('\n')),
  ),
];

// Lines at the edges of the shapes: empty, one character, non-ASCII first or last, each start layout.
const EDGES = [
  '', ' ', 'T', ':', '\u00e9Error: x', 'x\u00e9', '{"err":"TypeError: x"}', '[TypeError: x]', '\tat x', 'Error',
  'Traceback (most recent call last):', '  File "x.py", line 3', 'panic: x', 'fatal error: x', 'http: panic serving 1.2.3.4:5: x',
  '2026/11/22 01:30:00 http: panic serving 1.2.3.4:5: x', 'Exception in thread "main" java.lang.X: y', 'a.b.C: d',
  '#<Thread:0x1 run> terminated with exception (report_on_exception is true):', 'E, [2026-11-22T01:30:00.1 #1] ERROR -- : x (KeyError)',
  '2026-11-22 01:30:18 - KeyError - key not found: "x":', 'app.rb:3:in `f\': x (KeyError)', "app.rb:3:in 'f': x (KeyError)",
  'PHP Fatal error:  Uncaught Exception: x in /a.php:3', 'RuntimeException: x in /a.php:3', '\\App\\E: x in /a.php:3',
  'Unhandled exception. System.X: y', 'Unhandled Exception:', '[ERROR] FATAL UNHANDLED EXCEPTION: System.X: y', 'My.NsException: x',
  '/app/x.js:3', 'node:internal/x:3', 'file:///app/x.mjs:3', '<anonymous>:1', 'request failed: TypeError: x',
];

function kinds(parsers: readonly TraceParser[], line: string): StartKind[] {
  return parsers.map((p) => p.startKind(line));
}

test('the start filter never leaves out a parser that would start a trace on a line', () => {
  const parsers = createParsers();
  const filter = new StartFilter(parsers);
  let asked = 0;
  let starts = 0;
  for (const line of [...LINES, ...EDGES]) {
    const mask = filter.parsers(line);
    kinds(parsers, line).forEach((k, i) => {
      if (k !== 'no') {
        starts++;
        assert.ok((mask & (1 << i)) !== 0, `${parsers[i]!.language} says ${k} for ${JSON.stringify(line)} but the filter left it out`);
      }
    });
    for (let m = mask; m !== 0; m >>>= 1) asked += m & 1;
  }
  assert.ok(starts > 100, 'the corpus has start lines');
  // the point of the filter: most (line, parser) pairs are never asked
  assert.ok(asked < (LINES.length + EDGES.length) * parsers.length * 0.5, `asked ${asked} times`);
});

test('the logger header shapes hold on every line isLogHeader() is true for', () => {
  const parsers = createParsers();
  const filter = new StartFilter([...parsers, { startShapes: LOG_HEADER_SHAPES }]);
  const bit = 1 << parsers.length;
  const levels = ['ERROR', 'FATAL', 'CRITICAL', 'SEVERE', 'WARN', 'WARNING', 'EXCEPTION'];
  const generated = levels.flatMap((l) => [
    `${l}:`, `${l}: x`, `2026-11-22 ${l} x`, `[${l}] x`, `1 ${l}`, `[x|${l}|y]`, `12:00 [main] ${l} c.e.A - x`, `9${l}:`, `[${l}`,
  ]);
  let headers = 0;
  for (const line of [...LINES, ...EDGES, ...generated]) {
    if (!isLogHeader(line)) continue;
    headers++;
    assert.ok((filter.parsers(line) & bit) !== 0, `isLogHeader(${JSON.stringify(line)}) but the filter left it out`);
  }
  assert.ok(headers > 50, `${headers} header lines`);
  // and the point: most lines are not asked
  const asked = LINES.filter((l) => (filter.parsers(l) & bit) !== 0).length;
  assert.ok(asked < LINES.length * 0.3, `asked ${asked} of ${LINES.length}`);
});

test('a text with a fixed place is looked for there only', () => {
  const p: TraceParser = { language: 'ruby', startKind: () => 'no', continues: () => false, parse: () => null, startShapes: [{ contains: ' - ', at: 3 }] };
  const filter = new StartFilter([p]);
  const table: Array<[string, number]> = [
    ['abc - x', 1],
    ['ab - x', 0],
    ['abcd - x', 0],
    [' - ', 0],
    ['abc -', 0],
    ['abc - ', 1],
    ['abc - x - y', 1],
  ];
  for (const [line, want] of table) assert.equal(filter.parsers(line), want, line);
});

test('a line holding one parser\'s text names that parser, not the others with texts in play', () => {
  const mk = (contains: string): TraceParser => ({ language: 'go', startKind: () => 'no', continues: () => false, parse: () => null, startShapes: [{ contains }] });
  const filter = new StartFilter([mk('alpha'), mk('beta'), { ...mk('gamma'), startShapes: [{ contains: 'gamma' }, { contains: 'delta' }] }]);
  const table: Array<[string, number]> = [
    ['none here', 0b000],
    ['x alpha y', 0b001],
    ['x beta y', 0b010],
    ['x delta y', 0b100],
    ['gamma and alpha', 0b101],
    ['betalpha', 0b011], // overlapping texts are both found
    ['alphabetagammadelta', 0b111],
  ];
  for (const [line, want] of table) assert.equal(filter.parsers(line), want, line);
});

test('any number of contains shapes', () => {
  const shapes = Array.from({ length: 40 }, (_, i) => ({ contains: `t${i}x` }));
  const p: TraceParser = { language: 'go', startKind: () => 'no', continues: () => false, parse: () => null, startShapes: shapes };
  const filter = new StartFilter([p]);
  assert.equal(filter.parsers('a t39x b'), 1);
  assert.equal(filter.parsers('a t40x b'), 0);
});

test('a parser without start shapes is always asked', () => {
  const never: TraceParser = { language: 'go', startKind: () => 'no', continues: () => false, parse: () => null };
  const shaped: TraceParser = { ...never, startShapes: [{ first: 'X' }] };
  const filter = new StartFilter([shaped, never]);
  assert.equal(filter.parsers('hello'), 0b10);
  assert.equal(filter.parsers('Xhello'), 0b11);
  assert.equal(filter.parsers(''), 0b10);
});

test('shape conditions combine: first, last and contains must all hold', () => {
  const p: TraceParser = { language: 'php', startKind: () => 'no', continues: () => false, parse: () => null, startShapes: [{ first: 'ab', last: '9', contains: ' in ' }] };
  const filter = new StartFilter([p]);
  const table: Array<[string, number]> = [
    ['a thing in x:9', 1],
    ['b in 9', 1],
    ['c thing in x:9', 0],
    ['a thing in x:8', 0],
    ['a thing at x:9', 0],
    ['a.b*c in (x)+9', 1], // regex characters in the text are literal
  ];
  for (const [line, want] of table) assert.equal(filter.parsers(line), want, line);
});

test('contains texts are matched literally', () => {
  const p: TraceParser = { language: 'go', startKind: () => 'no', continues: () => false, parse: () => null, startShapes: [{ contains: 'a.b(' }] };
  const filter = new StartFilter([p]);
  assert.equal(filter.parsers('x a.b( y'), 1);
  assert.equal(filter.parsers('x axb( y'), 0);
});

test('anyCharExcept leaves out exactly the given characters and keeps non-ASCII', () => {
  const s = anyCharExcept('{[');
  assert.ok(!s.includes('{') && !s.includes('['));
  assert.ok(s.includes('a') && s.includes(' ') && s.includes('\u0080'));
  assert.equal(s.length, 128 - 2 + 1);
});
