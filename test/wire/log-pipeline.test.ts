import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FunctionStats } from '../../collector/src/aggregate/index.ts';
import { ErrorGroups } from '../../collector/src/errors/index.ts';
import type { TailRecord } from '../../collector/src/events/records.ts';
import { LogBuffer, TailFilter, TailHub } from '../../collector/src/live/index.ts';
import { AccessLogStage, RedactStage, StagePipeline, createSequence, type StreamIdentity } from '../../collector/src/logs/index.ts';
import { createParsers } from '../../collector/src/stacktrace/index.ts';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { LogPipeline } from '../../collector/src/wire/log-pipeline.ts';
import { CollectorMetrics } from '../../collector/src/wire/metrics.ts';

// The real Kubeless python runtime's stderr: a logger header line, a traceback, access lines.
const PY = readFileSync(new URL('../../testdata/stacktraces/python/kubeless-python-stderr.log', import.meta.url), 'utf8').split('\n').filter((l) => l !== '');
// Its stdout: the access lines that count (the stderr copies do not).
const PY_ACCESS = readFileSync(new URL('../../testdata/access-logs/python-stdout.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.includes('"POST '));

function harness() {
  const clock = new ManualClock();
  const hub = new TailHub({ clock });
  const buffer = new LogBuffer();
  const errors = new ErrorGroups({ clock, logger: silentLogger() });
  const metrics = new CollectorMetrics({ inventory: () => [], hub: () => hub.stats(), store: () => ({ series: 0, bytes: 0, samples: 0, appended: 0 }), errorGroups: () => errors.size, recentErrorGroups: () => [], logStreams: () => [] });
  const pipeline = new LogPipeline({
    clock, sequence: createSequence(), parsers: createParsers(), hub, buffer, errors, metrics, stats: new FunctionStats(),
    stages: new StagePipeline([new RedactStage(), new AccessLogStage({ runtimeOf: () => 'python3.11', recorder: metrics.responseMetrics() })]),
  });
  const published: TailRecord[] = [];
  hub.subscribe(new TailFilter({}), { bufferedAmount: 0, send: (f) => published.push(...(JSON.parse(f) as { records: TailRecord[] }).records), close: () => undefined });
  return { clock, hub, buffer, errors, metrics, pipeline, published };
}

const ID: StreamIdentity = { namespace: 'default', function: 'hello', pod: 'hello-1', container: 'hello' };
const OTHER: StreamIdentity = { namespace: 'default', function: 'hello', pod: 'hello-2', container: 'hello' };

/** CRI lines: the python stderr capture on stderr, with a stdout line between each of its lines. */
function interleaved(): string[] {
  const out: string[] = [];
  PY.forEach((l, i) => {
    const ts = `2026-11-22T01:30:${String(10 + Math.floor(i / 10)).padStart(2, '0')}.${String(i).padStart(9, '0')}Z`;
    out.push(`${ts} stderr F ${l}`, `${ts} stdout F handled request ${i}`);
  });
  return out;
}

function all(buffer: LogBuffer): TailRecord[] {
  return buffer.query({ filter: new TailFilter({}), limit: 1e6 });
}

test('lines of two streams of one container, a trace on one of them: every line out once, the trace as one record', () => {
  const h = harness();
  const raws = interleaved();
  // in batches that cut through the trace, as a file tailer reads them
  for (let i = 0; i < raws.length; i += 7) h.pipeline.lines(ID, raws.slice(i, i + 7), 'cri');
  h.pipeline.flush();
  const records = all(h.buffer);
  const exceptions = records.filter((r) => r.kind === 'exception');
  assert.equal(exceptions.length, 2, 'two tracebacks in the capture');
  const ex = exceptions[0]!;
  assert.equal(ex.kind === 'exception' && ex.type, 'KeyError');
  assert.equal(ex.stream, 'stderr');
  assert.equal(ex.kind === 'exception' && ex.lines[0], "ERROR:root:Function returned an exception: 'missing'");
  // the record carries the seq and time of its first (header) line
  const lines = records.filter((r) => r.kind === 'line');
  const stdout = lines.filter((r) => r.stream === 'stdout').map((r) => (r.kind === 'line' ? r.text : ''));
  assert.deepEqual(stdout, PY.map((_, i) => `handled request ${i}`), 'every stdout line, in order, none held back by the stderr trace');
  const inTraces = exceptions.reduce((n, r) => n + (r.kind === 'exception' ? r.lines.length : 0), 0);
  assert.equal(lines.filter((r) => r.stream === 'stderr').length + inTraces, PY.length, 'every stderr line once: as a line or in a trace');
  const seqs = records.map((r) => r.seq);
  assert.equal(new Set(seqs).size, seqs.length, 'no record twice');
  assert.equal(ex.seq, Math.min(...records.filter((r) => r.stream === 'stderr').map((r) => r.seq).filter((s) => s >= ex.seq)));
});

test('a start line that nothing continues comes out alone, before the trace that the next line begins', () => {
  const h = harness();
  // a line that may begin a Node.js error (a candidate), then the python header and traceback
  const lines = ['TypeError: not followed by frames', ...PY.slice(3, 14)];
  h.pipeline.lines(ID, lines.map((l, i) => `2026-11-22T01:30:00.${String(i).padStart(9, '0')}Z stderr F ${l}`), 'cri');
  h.pipeline.flush();
  const records = all(h.buffer);
  assert.deepEqual(records.map((r) => r.kind), ['line', 'exception']);
  const [first, ex] = records;
  assert.ok(first?.kind === 'line' && first.text === lines[0]);
  assert.ok(ex?.kind === 'exception' && ex.lines.length === lines.length - 1 && ex.seq === first.seq + 1);
});

test('access lines carry their response; the hub gets what the buffer gets; counters add up per batch', async () => {
  const h = harness();
  h.pipeline.lines(ID, interleaved(), 'cri');
  h.pipeline.lines(OTHER, [...interleaved().slice(0, 4), ...PY_ACCESS.map((l) => `2026-11-22T01:31:00.000000000Z stdout F ${l}`)], 'cri');
  h.pipeline.end(ID);
  h.pipeline.end(OTHER);
  h.clock.advance(1000);
  const records = all(h.buffer);
  assert.deepEqual(h.published.map((r) => r.seq), records.map((r) => r.seq));
  const access = records.filter((r) => r.kind === 'line' && r.access !== undefined);
  assert.ok(access.length > 0);
  const a = access[0]!;
  assert.ok(a.kind === 'line' && a.access !== undefined && a.access.status === 500 && a.access.method === 'POST' && a.access.durationSeconds !== undefined);
  const text = await h.metrics.registry.metrics();
  const count = (name: string, pod = ''): number => Number(new RegExp(`^${name}\\{[^}]*${pod}[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? -1);
  assert.equal(count('fnscope_log_lines_total', 'hello'), 2 * PY.length + 4 + PY_ACCESS.length);
  assert.equal(count('fnscope_function_exceptions_total'), 2);
  const posts = PY_ACCESS.filter((l) => / 200 /.test(l)).length;
  assert.ok(posts > 0);
  assert.equal(count('fnscope_function_responses_total', 'code="200"'), posts);
  assert.equal(h.errors.size, 1, 'both tracebacks are one group');
});

test('end() of a container emits what its streams held, and its streams start afresh', () => {
  const h = harness();
  const raws = interleaved();
  const header = raws.findIndex((l) => l.includes('ERROR:root:'));
  h.pipeline.lines(ID, raws.slice(0, header + 6), 'cri'); // stops inside the first trace
  const before = all(h.buffer).length;
  h.pipeline.end(ID);
  const after = all(h.buffer);
  assert.ok(after.length > before, 'the held trace lines came out');
  assert.equal(after.filter((r) => r.kind === 'line' || r.kind === 'exception').reduce((n, r) => n + (r.kind === 'exception' ? r.lines.length : 1), 0), header + 6);
  h.pipeline.lines(ID, raws.slice(0, 2), 'cri');
  assert.equal(all(h.buffer).length, after.length + 2);
});

test('a gap is published as a record of its own', () => {
  const h = harness();
  h.pipeline.gap(ID, 'stream lost; resuming');
  const [g] = all(h.buffer);
  assert.ok(g !== undefined && g.kind === 'gap' && g.reason === 'stream lost; resuming' && g.pod === 'hello-1');
});
