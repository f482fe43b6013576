import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { MultilineAssembler } from '../../collector/src/stacktrace/assembler.ts';
import type { TraceEvent } from '../../collector/src/stacktrace/assembler.ts';
import { createParsers } from '../../collector/src/stacktrace/languages/index.ts';

/** Lines of a real capture from the corpus. */
function corpus(path: string): string[] {
  const text = readFileSync(new URL(`../../testdata/stacktraces/${path}`, import.meta.url), 'utf8');
  return text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined);
}

type Out = { kind: 'line'; stream: string; text: string; first: number } | { kind: 'trace'; ev: TraceEvent };

function harness(opts: { maxLines?: number; maxWaitMs?: number; settleMs?: number } = {}) {
  const clock = new ManualClock();
  const out: Out[] = [];
  const asm = new MultilineAssembler({
    parsers: createParsers(),
    clock,
    ...opts,
    sink: {
      line: (stream, text, first) => out.push({ kind: 'line', stream, text, first }),
      trace: (ev) => out.push({ kind: 'trace', ev }),
    },
  });
  const traces = (): TraceEvent[] => out.flatMap((o) => (o.kind === 'trace' ? [o.ev] : []));
  const lines = (): string[] => out.flatMap((o) => (o.kind === 'line' ? [o.text] : []));
  return { clock, out, asm, traces, lines };
}

// python-stderr from the real Kubeless runtime: header line 5, traceback 6-15, then an access line.
const KUBELESS_PY = corpus('python/kubeless-python-stderr.log');
// Real Go panic capture: panic at line 13 to the end of the file (23).
const GO_PANIC = corpus('go/kubeless-go-panic-logs.log');

test('a trace is flushed by the first line that does not continue it, with its header line', () => {
  const h = harness();
  KUBELESS_PY.slice(0, 16).forEach((l, i) => h.asm.push('s', l, i + 1));
  assert.equal(h.traces().length, 1, 'flushed by the INFO:requestlogger line');
  const ev = h.traces()[0]!;
  assert.equal(ev.first, 5);
  assert.equal(ev.last, 15);
  assert.equal(ev.lines[0], "ERROR:root:Function returned an exception: 'missing'");
  assert.equal(ev.trace.type, 'KeyError');
  // the line that closed it is not swallowed: it comes out next, as a plain line
  assert.deepEqual(h.out.at(-1), { kind: 'line', stream: 's', text: KUBELESS_PY[15], first: 16 });
});

test('every input line comes out exactly once, in order per stream', () => {
  const h = harness();
  KUBELESS_PY.forEach((l, i) => h.asm.push('s', l, i + 1));
  h.asm.end();
  const seen: number[] = [];
  for (const o of h.out) {
    if (o.kind === 'line') seen.push(o.first);
    else for (let n = o.ev.first; n <= o.ev.last; n++) seen.push(n);
  }
  assert.deepEqual(seen, KUBELESS_PY.map((_, i) => i + 1));
  assert.equal(h.traces().length, 2);
});

const endings: Array<{ name: string; finish: (h: ReturnType<typeof harness>) => void; expectLast: number }> = [
  { name: 'end of input', finish: (h) => h.asm.end(), expectLast: 23 },
  { name: 'maxWait without a new line', finish: (h) => h.clock.advance(1000), expectLast: 23 },
  { name: 'flush() of the stream', finish: (h) => h.asm.flush('go'), expectLast: 23 },
];
for (const c of endings) {
  test(`a trace at the end of a stream is emitted on ${c.name}`, () => {
    const h = harness({ maxWaitMs: 1000 });
    GO_PANIC.forEach((l, i) => h.asm.push('go', l, i + 1));
    assert.equal(h.traces().length, 0, 'still open: a goroutine dump may go on');
    c.finish(h);
    assert.equal(h.traces().length, 1);
    assert.equal(h.traces()[0]!.last, c.expectLast);
    assert.equal(h.traces()[0]!.trace.type, 'panic');
  });
}

test('maxWait counts from the last line: a trace still growing is not cut', () => {
  const h = harness({ maxWaitMs: 1000, settleMs: 1000 });
  GO_PANIC.slice(0, 16).forEach((l, i) => {
    h.asm.push('go', l, i + 1);
    h.clock.advance(400);
  });
  assert.equal(h.traces().length, 0);
  h.clock.advance(600);
  assert.equal(h.traces().length, 1);
  assert.equal(h.traces()[0]!.last, 16);
  assert.equal(h.clock.pendingTimers, 0, 'no timer left once the stream holds nothing');
});

const settling: Array<{ name: string; lines: string[]; after: Out[] }> = [
  {
    name: 'a traceback that parses as it stands',
    lines: KUBELESS_PY.slice(4, 15),
    after: [],
  },
  { name: 'a logger header that no trace followed', lines: [KUBELESS_PY[4]!], after: [{ kind: 'line', stream: 's', text: KUBELESS_PY[4]!, first: 1 }] },
  {
    name: 'a candidate start that nothing continued',
    lines: ['java.lang.IllegalStateException: not yet'],
    after: [{ kind: 'line', stream: 's', text: 'java.lang.IllegalStateException: not yet', first: 1 }],
  },
];
for (const c of settling) {
  test(`settleMs after its last line, ${c.name} goes out; not before`, () => {
    const h = harness({ maxWaitMs: 1000, settleMs: 200 });
    c.lines.forEach((l, i) => h.asm.push('s', l, i + 1));
    h.clock.advance(199);
    assert.deepEqual(h.out, [], 'held for settleMs');
    h.clock.advance(1);
    if (c.after.length > 0) assert.deepEqual(h.out, c.after);
    else {
      assert.equal(h.traces().length, 1);
      assert.equal(h.traces()[0]!.trace.type, 'KeyError');
      assert.equal(h.traces()[0]!.last, c.lines.length);
    }
    assert.equal(h.clock.pendingTimers, 0);
  });
}

test('a trace that goes out on settleMs is parsed once, not once to settle and again to emit', () => {
  let parses = 0;
  const parsers = createParsers().map((p) => {
    const parse = p.parse.bind(p);
    return Object.assign(Object.create(p) as typeof p, { parse: (block: readonly string[]) => (parses++, parse(block)) });
  });
  const clock = new ManualClock();
  const traces: TraceEvent[] = [];
  const asm = new MultilineAssembler({ parsers, clock, maxWaitMs: 1000, settleMs: 200, sink: { line: () => undefined, trace: (ev) => void traces.push(ev) } });
  KUBELESS_PY.slice(5, 15).forEach((l, i) => asm.push('s', l, i + 1));
  clock.advance(200);
  assert.equal(traces.length, 1);
  assert.equal(traces[0]!.trace.type, 'KeyError');
  assert.equal(parses, 1);
});

test('a block that does not parse yet (no exception line) waits for the rest up to maxWait', () => {
  const h = harness({ maxWaitMs: 1000, settleMs: 200 });
  const tb = KUBELESS_PY.slice(5, 15); // Traceback … raise res, KeyError last
  tb.slice(0, -1).forEach((l, i) => h.asm.push('s', l, i + 1));
  h.clock.advance(700);
  assert.deepEqual(h.out, [], 'frames without their exception: still waiting');
  h.asm.push('s', tb.at(-1)!, tb.length);
  h.clock.advance(200);
  assert.equal(h.traces().length, 1, 'whole once the exception line came');
  assert.equal(h.traces()[0]!.trace.type, 'KeyError');
  assert.equal(h.traces()[0]!.last, tb.length);

  const cut = harness({ maxWaitMs: 1000, settleMs: 200 });
  tb.slice(0, -1).forEach((l, i) => cut.asm.push('s', l, i + 1));
  cut.clock.advance(999);
  assert.deepEqual(cut.out, []);
  cut.clock.advance(1);
  assert.equal(cut.out.length, tb.length - 1, 'at maxWait it goes out as it is (here: lines, since it never parsed)');
  assert.equal(cut.clock.pendingTimers, 0);
});

test('one timer serves consecutive blocks of a stream, and end() stops it', () => {
  const h = harness({ maxWaitMs: 1000 });
  for (let round = 0; round < 3; round++) GO_PANIC.slice(12).forEach((l, i) => h.asm.push('go', l, round * 100 + i));
  assert.equal(h.clock.pendingTimers, 1);
  h.asm.end();
  assert.equal(h.traces().length, 3);
  assert.equal(h.clock.pendingTimers, 0);
});

test('the line cap cuts a long trace into a parsed block and plain lines', () => {
  const java = corpus('java/overflow.log');
  const h = harness({ maxLines: 100 });
  java.forEach((l, i) => h.asm.push('j', l, i + 1));
  h.asm.end();
  assert.equal(h.traces().length, 1);
  assert.equal(h.traces()[0]!.last, 100);
  assert.equal(h.traces()[0]!.trace.frames.length, 99);
  assert.equal(h.lines().length, java.length - 100);
});

test('a candidate start is kept only when the next line continues it', () => {
  const h = harness();
  // "SEVERE: …" and "TypeError: …"-like lines are candidates or headers; prose after them confirms nothing.
  const lines = corpus('negative/python-logging.log');
  lines.forEach((l, i) => h.asm.push('s', l, i + 1));
  h.asm.end();
  assert.equal(h.traces().length, 0);
  assert.deepEqual(h.lines(), lines);
});

test('streams are assembled apart: interleaved pods do not mix', () => {
  const h = harness();
  const py = KUBELESS_PY.slice(4, 15);
  const go = GO_PANIC.slice(12);
  const n = Math.max(py.length, go.length);
  for (let i = 0; i < n; i++) {
    if (i < py.length) h.asm.push('pod-a', py[i]!, 100 + i);
    if (i < go.length) h.asm.push('pod-b', go[i]!, 200 + i);
    h.asm.push('pod-c', `request ${i} ok`, 300 + i);
  }
  h.asm.end();
  const byStream = new Map(h.traces().map((t) => [t.stream, t]));
  assert.equal(byStream.get('pod-a')?.trace.language, 'python');
  assert.equal(byStream.get('pod-a')?.lines.length, py.length);
  assert.equal(byStream.get('pod-b')?.trace.language, 'go');
  assert.equal(byStream.get('pod-b')?.lines.length, go.length);
  assert.equal(h.traces().length, 2);
  assert.equal(h.lines().length, n);
});

test('oldestPending names the first line still held back', () => {
  const h = harness();
  h.asm.push('a', 'plain', 1);
  assert.equal(h.asm.oldestPending(), Infinity);
  GO_PANIC.slice(12, 15).forEach((l, i) => h.asm.push('b', l, 10 + i));
  assert.equal(h.asm.oldestPending(), 10);
  h.asm.end();
  assert.equal(h.asm.oldestPending(), Infinity);
});

test('a block that does not parse is given back: its later lines can start a trace', () => {
  const h = harness();
  // A node uncaught-exception header ("file:line") swallows one source line, then a real traceback begins.
  const lines = ['/srv/app/index.js:12', ...KUBELESS_PY.slice(5, 15)];
  lines.forEach((l, i) => h.asm.push('s', l, i + 1));
  h.asm.end();
  assert.equal(h.traces().length, 1);
  assert.equal(h.traces()[0]!.first, 2);
  assert.equal(h.traces()[0]!.trace.language, 'python');
  assert.deepEqual(h.lines(), ['/srv/app/index.js:12']);
});

test('trailing blank lines stay outside the trace', () => {
  const h = harness();
  const lines = [...corpus('java/jullogging.log').slice(2, 7), ''];
  lines.forEach((l, i) => h.asm.push('s', l, i + 1));
  h.asm.end();
  assert.equal(h.traces()[0]!.first, 2, 'SEVERE: header attached');
  assert.equal(h.traces()[0]!.last, 5);
  assert.deepEqual(h.lines(), [lines[0], '']);
});

test('close() forgets a stream after flushing it', () => {
  const h = harness();
  GO_PANIC.slice(12).forEach((l, i) => h.asm.push('gone', l, i));
  h.asm.close('gone');
  assert.equal(h.traces().length, 1);
  assert.equal(h.asm.oldestPending(), Infinity);
});

// Logger header lines of each kind the start filter lets through to isLogHeader(), and near misses.
const HEADER_CASES: Array<{ header: string; attached: boolean }> = [
  { header: "ERROR:root:Function returned an exception: 'missing'", attached: true },
  { header: 'SEVERE: charge failed', attached: true },
  { header: '02:41:56.325 [main] ERROR com.example.shop.Slf4jLogging - request 17 failed', attached: true },
  { header: '2026-11-22T02:41:57,331 ERROR [main] c.e.s.Log4jLogging - save failed', attached: true },
  { header: '[02:54:20.641] [main] FATAL org.acme.billing.Log4jSuppressed - export aborted', attached: true },
  { header: '2026-11-22 02:41:07,546 WARNING [payments] retry', attached: true },
  { header: '2026-11-22 02:41:07,546 INFO [payments] done', attached: false },
  { header: '2026-11-22 10:00:00 TERRORIST_MODE off', attached: false },
  { header: 'Errors are counted per function', attached: false },
];

for (const { header, attached } of HEADER_CASES) {
  for (const parserCount of [7, 31]) {
    test(`a header line ${attached ? 'is' : 'is not'} attached to the trace after it, ${parserCount} parsers: ${header.slice(0, 40)}`, () => {
      const out: Out[] = [];
      // 31 parsers leave no bit for the header shapes: isLogHeader() is then asked of every line
      const none = { language: 'go' as const, startKind: () => 'no' as const, continues: () => false, parse: () => null };
      const asm = new MultilineAssembler({
        parsers: [...createParsers(), ...Array.from({ length: parserCount - 7 }, () => none)],
        clock: new ManualClock(),
        sink: { line: (stream, text, first) => out.push({ kind: 'line', stream, text, first }), trace: (ev) => out.push({ kind: 'trace', ev }) },
      });
      const lines = [header, ...KUBELESS_PY.slice(5, 15)];
      lines.forEach((l, i) => asm.push('s', l, i + 1));
      asm.end();
      const traces = out.flatMap((o) => (o.kind === 'trace' ? [o.ev] : []));
      assert.equal(traces.length, 1);
      assert.equal(traces[0]!.first, attached ? 1 : 2);
      assert.equal(traces[0]!.lines[0], attached ? header : KUBELESS_PY[5]);
    });
  }
}

test('with headers off, a header line is a plain line', () => {
  const out: string[] = [];
  const asm = new MultilineAssembler({ parsers: createParsers(), clock: new ManualClock(), headers: false, sink: { line: (_s, text) => out.push(text), trace: () => {} } });
  [HEADER_CASES[0]!.header, ...KUBELESS_PY.slice(5, 15)].forEach((l, i) => asm.push('s', l, i + 1));
  asm.end();
  assert.deepEqual(out, [HEADER_CASES[0]!.header]);
});
