/**
 * Ruby stack traces in the four layouts Ruby programs print them:
 * - the interpreter's uncaught-exception report (`file.rb:12:in 'meth': message (Type)` then
 *   `\tfrom file:line:in 'meth'` lines, with the cause chain, error_highlight snippets and multi-line
 *   messages; the backtick quote of Ruby < 3.4 too), also behind a `#<Thread:…> terminated with exception`
 *   header;
 * - Sinatra's `dump_errors` layout, which the Kubeless ruby runtime prints:
 *   `2026-11-22 01:30:18 - KeyError - key not found: "x":` then tab-indented frames;
 * - the standard Logger's exception layout: `E, [time #pid] ERROR -- : message (Type)` then bare frames.
 */
import type { ExceptionCause, Frame, ParsedTrace, StartKind, StartShape, TraceParser } from '../types.ts';
import { DIGITS, anyCharExcept } from '../start-filter.ts';
import { FirstLineMemo } from './first-line-memo.ts';
import {
  RUBY_MAX_MESSAGE_LINES,
  frameAt,
  isFromLine,
  isLevelsLine,
  looksLikeLogRecord,
  parseFrame,
  parseFrameAt,
  rubyMessage,
} from './ruby-lines.ts';

type Layout = 'uncaught' | 'thread' | 'sinatra' | 'logger';

/** `path:line:in 'label': rest` (the label quote is a backtick before Ruby 3.4). */
const HEADER = /^(\S.*?):(\d+):in [`'](.*?)': (.*)$/;
const TYPE_SUFFIX = / \(([A-Z]\w*(?:::[A-Z]\w*)*)\)$/;
const CONSTANT = /^[A-Z]\w*(?:::[A-Z]\w*)*$/;
const THREAD = /^#<Thread:.*> terminated with exception \(report_on_exception is true\):$/;
const SINATRA = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - ([A-Z]\w*(?:::[A-Z]\w*)*) - (.*)$/;
const LOGGER = /^[EF], \[[^\]]*\] +(?:ERROR|FATAL) -- [^:]*: (.*) \(([A-Z]\w*(?:::[A-Z]\w*)*)\)$/;

interface Header {
  type: string;
  message: string;
  frame: Frame;
  /** True when the line can only be an exception report (it names the type, or Ruby's empty-message text). */
  certain: boolean;
}

/** Reads an uncaught-report header line, or returns null. */
function parseHeader(line: string): Header | null {
  // HEADER begins with \S: frame lines (`\tfrom …`, Sinatra's `\t/path…`) are never headers.
  const c = line.charCodeAt(0);
  if (c === 9 || c === 32 || !line.includes(':in ')) return null;
  const m = HEADER.exec(line);
  if (!m) return null;
  const frame = parseFrame(`${m[1]}:${m[2]}:in '${m[3]}'`);
  if (!frame) return null;
  const rest = m[4]!;
  const t = TYPE_SUFFIX.exec(rest);
  if (t) return { type: t[1]!, message: rest.slice(0, t.index), frame, certain: true };
  // An empty message prints "unhandled exception" for RuntimeError and the bare class name otherwise.
  if (rest === 'unhandled exception') return { type: 'RuntimeError', message: '', frame, certain: true };
  if (CONSTANT.test(rest)) return { type: rest, message: '', frame, certain: true };
  // An anonymous class prints its message alone: only a following "from" line confirms it.
  return { type: '', message: rest, frame, certain: false };
}

/**
 * parseHeader() of the line it read last: a report's first line was read three times (startKind(), the
 * layout, parse()). Read-only: parse() copies the frame it puts in a trace. The lines of the ruby traces
 * in bench/log-pipeline.ts's input: 464-501 ns each without it, 442-467 with it (both runs in one
 * process, alternating, best of 15; the numbers in this folder's comments are taken that way).
 */
class HeaderReader {
  #line: string | null = null;
  #value: Header | null = null;

  of(line: string): Header | null {
    if (line === this.#line) return this.#value;
    const h = parseHeader(line);
    this.#line = line;
    this.#value = h;
    return h;
  }
}

function layoutOf(first: string, headers: HeaderReader): Layout | null {
  const c = first.charCodeAt(0);
  if (c === 35 /* # */) return THREAD.test(first) ? 'thread' : null;
  if ((c === 69 /* E */ || c === 70) /* F */ && first.startsWith(', [', 1)) return 'logger';
  if (c >= 48 && c <= 57 && SINATRA.test(first)) return 'sinatra';
  return headers.of(first) ? 'uncaught' : null;
}

export class RubyTraceParser implements TraceParser {
  readonly language = 'ruby' as const;
  /** A thread report, a Logger record (`E, [`), Sinatra's `date - Type - msg`, or a `file:N:in 'm'` header. */
  readonly startShapes: readonly StartShape[] = [
    { first: '#', contains: '#<Thread:' },
    { first: 'EF', contains: ', [' },
    // Sinatra's `2026-11-22 02:48:18 - Type - msg`. With ' - ' anywhere, every access line named ruby
    // too: startKind() calls on the lines of bench/log-pipeline.ts, 27,543 a pass before, 1,709 now.
    { first: DIGITS, contains: ' - ', at: 19 },
    { first: anyCharExcept('\t '), contains: ':in ' },
  ];

  startKind(line: string): StartKind {
    const c = line.charCodeAt(0);
    if (Number.isNaN(c) || c === 9 || c === 32) return 'no';
    if (c === 35 /* # */) {
      return line.startsWith('#<Thread:') && THREAD.test(line) ? 'start' : 'no';
    }
    if ((c === 69 || c === 70) && line.startsWith(', [', 1)) {
      return LOGGER.test(line) ? 'candidate' : 'no';
    }
    if (c >= 48 && c <= 57 && line.length > 22 && line.charCodeAt(4) === 45 && line.startsWith(' - ', 19)) {
      const m = SINATRA.exec(line);
      if (m) return line.endsWith(':') ? 'start' : 'candidate';
    }
    if (!line.includes(':in ')) return 'no';
    const h = this.#headers.of(line);
    if (!h) return 'no';
    return h.certain ? 'start' : 'candidate';
  }

  readonly #headers = new HeaderReader();
  readonly #layouts = new FirstLineMemo(layoutOf, this.#headers);

  continues(block: readonly string[], line: string): boolean {
    const first = block[0];
    if (first === undefined) return false;
    const layout = this.#layouts.of(block, first);
    if (layout === 'logger') return continuesLogger(block, line);
    if (layout === 'sinatra') return continuesSinatra(block, line);
    if (layout === 'thread' && block.length === 1) return this.#headers.of(line) !== null;
    if (layout === null) return false;
    return continuesUncaught(block, line, this.#headers);
  }

  parse(block: readonly string[]): ParsedTrace | null {
    const first = block[0];
    if (first === undefined) return null;
    const layout = layoutOf(first, this.#headers);
    if (layout === 'uncaught') return parseUncaught(block, 0, this.#headers);
    if (layout === 'thread') return parseUncaught(block, 1, this.#headers);
    if (layout === 'sinatra') return parseSinatra(block);
    if (layout === 'logger') return parseLogger(block);
    return null;
  }
}

/** Lines since the last header or frame line (the current message section), or -1 once frames began. */
function messageLinesSoFar(block: readonly string[], isFrame: (l: string) => boolean, isHead: (l: string) => boolean): number {
  let n = 0;
  for (let i = block.length - 1; i >= 0; i--) {
    const l = block[i]!;
    if (isFrame(l)) return -1;
    if (isHead(l)) return n;
    n++;
  }
  return n;
}

function continuesUncaught(block: readonly string[], line: string, headers: HeaderReader): boolean {
  if (isFromLine(line) || isLevelsLine(line)) return true;
  // A header that does not name its type is confirmed only by a frame.
  if (block.length === 1 && headers.of(block[0]!)?.certain === false) return false;
  const h = headers.of(line);
  // The next link of the cause chain; the same raise site again is a new report, not a cause.
  if (h?.certain) return !sameSite(block, h);
  const n = messageLinesSoFar(block, (l) => isFromLine(l) || isLevelsLine(l), (l) => headers.of(l) !== null);
  if (n < 0 || n >= RUBY_MAX_MESSAGE_LINES) return false;
  return !looksLikeLogRecord(line);
}

function sameSite(block: readonly string[], h: Header): boolean {
  for (const l of block) {
    const prev = parseHeader(l);
    if (prev?.certain && prev.frame.file === h.frame.file && prev.frame.line === h.frame.line) {
      return prev.type === h.type && prev.frame.function === h.frame.function;
    }
  }
  return false;
}

function continuesSinatra(block: readonly string[], line: string): boolean {
  if (line.charCodeAt(0) === 9 /* tab */) return frameAt(line, 1) >= 0;
  const n = messageLinesSoFar(block, (l) => l.charCodeAt(0) === 9, (l) => l === block[0]);
  if (n < 0 || n >= RUBY_MAX_MESSAGE_LINES) return false;
  return !looksLikeLogRecord(line);
}

function continuesLogger(_block: readonly string[], line: string): boolean {
  if (isLevelsLine(line)) return true;
  const c = line.charCodeAt(0);
  if (Number.isNaN(c) || c === 9 || c === 32) return false;
  return line.includes(':in ') && frameAt(line, 0) >= 0;
}

function parseUncaught(block: readonly string[], from: number, headers: HeaderReader): ParsedTrace | null {
  const segments: { header: Header; message: string[]; frames: Frame[] }[] = [];
  for (let i = from; i < block.length; i++) {
    const line = block[i]!;
    const h = headers.of(line);
    const current = segments[segments.length - 1];
    // A `\tfrom` line's frame, read once (isFromLine() and then parseFrame() read it twice).
    const from = h === null && current !== undefined && line.startsWith('\tfrom ') ? parseFrameAt(line, 6) : null;
    if (h && (current === undefined || h.certain)) {
      segments.push({ header: h, message: [h.message], frames: [{ ...h.frame }] });
    } else if (current === undefined) {
      return null;
    } else if (from !== null) {
      current.frames.push(from);
    } else if (!isLevelsLine(line) && current.frames.length === 1) {
      current.message.push(line);
    }
  }
  const primary = segments[0];
  if (!primary) return null;
  if (!primary.header.certain && primary.frames.length < 2) return null;
  const causes: ExceptionCause[] = segments.slice(1).map((s) => ({
    type: s.header.type,
    message: rubyMessage(s.message),
  }));
  return {
    language: 'ruby',
    type: primary.header.type || 'Exception',
    message: rubyMessage(primary.message),
    frames: primary.frames,
    causes,
  };
}

function parseSinatra(block: readonly string[]): ParsedTrace | null {
  const m = SINATRA.exec(block[0]!);
  if (!m) return null;
  const message = [m[2]!];
  const frames: Frame[] = [];
  for (let i = 1; i < block.length; i++) {
    const line = block[i]!;
    if (line.charCodeAt(0) === 9) {
      const f = parseFrameAt(line, 1);
      if (f) frames.push(f);
    } else if (frames.length === 0) {
      message.push(line);
    }
  }
  if (frames.length === 0) return null;
  // dump_errors ends the message with ':' before the frames.
  const last = message.length - 1;
  message[last] = message[last]!.replace(/:$/, '');
  return { language: 'ruby', type: m[1]!, message: rubyMessage(message), frames, causes: [] };
}

function parseLogger(block: readonly string[]): ParsedTrace | null {
  const m = LOGGER.exec(block[0]!);
  if (!m) return null;
  const frames: Frame[] = [];
  for (let i = 1; i < block.length; i++) {
    const f = parseFrame(block[i]!);
    if (f) frames.push(f);
  }
  if (frames.length === 0) return null;
  return { language: 'ruby', type: m[2]!, message: m[1]!, frames, causes: [] };
}
