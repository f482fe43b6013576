import { StringDecoder } from 'node:string_decoder';
import type { Clock } from '../util/clock.ts';
import type { TraceParser } from './types.ts';
import { MultilineAssembler } from './assembler.ts';
import type { TraceEvent } from './assembler.ts';
import { parseCriLine } from './cri-line.ts';
import { fingerprint } from './fingerprint.ts';

/** One detected exception: the public `fnscope parse` record. */
export interface ExceptionRecord {
  language: string;
  type: string;
  message: string;
  first_line: number;
  last_line: number;
  frames: Array<{ file: string; line: number | null; function: string }>;
  causes: Array<{ type: string; message: string }>;
  fingerprint: string;
}

export interface TraceExtractorOptions {
  parsers: readonly TraceParser[];
  clock: Clock;
  /** Called with each exception, in input order of first_line. */
  onRecord: (record: ExceptionRecord) => void;
  maxLines?: number;
  maxWaitMs?: number;
  settleMs?: number;
  /** A CRI partial line longer than this (characters) is cut into lines of this size (default 1 MiB). */
  maxPartial?: number;
}

export const DEFAULT_MAX_PARTIAL = 1 << 20;

interface Partial {
  parts: string[];
  size: number;
  first: number;
}

export function toRecord(ev: TraceEvent): ExceptionRecord {
  const t = ev.trace;
  return {
    language: t.language,
    type: t.type,
    message: t.message,
    first_line: ev.first,
    last_line: ev.last,
    frames: t.frames.map((f) => ({ file: f.file, line: f.line, function: f.function })),
    causes: t.causes.map((c) => ({ type: c.type, message: c.message })),
    fingerprint: fingerprint(t),
  };
}

/**
 * Turns a byte stream of log text into exception records: splits physical lines (numbered from 1), reads
 * each as a CRI record or a plain line, joins CRI `P` partials per stream, assembles each stream on its
 * own (plain lines, CRI stdout, CRI stderr), and releases records in order of their first line.
 */
export class TraceExtractor {
  readonly #assembler: MultilineAssembler;
  readonly #onRecord: (r: ExceptionRecord) => void;
  readonly #maxPartial: number;
  readonly #decoder = new StringDecoder('utf8');
  readonly #partials = new Map<string, Partial>();
  readonly #queue: ExceptionRecord[] = [];
  #rest = '';
  #lineNo = 0;

  constructor(opts: TraceExtractorOptions) {
    this.#onRecord = opts.onRecord;
    this.#maxPartial = opts.maxPartial ?? DEFAULT_MAX_PARTIAL;
    this.#assembler = new MultilineAssembler({
      parsers: opts.parsers,
      clock: opts.clock,
      ...(opts.maxLines !== undefined ? { maxLines: opts.maxLines } : {}),
      ...(opts.maxWaitMs !== undefined ? { maxWaitMs: opts.maxWaitMs } : {}),
      ...(opts.settleMs !== undefined ? { settleMs: opts.settleMs } : {}),
      sink: {
        line: () => {
          if (this.#queue.length > 0) this.#release();
        },
        trace: (ev) => {
          this.#enqueue(toRecord(ev));
          this.#release();
        },
      },
    });
  }

  /** Physical lines read so far. */
  get lines(): number {
    return this.#lineNo;
  }

  write(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.#decoder.write(chunk);
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl < 0) {
      this.#rest += text;
      return;
    }
    if (this.#rest !== '') {
      this.#line(this.#rest + text.slice(0, nl));
      this.#rest = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      this.#line(text.slice(start, nl));
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.#rest = text.slice(start);
  }

  /** End of input: the last unterminated line, open partials and pending blocks are flushed. */
  end(): void {
    this.#rest += this.#decoder.end();
    if (this.#rest !== '') this.#line(this.#rest);
    this.#rest = '';
    for (const [stream, p] of this.#partials) this.#assembler.push(stream, p.parts.join(''), p.first, this.#lineNo);
    this.#partials.clear();
    this.#assembler.end();
    for (const r of this.#queue.splice(0)) this.#onRecord(r);
  }

  #line(raw: string): void {
    const n = ++this.#lineNo;
    const line = raw.charCodeAt(raw.length - 1) === 13 ? raw.slice(0, -1) : raw;
    const cri = parseCriLine(line);
    if (cri === null) {
      this.#assembler.push('', line, n, n);
      return;
    }
    const p = this.#partials.get(cri.stream);
    if (cri.partial) {
      if (p === undefined) this.#partials.set(cri.stream, { parts: [cri.text], size: cri.text.length, first: n });
      else {
        p.parts.push(cri.text);
        p.size += cri.text.length;
        if (p.size >= this.#maxPartial) {
          this.#partials.delete(cri.stream);
          this.#assembler.push(cri.stream, p.parts.join(''), p.first, n);
        }
      }
      return;
    }
    if (p === undefined) {
      this.#assembler.push(cri.stream, cri.text, n, n);
      return;
    }
    this.#partials.delete(cri.stream);
    p.parts.push(cri.text);
    this.#assembler.push(cri.stream, p.parts.join(''), p.first, n);
  }

  /** Keeps the queue sorted by first line; records mostly arrive in order, so this is a push. */
  #enqueue(r: ExceptionRecord): void {
    let i = this.#queue.length;
    while (i > 0 && this.#queue[i - 1]!.first_line > r.first_line) i--;
    this.#queue.splice(i, 0, r);
  }

  /** Emits queued records that start before anything still held back. */
  #release(): void {
    let limit = this.#assembler.oldestPending();
    for (const p of this.#partials.values()) limit = Math.min(limit, p.first);
    let k = 0;
    while (k < this.#queue.length && this.#queue[k]!.first_line < limit) k++;
    if (k === 0) return;
    for (const r of this.#queue.splice(0, k)) this.#onRecord(r);
  }
}
