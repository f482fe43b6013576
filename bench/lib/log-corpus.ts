/**
 * Log streams for the log benchmarks, built from the real captures in testdata/: stack traces from the
 * stack-trace corpus (testdata/stacktraces/<language>/, spans from its golden files; the held-out corpus
 * is left alone) and the Kubeless runtime captures (testdata/kubeless-runtimes/, testdata/access-logs/,
 * spans found by the project's own extractor), and the ordinary lines around them: access lines, handler
 * prints, runtime start-up lines, and the negative corpus (JSON, YAML, Go `file.go:12:` lines, warnings).
 * The only synthetic lines are the application logs a function prints itself (`APP_LINES`, `SECRET_LINES`).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAnyAccess, type StreamIdentity } from '../../collector/src/logs/index.ts';
import { TraceExtractor, createParsers, parseCriLine, type Language } from '../../collector/src/stacktrace/index.ts';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';

const TESTDATA = join(import.meta.dirname, '..', '..', 'testdata');

/** Longest trace taken from the corpus (goroutine dumps of hundreds of lines are not the common case). */
const MAX_TRACE_LINES = 60;

export interface RuntimeCorpus {
  runtime: string;
  language: Language;
  traces: string[][];
  /** Access lines of this runtime's web server. */
  access: string[];
  /** Other lines this runtime's processes print: start-up, handler prints, lines around its traces. */
  plain: string[];
}

export interface LogCorpus {
  runtimes: RuntimeCorpus[];
  /** Ordinary lines that look a little like traces (testdata/stacktraces/negative/), shared by all runtimes. */
  negative: string[];
}

/** Lines a function prints itself (a synthetic workload, not runtime output). */
export const APP_LINES: readonly string[] = [
  '{"level":"info","ts":1795318218.123,"msg":"order processed","order":48213,"items":3,"ms":12.7}',
  '{"level":"debug","time":1795318218124,"msg":"cache miss","key":"user:1843:profile"}',
  'INFO  2026-11-22 01:30:18,123 worker.py:88 processed batch 7731 (412 records) in 0.231s',
  'WARN  retrying upstream call attempt=2 backoff=400ms url=http://inventory.svc:8080/v1/items',
  'processing request 9f2c4e1a-77b0-4c1e-9a43-5c1d2e8f0b6d for tenant acme (3 items, total 129.90 EUR)',
  'at 01:30:18 the queue held 12 messages; draining',
];

/** Synthetic lines holding a secret, so that the redaction rules do real work on some lines. */
export const SECRET_LINES: readonly string[] = [
  'connecting to postgres://app:s3cr3t-pass@db.internal:5432/orders',
  'calling billing with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl',
  'charging card 4111 1111 1111 1111 for order 48213',
];

interface Span {
  first: number;
  last: number;
}

/** Golden spans of a corpus log: `<name>.json` with first_line/last_line, or `<name>.lines.json` pairs. */
function goldenSpans(dir: string, name: string): Span[] | null {
  const lines = join(dir, `${name}.lines.json`);
  if (existsSync(lines)) return (JSON.parse(readFileSync(lines, 'utf8')) as Array<[number, number]>).map(([first, last]) => ({ first, last }));
  const golden = join(dir, `${name}.json`);
  if (!existsSync(golden)) return null;
  const events = JSON.parse(readFileSync(golden, 'utf8')) as Array<{ first_line?: number; last_line?: number }>;
  if (!events.every((e) => e.first_line !== undefined && e.last_line !== undefined)) return null;
  return events.map((e) => ({ first: e.first_line!, last: e.last_line! }));
}

/** Spans the project's own extractor finds (for captures without golden files). */
function extractedSpans(text: string): Span[] {
  const spans: Span[] = [];
  const x = new TraceExtractor({ parsers: createParsers(), clock: new ManualClock(), onRecord: (r) => spans.push({ first: r.first_line, last: r.last_line }) });
  x.write(Buffer.from(text));
  x.end();
  return spans;
}

/** Split one capture into its traces and its other (non-empty, non-indented, non-CRI) lines. */
function readCapture(path: string, spans: Span[] | null, into: { traces: string[][]; access: string[]; plain: string[] }): void {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const inTrace = new Set<number>();
  for (const s of spans ?? extractedSpans(text)) {
    for (let i = s.first; i <= s.last; i++) inTrace.add(i);
    if (s.last - s.first < MAX_TRACE_LINES) into.traces.push(lines.slice(s.first - 1, s.last));
  }
  lines.forEach((l, i) => {
    if (inTrace.has(i + 1) || l.trim() === '' || /^\s/.test(l) || parseCriLine(l) !== null) return;
    (parseAnyAccess(l) !== null ? into.access : into.plain).push(l);
  });
}

const RUNTIMES: ReadonlyArray<{ runtime: string; language: Language; captures: string[] }> = [
  { runtime: 'python3.11', language: 'python', captures: ['kubeless-runtimes/python-stdout.txt', 'kubeless-runtimes/python-stderr.txt'] },
  { runtime: 'nodejs20', language: 'nodejs', captures: ['kubeless-runtimes/nodejs-stdout.txt', 'kubeless-runtimes/nodejs-stderr.txt', 'kubeless-runtimes/nodejs-badhandler-logs.txt'] },
  { runtime: 'java11', language: 'java', captures: [] },
  { runtime: 'go1.19', language: 'go', captures: ['access-logs/go-logs.txt', 'access-logs/go-panic-logs.txt'] },
  { runtime: 'ruby3.1', language: 'ruby', captures: ['access-logs/ruby-sinatra-webrick-stdout.txt', 'access-logs/ruby-sinatra-webrick-stderr.txt'] },
  { runtime: 'php8.2', language: 'php', captures: ['access-logs/nginx-combined-stdout.txt', 'access-logs/php-fpm-stderr.txt'] },
  { runtime: 'dotnetcore3.1', language: 'dotnet', captures: [] },
];

export function loadLogCorpus(): LogCorpus {
  const runtimes = RUNTIMES.map(({ runtime, language, captures }) => {
    const c: RuntimeCorpus = { runtime, language, traces: [], access: [], plain: [] };
    const dir = join(TESTDATA, 'stacktraces', language === 'dotnet' ? 'dotnet' : language);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.log') && !x.startsWith('cri-')).sort()) {
      readCapture(join(dir, f), goldenSpans(dir, f.slice(0, -4)) ?? [], c);
    }
    for (const cap of captures) readCapture(join(TESTDATA, cap), null, c);
    return c;
  });
  const negative: string[] = [];
  const negDir = join(TESTDATA, 'stacktraces', 'negative');
  for (const f of readdirSync(negDir).filter((x) => x.endsWith('.log')).sort()) {
    const into = { traces: [] as string[][], access: [] as string[], plain: negative };
    readCapture(join(negDir, f), [], into);
    negative.push(...into.access);
  }
  return { runtimes, negative };
}

/** A small deterministic random source (the same stream on every run). */
export function seededRandom(seed = 42): () => number {
  // mulberry32
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- CRI log files of many containers -------------------------------------------------------------------

const FUNCTION_NAMES = ['orders', 'search', 'billing', 'thumbnails', 'checkout', 'inventory', 'mailer', 'reports'];

/** One container of one pod of one function, with its CRI log file. */
export interface Container {
  id: StreamIdentity;
  runtime: RuntimeCorpus;
  buf: Buffer;
}

export interface CriInput {
  containers: Container[];
  bytes: number;
  lines: number;
  entries: number;
  traces: number;
}

export interface CriInputOptions {
  bytes: number;
  /** Functions per runtime (seven runtimes). */
  functions: number;
  pods: number;
  /** Share of entries that are stack traces (default 0.05). */
  traceShare?: number;
}

/**
 * CRI log files for `functions` functions of each runtime with `pods` pods each, `bytes` in all. Each
 * entry goes to a random container: a stack trace of its language (5 % of entries, on stderr), a 40 KB
 * line written as 16 KiB `P` fragments (0.02 %), a line holding a secret (1 %), one of its runtime's
 * access lines (to 40 % where the runtime has some), a line its runtime prints, a line of the negative
 * corpus, or an application log line.
 */
export function buildCriInput(o: CriInputOptions): CriInput {
  const corpus = loadLogCorpus();
  const rand = seededRandom(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const traceShare = o.traceShare ?? 0.05;
  const containers: Array<Container & { parts: string[] }> = [];
  for (const rt of corpus.runtimes) {
    for (let f = 0; f < o.functions; f++) {
      const fn = `${FUNCTION_NAMES[f % FUNCTION_NAMES.length]}${f >= FUNCTION_NAMES.length ? f : ''}-${rt.language}`;
      for (let p = 0; p < o.pods; p++) {
        const pod = `${fn}-5d8c7b9f4-${Math.floor(rand() * 36 ** 5).toString(36).padStart(5, '0')}`;
        containers.push({ id: { namespace: f % 2 === 0 ? 'default' : 'shop', function: fn, pod, container: fn }, runtime: rt, parts: [], buf: Buffer.alloc(0) });
      }
    }
  }
  let t = Date.UTC(2026, 10, 22, 1, 30, 0);
  let bytes = 0;
  let lines = 0;
  let entries = 0;
  let traces = 0;
  const cri = (c: { parts: string[] }, stream: string, tag: string, text: string): void => {
    const ns = String(Math.floor(rand() * 1e6)).padStart(6, '0');
    const line = `${new Date(t).toISOString().slice(0, 23)}${ns}Z ${stream} ${tag} ${text}\n`;
    c.parts.push(line);
    bytes += Buffer.byteLength(line);
    lines++;
  };
  while (bytes < o.bytes) {
    entries++;
    t += Math.floor(rand() * 2);
    const c = pick(containers);
    const rt = c.runtime;
    const r = rand();
    if (r < traceShare) {
      traces++;
      for (const l of pick(rt.traces)) cri(c, 'stderr', 'F', l);
    } else if (r < traceShare + 0.0002) {
      const big = JSON.stringify({ level: 'info', msg: 'payload', data: 'x'.repeat(40_000) });
      for (let i = 0; i < big.length; i += 16_384) cri(c, 'stdout', i + 16_384 >= big.length ? 'F' : 'P', big.slice(i, i + 16_384));
    } else if (r < traceShare + 0.0102) {
      cri(c, 'stdout', 'F', pick(SECRET_LINES));
    } else if (r < 0.4 && rt.access.length > 0) {
      cri(c, 'stderr', 'F', pick(rt.access));
    } else if (r < 0.62) {
      cri(c, 'stdout', 'F', pick(rt.plain));
    } else if (r < 0.75) {
      cri(c, 'stdout', 'F', pick(corpus.negative));
    } else {
      cri(c, 'stdout', 'F', pick(APP_LINES));
    }
  }
  const out = containers.map(({ id, runtime, parts }) => ({ id, runtime, buf: Buffer.from(parts.join(''), 'utf8') }));
  return { containers: out, bytes, lines, entries, traces };
}

/** Bytes read from one file at a time. */
export const READ_CHUNK = 64 * 1024;

/**
 * Reads the files round-robin, READ_CHUNK bytes at a time, decodes each chunk and cuts it into lines (one
 * string per line), and calls onLines with each chunk's whole lines: what a file tailer hands over.
 */
export function readRoundRobin(containers: readonly Container[], onLines: (c: Container, lines: string[]) => void): void {
  const offsets = containers.map(() => 0);
  const carry = containers.map(() => '');
  let open = containers.length;
  while (open > 0) {
    open = 0;
    for (let i = 0; i < containers.length; i++) {
      const c = containers[i]!;
      const off = offsets[i]!;
      if (off >= c.buf.length) continue;
      open++;
      const end = Math.min(c.buf.length, off + READ_CHUNK);
      offsets[i] = end;
      const text = carry[i] + c.buf.toString('utf8', off, end);
      const lines: string[] = [];
      let start = 0;
      let nl = text.indexOf('\n');
      while (nl >= 0) {
        lines.push(text.slice(start, nl));
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      carry[i] = text.slice(start);
      if (end === c.buf.length && carry[i] !== '') {
        lines.push(carry[i]!);
        carry[i] = '';
      }
      onLines(c, lines);
    }
  }
}
