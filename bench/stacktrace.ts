// Stack-trace stage throughput, measured against plain scans in the same run.
// Input: log text built from the real corpus (testdata/stacktraces): 95 % of entries are ordinary
// one-line log lines, 5 % are multi-line traces. Two plain scans only split the bytes into one string
// per line: "bytes" finds each newline in the Buffer and decodes that line (the usual reference, about
// 250-400 MB/s here); "chunk" decodes 64 KiB at a time and slices lines out of the string (what the
// extractor does, and much faster: V8 slices share memory). The assembler run splits like "chunk" and
// pushes every line through MultilineAssembler with all seven parsers; the extractor run is
// `fnscope parse`'s engine (CRI detection, partial joins, assembly, records with fingerprints).
// Usage: node bench/stacktrace.ts [MB]   (default 32)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../collector/src/util/manual-clock.ts';
import { MultilineAssembler, TraceExtractor, createParsers, parseCriLine } from '../collector/src/stacktrace/index.ts';
import type { ExceptionRecord } from '../collector/src/stacktrace/index.ts';

const root = fileURLToPath(new URL('../testdata/stacktraces/', import.meta.url));
const targetMB = Number(process.argv[2] ?? 32);
const CHUNK = 64 * 1024;

/** Traces (as their lines) and ordinary lines, read from the corpus logs and their golden spans. */
function samples(): { traces: string[][]; plain: string[] } {
  const traces: string[][] = [];
  const plain: string[] = [];
  for (const dir of ['python', 'nodejs', 'java', 'go', 'negative']) {
    for (const f of readdirSync(join(root, dir)).filter((x) => x.endsWith('.log') && !x.startsWith('cri-'))) {
      const lines = readFileSync(join(root, dir, f), 'utf8').split('\n');
      let spans: Array<{ first_line: number; last_line: number }> = [];
      try {
        spans = JSON.parse(readFileSync(join(root, dir, f.replace(/\.log$/, '.json')), 'utf8')) as typeof spans;
      } catch {
        spans = [];
      }
      const inTrace = new Set<number>();
      for (const s of spans) {
        if (s.last_line - s.first_line > 60) continue;
        traces.push(lines.slice(s.first_line - 1, s.last_line));
        for (let i = s.first_line; i <= s.last_line; i++) inTrace.add(i);
      }
      lines.forEach((l, i) => {
        if (!inTrace.has(i + 1) && l.trim() !== '' && !l.startsWith('\t') && !l.startsWith(' ') && !parseCriLine(l)) plain.push(l);
      });
    }
  }
  return { traces, plain };
}

function buildInput(): { buf: Buffer; entries: number; traceEntries: number; lines: number } {
  const { traces, plain } = samples();
  const parts: string[] = [];
  let size = 0;
  let entries = 0;
  let traceEntries = 0;
  let lines = 0;
  let seed = 42;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  while (size < targetMB * 1024 * 1024) {
    const block = entries % 20 === 19 ? traces[rnd(traces.length)]! : [plain[rnd(plain.length)]!];
    if (block.length > 1) traceEntries++;
    entries++;
    lines += block.length;
    const text = block.join('\n') + '\n';
    parts.push(text);
    size += Buffer.byteLength(text);
  }
  return { buf: Buffer.from(parts.join('')), entries, traceEntries, lines };
}

/** Splits like the extractor does: decode a chunk, then indexOf/slice per line. */
function scan(buf: Buffer, onLine: (line: string, n: number) => void): number {
  let rest = '';
  let n = 0;
  for (let off = 0; off < buf.length; off += CHUNK) {
    const text = buf.toString('utf8', off, Math.min(buf.length, off + CHUNK));
    let start = 0;
    let nl = text.indexOf('\n');
    if (rest !== '' && nl >= 0) {
      onLine(rest + text.slice(0, nl), ++n);
      rest = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      onLine(text.slice(start, nl), ++n);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest += text.slice(start);
  }
  if (rest !== '') onLine(rest, ++n);
  return n;
}

/**
 * Best of several runs, in CPU time of this process (user + system, garbage collection included): the
 * per-core cost, which other processes on a busy machine do not inflate the way they do wall time.
 */
function best(runs: number, fn: () => number): { ms: number; check: number } {
  let ms = Infinity;
  let check = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    check = fn();
    const d = process.cpuUsage(t0);
    ms = Math.min(ms, (d.user + d.system) / 1000);
  }
  return { ms, check };
}

const input = buildInput();
const mb = input.buf.length / (1024 * 1024);
console.log(`input: ${mb.toFixed(1)} MB, ${input.lines} lines, ${input.entries} entries, ${input.traceEntries} traces (${((100 * input.traceEntries) / input.entries).toFixed(1)} % of entries)`);

const bytesRun = best(5, () => {
  let total = 0;
  const buf = input.buf;
  let start = 0;
  let nl = buf.indexOf(10, start);
  while (nl >= 0) {
    total += buf.toString('utf8', start, nl).length;
    start = nl + 1;
    nl = buf.indexOf(10, start);
  }
  if (start < buf.length) total += buf.toString('utf8', start).length;
  return total;
});
const plainRun = best(5, () => {
  let total = 0;
  scan(input.buf, (line) => (total += line.length));
  return total;
});
const asmRun = best(5, () => {
  let events = 0;
  const asm = new MultilineAssembler({
    parsers: createParsers(),
    clock: new ManualClock(),
    sink: { line: () => {}, trace: () => void events++ },
  });
  scan(input.buf, (line, n) => asm.push('s', line, n));
  asm.end();
  return events;
});
const extRun = best(3, () => {
  let events = 0;
  const x = new TraceExtractor({ parsers: createParsers(), clock: new ManualClock(), onRecord: (_r: ExceptionRecord) => void events++ });
  for (let off = 0; off < input.buf.length; off += CHUNK) x.write(input.buf.subarray(off, Math.min(input.buf.length, off + CHUNK)));
  x.end();
  return events;
});

function row(name: string, r: { ms: number }): string {
  const s = r.ms / 1000;
  return `${name.padEnd(34)} ${(input.lines / s / 1e6).toFixed(2).padStart(6)} M lines/s  ${(mb / s).toFixed(1).padStart(7)} MB/s`;
}
const ratio = (ref: { ms: number }, r: { ms: number }): string => `${((100 * ref.ms) / r.ms).toFixed(1)} %`;
console.log(row('plain scan, bytes (reference)', bytesRun));
console.log(row('plain scan, chunk (reference)', plainRun));
console.log(row('assembler, 7 parsers', asmRun) + `  ${ratio(bytesRun, asmRun)} of bytes scan, ${ratio(plainRun, asmRun)} of chunk scan  (${asmRun.check} traces)`);
console.log(row('fnscope parse engine (extractor)', extRun) + `  ${ratio(bytesRun, extRun)} of bytes scan, ${ratio(plainRun, extRun)} of chunk scan  (${extRun.check} records)`);
console.log('per core (CPU time of this process, best run); goal: assembler >= 25 % of the plain scan');
