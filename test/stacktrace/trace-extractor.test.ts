import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { TraceExtractor } from '../../collector/src/stacktrace/trace-extractor.ts';
import type { ExceptionRecord } from '../../collector/src/stacktrace/trace-extractor.ts';
import { createParsers } from '../../collector/src/stacktrace/languages/index.ts';

const read = (p: string): string => readFileSync(new URL(`../../testdata/stacktraces/${p}`, import.meta.url), 'utf8');

function run(chunks: Array<string | Buffer>, opts: { maxPartial?: number; clock?: ManualClock } = {}): ExceptionRecord[] {
  const out: ExceptionRecord[] = [];
  const x = new TraceExtractor({ parsers: createParsers(), clock: opts.clock ?? new ManualClock(), onRecord: (r) => out.push(r), ...opts });
  for (const c of chunks) x.write(c);
  x.end();
  return out;
}

const inputs = ['python/kubeless-python-logs.log', 'nodejs/cri-interleave.log', 'python/cri-interleave.log', 'go/goroutine.log'];

for (const name of inputs) {
  test(`${name}: the same records however the bytes are chunked`, () => {
    const bytes = Buffer.from(read(name));
    const whole = run([bytes]);
    assert.ok(whole.length > 0);
    for (const size of [1, 7, 64, 4096]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      assert.deepEqual(run(chunks), whole, `chunks of ${size} bytes`);
    }
  });
}

test('a multi-byte character split across chunks is decoded whole', () => {
  const text = "Traceback (most recent call last):\n  File \"/a.py\", line 1, in <module>\n    f()\nValueError: caf\u00e9 \u2192 \u20ac\n";
  const bytes = Buffer.from(text);
  const at = bytes.indexOf(0xe2);
  const recs = run([bytes.subarray(0, at + 1), bytes.subarray(at + 1)]);
  assert.equal(recs[0]?.message, 'caf\u00e9 \u2192 \u20ac');
});

test('CRI partial lines are joined and line numbers count physical lines', () => {
  // nodejs/cri-interleave.log: each stdout access line is split into P records, traces are on stderr.
  const recs = run([read('nodejs/cri-interleave.log')]);
  assert.equal(recs.length, 2);
  for (const r of recs) {
    assert.equal(r.type, 'TypeError');
    assert.equal(r.frames[0]?.function, 'hello');
  }
  const lines = read('nodejs/cri-interleave.log').split('\n');
  assert.match(lines[recs[0]!.first_line - 1]!, /stderr [PF] Function failed to execute: TypeError/);
  assert.match(lines[recs[0]!.last_line - 1]!, / stderr F /);
});

test('CRI streams are assembled apart from each other and from plain lines', () => {
  const trace = read('python/kubeless-python-stderr.log').split('\n').slice(4, 15);
  const lines: string[] = [];
  trace.forEach((l, i) => {
    lines.push(`2026-11-22T01:30:18.${String(i).padStart(9, '0')}Z stderr F ${l}`);
    lines.push(`2026-11-22T01:30:18.${String(i).padStart(9, '0')}Z stdout F 127.0.0.1 - - "GET / HTTP/1.1" 200 11`);
    lines.push('a plain line between them');
  });
  const recs = run([lines.join('\n') + '\n']);
  assert.equal(recs.length, 1);
  assert.equal(recs[0]!.type, 'KeyError');
  assert.equal(recs[0]!.first_line, 1);
  assert.equal(recs[0]!.last_line, 31);
});

test('records come out in order of their first line across streams', () => {
  const goPanic = read('go/kubeless-go-panic-logs.log').split('\n').slice(12, 23);
  const py = read('python/kubeless-python-stderr.log').split('\n').slice(4, 15);
  const lines: string[] = [];
  // the go trace starts first on stdout but ends last; the python one on stderr is complete first
  lines.push(`2026-11-22T01:30:18.000000000Z stdout F ${goPanic[0]}`);
  for (const l of py) lines.push(`2026-11-22T01:30:18.000000001Z stderr F ${l}`);
  lines.push('2026-11-22T01:30:18.000000002Z stderr F INFO:requestlogger:done');
  for (const l of goPanic.slice(1)) lines.push(`2026-11-22T01:30:18.000000003Z stdout F ${l}`);
  const seen: string[] = [];
  const x = new TraceExtractor({ parsers: createParsers(), clock: new ManualClock(), onRecord: (r) => seen.push(`${r.first_line}:${r.language}`) });
  x.write(lines.join('\n') + '\n');
  assert.deepEqual(seen, [], 'the python record waits for the go trace that started before it');
  x.end();
  assert.deepEqual(seen, ['1:go', '2:python']);
});

test('a runaway CRI partial line is cut at maxPartial', () => {
  const part = 'x'.repeat(100);
  const lines = Array.from({ length: 50 }, () => `2026-11-22T01:30:18.000000000Z stdout P ${part}`);
  lines.push(...read('go/nil-map.log').split('\n').filter((l) => l !== '').map((l) => `2026-11-22T01:30:18.000000000Z stdout F ${l}`));
  const recs = run([lines.join('\n') + '\n'], { maxPartial: 1000 });
  assert.equal(recs.length, 1, 'the panic after the long partial line is still found');
  assert.equal(recs[0]!.language, 'go');
});

test('the wait timer releases a trace while the input stays open', () => {
  const clock = new ManualClock();
  const out: ExceptionRecord[] = [];
  const x = new TraceExtractor({ parsers: createParsers(), clock, maxWaitMs: 500, onRecord: (r) => out.push(r) });
  x.write(read('go/nil-map.log'));
  assert.equal(out.length, 0);
  clock.advance(500);
  assert.equal(out.length, 1);
  assert.equal(out[0]!.message, 'assignment to entry in nil map');
});
