import type { Clock, Timer } from '../util/clock.ts';
import type { ParsedTrace, StartKind, TraceParser } from './types.ts';
import { LOG_HEADER_SHAPES, isLogHeader } from './log-header.ts';
import { MAX_FILTERED_PARSERS, StartFilter } from './start-filter.ts';

/** A parsed trace and the lines it was made of. */
export interface TraceEvent {
  stream: string;
  /** Ordinals (as given to push) of the first line, a logger header line when there is one, and the last line. */
  first: number;
  last: number;
  lines: string[];
  trace: ParsedTrace;
}

/** Receives the assembler's output, per stream in input order. */
export interface AssemblerSink {
  /** A line that is not part of a trace, with the ordinals it was pushed with. */
  line(stream: string, text: string, first: number, last: number): void;
  trace(event: TraceEvent): void;
}

export interface AssemblerOptions {
  parsers: readonly TraceParser[];
  sink: AssemblerSink;
  clock: Clock;
  /** A block is parsed once it has this many lines (default 2000). */
  maxLines?: number;
  /** A pending block is parsed after this long without a new line on its stream (default 1000 ms). */
  maxWaitMs?: number;
  /**
   * A pending block that already parses as a whole trace is emitted after this long without a new line
   * (default 200 ms, at most maxWaitMs); so is a logger header or a candidate start that nothing followed.
   * A runtime writes a trace in one burst: waiting the full maxWait only delayed every trace at the end of
   * a stream's output by that much.
   */
  settleMs?: number;
  /** Attach logger header lines (`ERROR:root:…`, `… ERROR [main] …`) to the trace after them (default true). */
  headers?: boolean;
}

export const DEFAULT_MAX_LINES = 2000;
export const DEFAULT_MAX_WAIT_MS = 1000;
export const DEFAULT_SETTLE_MS = 200;

interface StreamState {
  name: string;
  block: string[];
  firsts: number[];
  lasts: number[];
  owners: TraceParser[];
  confirmed: boolean;
  header: string | null;
  headerFirst: number;
  headerLast: number;
  lastAt: number;
  timer: Timer | null;
  /** Lines of a rejected or trimmed block, to be processed again before anything newer. */
  replay: Array<[string, number, number]>;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** The first owner's parse of a block, or null when none reads it as a trace (a parser that throws does not). */
function parseBlock(owners: readonly TraceParser[], body: readonly string[]): ParsedTrace | null {
  for (const p of owners) {
    try {
      const trace = p.parse(body);
      if (trace !== null) return trace;
    } catch {
      // not a trace for this parser
    }
  }
  return null;
}

/** The block without the blank lines at its end (its first line is always kept). */
function trimmedBody(block: string[]): string[] {
  let end = block.length;
  while (end > 1 && isBlank(block[end - 1]!)) end--;
  return end === block.length ? block : block.slice(0, end);
}

/**
 * Multiline assembly per stream: a line that a parser says starts a trace opens a block; lines the
 * block's parser says continue it are added; the block is parsed and emitted on the first line that does
 * not continue it, on the line cap, after settleMs without a new line when it parses as it stands, after
 * maxWait without a new line, or at end of input. A 'candidate' start is kept only when the next line
 * continues it. A block that does not parse is given back as lines, its first line as a plain line and
 * the rest processed again.
 */
export class MultilineAssembler {
  readonly #parsers: readonly TraceParser[];
  readonly #startKinds: ReadonlyArray<(line: string) => StartKind>;
  readonly #startFilter: StartFilter;
  /** The parsers' bits in the filter's answer. */
  readonly #parserBits: number;
  /**
   * The filter's bit for isLogHeader() (LOG_HEADER_SHAPES), or 0 (31 parsers): then it is asked on
   * every line that starts nothing.
   */
  readonly #headerBit: number;
  readonly #sink: AssemblerSink;
  readonly #clock: Clock;
  readonly #maxLines: number;
  readonly #maxWait: number;
  readonly #settle: number;
  readonly #headers: boolean;
  readonly #streams = new Map<string, StreamState>();
  /** The stream of the previous push: consecutive lines mostly share one. */
  #last: StreamState | null = null;

  constructor(opts: AssemblerOptions) {
    this.#parsers = opts.parsers;
    // Bound once: calling through an array of functions is cheaper than a method lookup on 7 classes per line.
    this.#startKinds = opts.parsers.map((p) => p.startKind.bind(p));
    this.#headers = opts.headers ?? true;
    const n = opts.parsers.length;
    this.#parserBits = n >= 31 ? -1 : (1 << n) - 1;
    this.#headerBit = this.#headers && n < MAX_FILTERED_PARSERS ? 1 << n : 0;
    this.#startFilter = new StartFilter(this.#headerBit !== 0 ? [...opts.parsers, { startShapes: LOG_HEADER_SHAPES }] : opts.parsers);
    this.#sink = opts.sink;
    this.#clock = opts.clock;
    this.#maxLines = Math.max(2, opts.maxLines ?? DEFAULT_MAX_LINES);
    this.#maxWait = Math.max(0, opts.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
    this.#settle = Math.min(this.#maxWait, Math.max(0, opts.settleMs ?? DEFAULT_SETTLE_MS));
  }

  /** Adds one line of a stream. first/last are the caller's ordinals for it (e.g. physical line numbers). */
  push(stream: string, text: string, first: number, last: number = first): void {
    let s = this.#last;
    if (s === null || s.name !== stream) {
      s = this.#streams.get(stream) ?? null;
      if (s === null) {
        s = this.#newState(stream);
        this.#streams.set(stream, s);
      }
      this.#last = s;
    }
    if (this.#step(s, text, first, last)) {
      if (s.replay.length > 0) this.#drain(s);
      return;
    }
    s.replay.push([text, first, last]);
    this.#drain(s);
  }

  /** Emits whatever a stream (or every stream) holds, as if its input had ended. */
  flush(stream?: string): void {
    if (stream !== undefined) {
      const s = this.#streams.get(stream);
      if (s) this.#expire(s);
      return;
    }
    for (const s of this.#streams.values()) this.#expire(s);
  }

  /** Flushes a stream and forgets it (its pod or container is gone). */
  close(stream: string): void {
    this.flush(stream);
    const s = this.#streams.get(stream);
    if (s) this.#cancel(s);
    this.#streams.delete(stream);
    if (this.#last?.name === stream) this.#last = null;
  }

  /** End of all input: flush every stream and stop its timer. */
  end(): void {
    this.flush();
    for (const s of this.#streams.values()) this.#cancel(s);
  }

  /** The smallest ordinal still held back in any stream, or Infinity: everything before it has been emitted. */
  oldestPending(): number {
    let min = Infinity;
    for (const s of this.#streams.values()) {
      if (s.header !== null) min = Math.min(min, s.headerFirst);
      else if (s.block.length > 0) min = Math.min(min, s.firsts[0]!);
    }
    return min;
  }

  #newState(name: string): StreamState {
    return {
      name, block: [], firsts: [], lasts: [], owners: [], confirmed: false,
      header: null, headerFirst: 0, headerLast: 0, lastAt: 0, timer: null, replay: [],
    };
  }

  #drain(s: StreamState): void {
    while (s.replay.length > 0) {
      const batch = s.replay;
      s.replay = [];
      for (let i = 0; i < batch.length; i++) {
        const line = batch[i]!;
        const consumed = this.#step(s, line[0], line[1], line[2]);
        if (!consumed) s.replay.push(batch[i]!);
        if (!consumed || s.replay.length > 0) {
          for (let j = i + 1; j < batch.length; j++) s.replay.push(batch[j]!);
          break;
        }
      }
    }
  }

  /** Processes one line; false when it closed a block that left lines to replay before this one. */
  #step(s: StreamState, text: string, first: number, last: number): boolean {
    if (s.block.length > 0) {
      if (s.confirmed) {
        if (s.owners.length === 1 ? s.owners[0]!.continues(s.block, text) : this.#narrow(s, text)) {
          this.#append(s, text, first, last);
          if (s.block.length >= this.#maxLines) this.#close(s);
          return true;
        }
        if (this.#close(s)) return false;
      } else {
        let owners: TraceParser[] | null = null;
        for (const p of s.owners) if (p.continues(s.block, text)) (owners ??= []).push(p);
        if (owners !== null) {
          s.owners = owners;
          s.confirmed = true;
          this.#append(s, text, first, last);
          return true;
        }
        this.#reject(s);
      }
    }
    const mask = this.#startFilter.parsers(text);
    const start = (mask & this.#parserBits) === 0 ? null : this.#starts(text, mask & this.#parserBits);
    if (s.header !== null) {
      if (start !== null) {
        this.#open(s, start, text, first, last);
        return true;
      }
      this.#emitHeader(s);
    }
    if (start !== null) {
      this.#open(s, start, text, first, last);
    } else if (this.#headers && ((mask & this.#headerBit) !== 0 || this.#headerBit === 0) && isLogHeader(text)) {
      s.header = text;
      s.headerFirst = first;
      s.headerLast = last;
      this.#arm(s);
    } else {
      this.#sink.line(s.name, text, first, last);
    }
    return true;
  }

  /** Several parsers still claim the block: keep those that continue it (the block ends when none does). */
  #narrow(s: StreamState, text: string): boolean {
    const owners = s.owners.filter((p) => p.continues(s.block, text));
    if (owners.length === 0) return false;
    s.owners = owners;
    return true;
  }

  /**
   * The parsers whose start shapes the line has are asked, in order. On the lines of
   * bench/log-pipeline.ts, asking all seven cost 195 ns per line (whole-line scans in the ruby, php,
   * dotnet and nodejs checks); one StartFilter test and the few parsers it names, 135 ns.
   */
  #starts(text: string, parsers: number): { owners: TraceParser[]; confirmed: boolean } | null {
    let mask = parsers;
    let candidates: TraceParser[] | null = null;
    const kinds = this.#startKinds;
    for (let i = 0; mask !== 0; i++, mask >>>= 1) {
      if ((mask & 1) === 0) continue;
      const k = kinds[i]!(text);
      if (k === 'no') continue;
      const p = this.#parsers[i]!;
      if (k === 'start') return { owners: [p], confirmed: true };
      (candidates ??= []).push(p);
    }
    return candidates === null ? null : { owners: candidates, confirmed: false };
  }

  #open(s: StreamState, start: { owners: TraceParser[]; confirmed: boolean }, text: string, first: number, last: number): void {
    s.owners = start.owners;
    s.confirmed = start.confirmed;
    s.block.push(text);
    s.firsts.push(first);
    s.lasts.push(last);
    this.#arm(s);
  }

  #append(s: StreamState, text: string, first: number, last: number): void {
    s.block.push(text);
    s.firsts.push(first);
    s.lasts.push(last);
    s.lastAt = this.#clock.now();
  }

  /**
   * One timer per stream, kept across blocks: it fires once the stream has been idle for settleMs and
   * emits what the stream holds if that is settled (#settled), else looks again every settleMs until
   * maxWait; it waits again for a block still growing, and stops when the stream holds nothing.
   */
  #arm(s: StreamState): void {
    s.lastAt = this.#clock.now();
    if (s.timer !== null) return;
    const fire = (): void => {
      s.timer = null;
      if (s.block.length === 0 && s.header === null) return;
      const idle = this.#clock.now() - s.lastAt;
      if (idle < this.#settle) {
        s.timer = this.#clock.setTimeout(fire, this.#settle - idle);
        return;
      }
      const settled = idle >= this.#maxWait ? 'as-is' : this.#settled(s);
      if (settled !== null) this.#expire(s, settled === 'as-is' ? undefined : settled);
      // not settled: look again settleMs later (a line may complete it), at maxWait at the latest
      else s.timer = this.#clock.setTimeout(fire, this.#settle > 0 ? Math.min(this.#settle, this.#maxWait - idle) : this.#maxWait - idle);
    };
    s.timer = this.#clock.setTimeout(fire, this.#settle);
  }

  /**
   * Can what an idle stream holds go out before maxWait? A logger header that no trace followed and a
   * candidate start that nothing continued: yes, as they are. A block that parses as it stands: yes,
   * and here is its trace (#close then does not parse it again). A block that does not parse yet (a
   * traceback without its exception line): null, it waits for the rest up to maxWait.
   */
  #settled(s: StreamState): ParsedTrace | 'as-is' | null {
    if (s.block.length === 0 || !s.confirmed) return 'as-is';
    return parseBlock(s.owners, trimmedBody(s.block));
  }

  #cancel(s: StreamState): void {
    s.timer?.cancel();
    s.timer = null;
  }

  /** Emits what the stream holds; `parsed` is the trace of its confirmed block, when already parsed. */
  #expire(s: StreamState, parsed?: ParsedTrace): void {
    // Replayed lines may open another block: keep going until the stream holds nothing back.
    while (s.block.length > 0 || s.header !== null || s.replay.length > 0) {
      if (s.block.length > 0) {
        if (s.confirmed) this.#close(s, parsed);
        else this.#reject(s);
        parsed = undefined;
      }
      if (s.header !== null) this.#emitHeader(s);
      if (s.replay.length > 0) this.#drain(s);
    }
  }

  #emitHeader(s: StreamState): void {
    const h = s.header!;
    s.header = null;
    this.#sink.line(s.name, h, s.headerFirst, s.headerLast);
  }

  #takeBlock(s: StreamState): { block: string[]; firsts: number[]; lasts: number[]; owners: TraceParser[] } {
    const taken = { block: s.block, firsts: s.firsts, lasts: s.lasts, owners: s.owners };
    s.block = [];
    s.firsts = [];
    s.lasts = [];
    s.owners = [];
    s.confirmed = false;
    return taken;
  }

  /**
   * A candidate start that nothing continued: its header and its line are plain lines, except that the
   * line may itself be a logger header (java.util.logging's `SEVERE: failed` reads like an error line).
   */
  #reject(s: StreamState): void {
    const { block, firsts, lasts } = this.#takeBlock(s);
    if (s.header !== null) this.#emitHeader(s);
    const text = block[0]!;
    if (block.length === 1 && this.#headers && isLogHeader(text)) {
      s.header = text;
      s.headerFirst = firsts[0]!;
      s.headerLast = lasts[0]!;
      return;
    }
    for (let i = 0; i < block.length; i++) this.#sink.line(s.name, block[i]!, firsts[i]!, lasts[i]!);
  }

  /** Parses a confirmed block (unless `parsed` is its trace) and emits it; true when it left lines queued for replay. */
  #close(s: StreamState, parsed?: ParsedTrace): boolean {
    const { block, firsts, lasts, owners } = this.#takeBlock(s);
    const body = trimmedBody(block);
    const end = body.length;
    const trace = parsed ?? parseBlock(owners, body);
    let from: number;
    if (trace !== null) {
      const header = s.header;
      s.header = null;
      this.#sink.trace({
        stream: s.name,
        first: header !== null ? s.headerFirst : firsts[0]!,
        last: lasts[end - 1]!,
        lines: header !== null ? [header, ...body] : body,
        trace,
      });
      from = end;
    } else {
      if (s.header !== null) this.#emitHeader(s);
      this.#sink.line(s.name, block[0]!, firsts[0]!, lasts[0]!);
      from = 1;
    }
    for (let i = from; i < block.length; i++) s.replay.push([block[i]!, firsts[i]!, lasts[i]!]);
    return from < block.length;
  }
}
