/**
 * ExpositionParser.next(expected): a line that starts with the expected series text only has its value
 * and timestamp scanned. Whatever is asked of such a sample must be what a full parse gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ExpositionParser } from '../../../collector/src/scrape/parse/index.ts';

interface Seen {
  series: string;
  name: string;
  labels: Array<[string, string]>;
  value: number;
  ts: number | undefined;
  line: number;
  family: string;
  type: string;
  role: string;
  matched: boolean;
}

function parse(body: string, expect: (i: number) => string | undefined, format: 'prometheus' | 'openmetrics' = 'prometheus'): { seen: Seen[]; errors: string[] } {
  const p = new ExpositionParser({ format }).reset(body);
  const seen: Seen[] = [];
  while (p.next(expect(seen.length))) {
    // Read the value first and the names last: lazily scanned labels must not disturb anything.
    seen.push({ value: p.value, ts: p.timestampMs, line: p.line, matched: p.matched, series: p.series, family: p.family, type: p.type, role: p.role, name: p.name, labels: p.labels() });
  }
  return { seen, errors: p.errors.map((e) => `${e.line}: ${e.reason}`) };
}

const strip = (s: Seen[]): Array<Omit<Seen, 'matched'>> => s.map(({ matched: _m, ...rest }) => rest);

const bodies: Array<[string, string, 'prometheus' | 'openmetrics']> = [
  ['python runtime capture', readFileSync('testdata/kubeless-runtimes/python-metrics.txt', 'utf8'), 'prometheus'],
  ['nodejs runtime capture', readFileSync('testdata/kubeless-runtimes/nodejs-metrics.txt', 'utf8'), 'prometheus'],
  [
    'escapes, tabs, timestamps, exemplars',
    '# TYPE a counter\na_total{x="q\\"uo\\\\te",y="\\n"} 1 1700000000000\na_total{x="tab"}\t2\nb 3 # {trace="1"} 1\n# EOF\n',
    'openmetrics',
  ],
];

for (const [name, body, format] of bodies) {
  test(`next(expected) on ${name}: same samples as a full parse, every line matched`, () => {
    const full = parse(body, () => undefined, format);
    const fast = parse(body, (i) => full.seen[i]?.series, format);
    assert.ok(full.seen.length > 0);
    assert.deepEqual(strip(fast.seen), strip(full.seen));
    assert.deepEqual(fast.errors, full.errors);
    assert.ok(full.seen.every((s) => !s.matched));
    assert.ok(fast.seen.every((s) => s.matched), 'every series was where it was expected');
  });
}

test('next(expected) with the wrong expectation parses in full and reports no match', () => {
  const body = 'a{x="1"} 1\na{x="2"} 2\na{x="10"} 3\n';
  // Prefixes of the real series text must not match: a{x="1"} is not a{x="10"}.
  const wrong = ['a{x="2"}', 'a{x="1"}', 'a{x="1"}'];
  const got = parse(body, (i) => wrong[i]);
  assert.deepEqual(got.seen.map((s) => [s.series, s.value, s.matched]), [['a{x="1"}', 1, false], ['a{x="2"}', 2, false], ['a{x="10"}', 3, false]]);
});

test('next(expected) still reports a bad value on an expected line, and goes on', () => {
  const body = 'a{x="1"} one\na{x="2"} 2\n';
  const got = parse(body, () => 'a{x="1"}'); // line 1 takes the fast path and fails there
  assert.deepEqual(got.errors, ['1: invalid value "one"']);
  assert.deepEqual(got.seen.map((s) => [s.series, s.value, s.matched]), [['a{x="2"}', 2, false]]);
});

test('a series written with raw newlines in a label value is never taken on the fast path', () => {
  const body = 'a{msg="line one\nline two"} 1\nb 2\n';
  const full = parse(body, () => undefined);
  const fast = parse(body, (i) => full.seen[i]?.series);
  assert.deepEqual(strip(fast.seen), strip(full.seen));
  assert.equal(fast.seen[0]!.matched, false);
  assert.deepEqual(fast.errors, full.errors, 'the salvaged line is reported the same way');
});

test('release() forgets the body and what was read from it; reset() starts over', () => {
  const p = new ExpositionParser().reset('# TYPE a counter\na_total 1\nbad line\n');
  while (p.next());
  assert.equal(p.errors.length, 1);
  assert.equal(p.metadata.get('a')?.type, 'counter');
  p.release();
  assert.deepEqual([p.errors.length, p.metadata.size, p.next()], [0, 0, false]);
  p.reset('a_total 2\n');
  assert.ok(p.next());
  assert.deepEqual([p.name, p.value, p.type], ['a_total', 2, 'unknown']);
});
