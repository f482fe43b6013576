/**
 * Throughput of the line-level log stages (CRI decode, redaction, access-log parse) next to a plain scan
 * that only splits the same bytes into one string per line, measured in the same run on one core.
 *
 *   node bench/log-stages.ts [--mb 32] [--rounds 5]
 *
 * The stream: CRI log-file lines built from the real runtime captures in testdata/access-logs/ (access
 * lines, handler prints, and whole stack traces as 5 % of entries), plus JSON application logs, a few
 * lines holding secrets and a few 40 KB lines written as `P` fragments.
 * The whole log pipeline's goal is >= 25 % of the scan's throughput; the share of that budget these
 * stages take is printed last.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AccessLogStage } from '../collector/src/logs/stages/access/index.ts';
import { createDecodeCounters, CriDecoder } from '../collector/src/logs/stages/cri.ts';
import { StagePipeline } from '../collector/src/logs/stages/pipeline.ts';
import { RedactStage, resolveRedactionRules } from '../collector/src/logs/stages/redact/index.ts';
import { createSequence } from '../collector/src/logs/stages/sequence.ts';
import type { LogLine, Stage } from '../collector/src/logs/types.ts';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '32' }, rounds: { type: 'string', default: '5' } } });
const targetBytes = Number(values.mb) * 1024 * 1024;
const rounds = Number(values.rounds);
const dir = join(import.meta.dirname, '..', 'testdata', 'access-logs');

// ---- the stream ---------------------------------------------------------------------------------------

interface Entry {
  runtime: string;
  stream: 'stdout' | 'stderr';
  lines: string[];
}

function read(name: string): string[] {
  return readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l !== '');
}

/** Split a capture into entries: a line that starts with whitespace, or follows a trace header, joins the one before. */
function entries(name: string, runtime: string, stream: 'stdout' | 'stderr'): { singles: Entry[]; traces: Entry[] } {
  const singles: Entry[] = [];
  const traces: Entry[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (block.length === 0) return;
    (block.length > 1 ? traces : singles).push({ runtime, stream, lines: block });
    block = [];
  };
  const lines = read(name);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const prev = block[block.length - 1] ?? '';
    const continues =
      block.length > 0 &&
      (/^\s/.test(line) ||
        /^(Traceback|goroutine|\S*Error:|panic:)/.test(line) ||
        prev.startsWith('ERROR:root') ||
        prev.startsWith('Traceback') ||
        /^(Traceback|panic:)/.test(block[0]!) && !/^(\d|::)/.test(line));
    if (!continues) flush();
    block.push(line);
  }
  flush();
  return { singles, traces };
}

const sources = [
  entries('python-stdout.txt', 'python3.11', 'stdout'),
  entries('python-stderr.txt', 'python3.11', 'stderr'),
  entries('nodejs-stdout.txt', 'nodejs20', 'stdout'),
  entries('nodejs-stderr.txt', 'nodejs20', 'stderr'),
  entries('go-logs.txt', 'go1.19', 'stderr'),
  entries('go-panic-logs.txt', 'go1.19', 'stderr'),
  entries('ruby-sinatra-webrick-stderr.txt', 'ruby3.1', 'stderr'),
  entries('nginx-combined-stdout.txt', 'php8.2', 'stdout'),
  entries('php-fpm-stderr.txt', 'php8.2', 'stderr'),
];
const singles = sources.flatMap((s) => s.singles);
const traces = sources.flatMap((s) => s.traces);

// Lines a function prints itself (synthetic workload, not runtime output); the last two hold secrets.
const appLines = [
  '{"level":"info","ts":1795318218.123,"msg":"order processed","order":48213,"items":3,"ms":12.7}',
  '{"level":"debug","time":1795318218124,"msg":"cache miss","key":"user:1843:profile"}',
  'INFO  2026-11-22 01:30:18,123 worker.py:88 processed batch 7731 (412 records) in 0.231s',
  'WARN  retrying upstream call attempt=2 backoff=400ms url=http://inventory.svc:8080/v1/items',
];
const secretLines = [
  'connecting to postgres://app:s3cr3t-pass@db.internal:5432/orders',
  'calling billing with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl',
];

const FUNCTIONS = ['python3.11', 'nodejs20', 'go1.19', 'ruby3.1', 'php8.2'];

/** One CRI log file per function container (the function is named after its runtime here). */
function buildStream(): { files: { fn: string; buf: Buffer }[]; bytes: number; lines: number; entries: number } {
  let seed = 42;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const parts = new Map<string, string[]>(FUNCTIONS.map((f) => [f, []]));
  let bytes = 0;
  let t = Date.UTC(2026, 10, 22, 1, 30, 0);
  let lines = 0;
  let count = 0;
  const cri = (fn: string, stream: string, tag: string, text: string): void => {
    t += Math.floor(rand() * 3);
    const ns = String(Math.floor(rand() * 1e6)).padStart(6, '0');
    const line = `${new Date(t).toISOString().slice(0, 23)}${ns}Z ${stream} ${tag} ${text}\n`;
    parts.get(fn)!.push(line);
    bytes += Buffer.byteLength(line);
    lines++;
  };
  while (bytes < targetBytes) {
    count++;
    const r = rand();
    if (r < 0.05) {
      const e = traces[Math.floor(rand() * traces.length)]!;
      for (const l of e.lines) cri(e.runtime, e.stream, 'F', l);
    } else if (r < 0.0502) {
      const big = JSON.stringify({ level: 'info', msg: 'payload', data: 'x'.repeat(40_000) });
      const fn = FUNCTIONS[Math.floor(rand() * FUNCTIONS.length)]!;
      for (let i = 0; i < big.length; i += 16_384) cri(fn, 'stdout', i + 16_384 >= big.length ? 'F' : 'P', big.slice(i, i + 16_384));
    } else if (r < 0.0602) {
      cri(FUNCTIONS[Math.floor(rand() * FUNCTIONS.length)]!, 'stdout', 'F', secretLines[Math.floor(rand() * secretLines.length)]!);
    } else if (r < 0.35) {
      cri(FUNCTIONS[Math.floor(rand() * FUNCTIONS.length)]!, 'stdout', 'F', appLines[Math.floor(rand() * appLines.length)]!);
    } else {
      const e = singles[Math.floor(rand() * singles.length)]!;
      cri(e.runtime, e.stream, 'F', e.lines[0]!);
    }
  }
  const files = FUNCTIONS.map((fn) => ({ fn, buf: Buffer.from(parts.get(fn)!.join(''), 'utf8') }));
  return { files, bytes, lines, entries: count };
}

// ---- the measurements ---------------------------------------------------------------------------------

const CHUNK = 64 * 1024;
type Splitter = (buf: Buffer, onLine: (line: string) => void) => void;

/** Decode 64 KiB chunks to text and cut them at newlines (each line a slice of the chunk's string). */
function splitChunks(buf: Buffer, onLine: (line: string) => void): void {
  const decoder = new TextDecoder();
  let carry = '';
  for (let off = 0; off < buf.length; off += CHUNK) {
    const text = carry + decoder.decode(buf.subarray(off, Math.min(buf.length, off + CHUNK)), { stream: true });
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      onLine(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    carry = text.slice(start);
  }
  if (carry !== '') onLine(carry);
}

/** Find each newline in the bytes and decode each line to its own string. */
function splitBuffer(buf: Buffer, onLine: (line: string) => void): void {
  let start = 0;
  let nl = buf.indexOf(10, start);
  while (nl >= 0) {
    onLine(buf.toString('utf8', start, nl));
    start = nl + 1;
    nl = buf.indexOf(10, start);
  }
  if (start < buf.length) onLine(buf.toString('utf8', start));
}

function scan(split: Splitter): number {
  let n = 0;
  for (const { buf } of files) {
    split(buf, (line) => {
      n += line.length;
    });
  }
  return n;
}

function runtimeOf(_ns: string, fn: string): string {
  return fn;
}

function pipeline(split: Splitter, stages: Stage[]): number {
  let n = 0;
  let responses = 0;
  const recorder = {
    responses: () => void responses++,
    duration: () => undefined,
  };
  const all = stages.map((s) => (s instanceof AccessLogStage ? new AccessLogStage({ runtimeOf, recorder }) : s));
  const chain = new StagePipeline(all);
  const counters = createDecodeCounters();
  const sequence = createSequence();
  const emit = (line: LogLine): void => {
    const out = chain.process(line);
    if (out !== null) n += out.text.length;
  };
  for (const { fn, buf } of files) {
    // one decoder per container, as the sources create them
    const decoder = new CriDecoder({ identity: { namespace: 'default', function: fn, pod: `${fn}-0`, container: fn }, format: 'cri', emit, counters, sequence });
    split(buf, (raw) => decoder.push(raw));
    decoder.end();
  }
  return n + responses;
}

const { files, bytes, lines, entries: entryCount } = buildStream();
const mb = bytes / (1024 * 1024);
console.log(
  `stream: ${mb.toFixed(1)} MiB in ${files.length} CRI files, ${lines} lines, ${entryCount} entries ` +
    `(5 % stack traces, 1 % holding a secret, 0.02 % of 40 KB written as P fragments); ${rounds} rounds, median`,
);

const configs: [string, (split: Splitter) => number][] = [
  ['plain scan (split into lines)', (split) => scan(split)],
  ['scan + CRI decode', (split) => pipeline(split, [])],
  ['scan + decode + redact', (split) => pipeline(split, [new RedactStage()])],
  ['scan + decode + access', (split) => pipeline(split, [new AccessLogStage()])],
  ['scan + decode + redact + access', (split) => pipeline(split, [new RedactStage(), new AccessLogStage()])],
];

for (const [name, split] of [
  ['lines decoded one by one from the bytes (Buffer.toString per line)', splitBuffer],
  ['lines sliced from 64 KiB decoded chunks (TextDecoder + slice)', splitChunks],
] as const) {
  // rounds interleave the configurations, so that a busy machine slows them alike
  const times = configs.map(() => [] as number[]);
  let sink = 0;
  for (let r = 0; r <= rounds; r++) {
    configs.forEach(([, run], i) => {
      const t0 = process.hrtime.bigint();
      sink += run(split);
      if (r > 0) times[i]!.push(Number(process.hrtime.bigint() - t0) / 1e9); // round 0 warms up
    });
  }
  const median = times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!);
  const scanSec = median[0]!;
  console.log(`\nscan: ${name}`);
  configs.forEach(([label], i) => {
    const sec = median[i]!;
    const extra = i === 0 ? '' : `  +${(((sec - scanSec) / lines) * 1e9).toFixed(0).padStart(4)} ns/line`;
    console.log(
      `  ${label.padEnd(32)} ${(mb / sec).toFixed(1).padStart(7)} MB/s ${(lines / sec / 1e6).toFixed(2).padStart(5)} M lines/s` +
        `  ${((scanSec / sec) * 100).toFixed(1).padStart(5)} % of scan${extra}`,
    );
  });
  const allSec = median[median.length - 1]!;
  console.log(
    `  ratio (all stages)/scan: ${((scanSec / allSec) * 100).toFixed(1)} %; the whole pipeline's goal is >= 25 %, ` +
      `a time budget of 4x the scan, of which these stages use ${(((allSec - scanSec) / (4 * scanSec)) * 100).toFixed(1)} %`,
  );
  if (sink === -1) console.log('');
}

// ---- worst cases --------------------------------------------------------------------------------------
// Lines at the decoder's limit (64 KiB) built to make each rule work hardest, next to an ordinary line of
// the same length: the redaction time must stay of the same order (linear), never blow up.
{
  const size = 64 * 1024;
  const fill = (unit: string): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const cases: [string, string][] = [
    ['ordinary text', fill('processed batch 7731 (412 records) in 0.231s; ')],
    ['digits and separators', fill('4111 1111 1111 111')],
    ['digit run', fill('4')],
    ['"@" everywhere', fill('a.b@')],
    ['"://" and ":" everywhere', fill('x://a:b:c')],
    ['key separators', fill('password=token:secret=')],
    ['open quotes after keys', fill('password="')],
    ['bearer bearer', fill('Bearer ')],
    ['eyJ runs', fill('eyJaaaa.eyJ')],
    ['BEGIN without END', `-----BEGIN RSA PRIVATE KEY-----${fill('A')}`],
    ['AKIA runs', fill('AKIA')],
  ];
  const stage = new RedactStage({ rules: resolveRedactionRules({ presets: ['all'] }) });
  console.log('\nredaction of 64 KiB worst-case lines (every preset on):');
  let base = 0;
  for (const [label, text] of cases) {
    const n = 20;
    stage.redact(text);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) stage.redact(text);
    const us = Number(process.hrtime.bigint() - t0) / n / 1000;
    if (base === 0) base = us;
    console.log(`  ${label.padEnd(26)} ${us.toFixed(0).padStart(7)} µs/line  ${(us / base).toFixed(1).padStart(6)}x ordinary`);
  }
}
