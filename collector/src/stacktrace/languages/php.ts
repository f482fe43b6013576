/**
 * PHP stack traces: the engine's fatal "Uncaught" report in log mode (`PHP Fatal error:  Uncaught …`,
 * optionally behind error_log's `[date] ` prefix) and display mode (`Fatal error: Uncaught …`, plain or
 * with html_errors' `<b>` tags), with "Next" chains of previous exceptions and the closing
 * `  thrown in FILE on line N`; and Throwable::__toString() text written by an application
 * (`Type: message in FILE:N` + `Stack trace:`). Warnings, notices and other fatal errors carry no trace.
 */
import type { ExceptionCause, Frame, ParsedTrace, StartKind, StartShape, TraceParser } from '../types.ts';
import { DIGITS, LOWER, UPPER } from '../start-filter.ts';
import { FirstLineMemo } from './first-line-memo.ts';
import { PHP_MAX_MESSAGE_LINES, callStart, decodeEntities, parseCallLine, phpFrames, stripHtml } from './php-lines.ts';
import type { CallLine } from './php-lines.ts';

const UNCAUGHT = /(?:^|[\s\]"])(?:PHP )?Fatal error: +Uncaught ([A-Za-z_\\][\w\\]*)(: .*| in .*)?$/;
const BARE = /^([A-Za-z_\\][\w\\]*)((?:: .*)? in .+:\d+)$/;
const NEXT = /^Next ([A-Za-z_\\][\w\\]*)(: .*| in .*)?$/;
const THROWN = /^ {2}thrown in .+ on line \d+$/;
const MAIN = /^#\d+ \{main\}$/;

type Layout = 'fatal' | 'bare';

/**
 * THROWN, MAIN and NEXT behind the prefix or suffix each requires: continues() tested them on every
 * line of a block, and readSegments() NEXT on every call line. With parseCallLine() by hand and no copy
 * of a block without html: the lines of the php traces in bench/log-pipeline.ts's input, 480-489 ns
 * each before, 385-396 now.
 */
function isThrown(line: string): boolean {
  return line.startsWith('  thrown in ') && THROWN.test(line);
}

function isMain(line: string): boolean {
  return line.endsWith(' {main}') && MAIN.test(line);
}

function nextHead(line: string): RegExpExecArray | null {
  return line.startsWith('Next ') ? NEXT.exec(line) : null;
}

function layoutOf(first: string): Layout | null {
  const l = stripHtml(first);
  if (l.includes('Fatal error') && UNCAUGHT.test(l)) return 'fatal';
  return BARE.test(l) ? 'bare' : null;
}

function mayBeBare(line: string): boolean {
  const c = line.charCodeAt(0);
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 92 || c === 95;
  const last = line.charCodeAt(line.length - 1);
  return letter && last >= 48 && last <= 57 && line.includes(' in ');
}

export class PhpTraceParser implements TraceParser {
  readonly language = 'php' as const;
  /** The engine's fatal "Uncaught" report, or Throwable text `Type: msg in FILE:N`. */
  readonly startShapes: readonly StartShape[] = [
    { contains: 'Fatal error' },
    { first: `${UPPER}${LOWER}\\_`, last: DIGITS, contains: ' in ' },
  ];

  startKind(line: string): StartKind {
    if (line.includes('Fatal error')) {
      return UNCAUGHT.test(stripHtml(line)) ? 'start' : 'no';
    }
    if (mayBeBare(line) && BARE.test(line)) return 'candidate';
    return 'no';
  }

  readonly #layouts = new FirstLineMemo(layoutOf);

  continues(block: readonly string[], raw: string): boolean {
    const first = block[0];
    if (first === undefined) return false;
    const layout = this.#layouts.of(block, first);
    if (layout === null) return false;
    const line = stripHtml(raw);
    const prev = stripHtml(block[block.length - 1]!);
    if (isThrown(prev)) return false;
    if (prev === 'Stack trace:' || (prev.startsWith('#') && !isMain(prev))) {
      return callStart(line) >= 0;
    }
    if (isMain(prev)) return line === '' || (layout === 'fatal' && isThrown(line));
    if (prev === '' && block.length > 1) return nextHead(line) !== null;
    // In a header or its message: "Stack trace:" closes it, a multi-line message may come first.
    if (line === 'Stack trace:') return true;
    if (layout === 'bare' && block.length === 1) return false;
    return messageLines(block) < PHP_MAX_MESSAGE_LINES && !line.startsWith('#');
  }

  parse(block: readonly string[]): ParsedTrace | null {
    const first = block[0];
    if (first === undefined) return null;
    const layout = layoutOf(first);
    if (layout === null) return null;
    // html_errors also escapes the message.
    const html = block.some((l) => l.includes('<b>'));
    const segments = readSegments(html ? block.map((l) => decodeEntities(stripHtml(l))) : block, layout);
    const primary = segments[segments.length - 1];
    if (!primary || primary.location === null) return null;
    if (layout === 'bare' && primary.calls.length === 0) return null;
    // PHP prints the deepest previous exception first and the thrown one last, after "Next".
    const causes: ExceptionCause[] = segments
      .slice(0, -1)
      .reverse()
      .map((s) => ({ type: s.type, message: s.message }));
    const frames: Frame[] = phpFrames(primary.location, primary.calls);
    return { language: 'php', type: primary.type, message: primary.message, frames, causes };
  }
}

/** Message lines since the last header (for the bound on multi-line messages). */
function messageLines(block: readonly string[]): number {
  let n = 0;
  for (let i = block.length - 1; i > 0; i--) {
    if (nextHead(block[i]!) !== null) break;
    n++;
  }
  return n;
}

interface Segment {
  type: string;
  message: string;
  location: { file: string; line: number } | null;
  calls: CallLine[];
}

/** Sets the segment's message and location once its text ends in ` in FILE:LINE`. */
function locate(seg: Segment, text: readonly string[]): void {
  const joined = text.join('\n');
  const at = joined.lastIndexOf(' in ');
  if (at < 0) return;
  const m = /^(.+):(\d+)$/.exec(joined.slice(at + 4));
  if (!m) return;
  let message = joined.slice(0, at);
  if (message.startsWith(': ')) message = message.slice(2);
  // For a TypeError about a call, the report appends " and defined" to the message.
  if (message.includes(', called in ') && message.endsWith(' and defined')) message = message.slice(0, -12);
  seg.message = message;
  seg.location = { file: m[1]!, line: Number(m[2]) };
}

function readSegments(lines: readonly string[], layout: Layout): Segment[] {
  const segments: Segment[] = [];
  let seg: Segment | null = null;
  /** The text of the current header while its location is still to come; null after "Stack trace:". */
  let text: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let head: RegExpExecArray | null = null;
    if (i === 0) head = (layout === 'fatal' ? UNCAUGHT : BARE).exec(line);
    else if (text === null) head = nextHead(line);
    if (head) {
      seg = { type: head[1]!, message: '', location: null, calls: [] };
      segments.push(seg);
      text = [head[2] ?? ''];
      locate(seg, text);
      continue;
    }
    if (seg === null) return [];
    if (line === 'Stack trace:') {
      text = null;
    } else if (text !== null) {
      if (seg.location === null) {
        text.push(line);
        locate(seg, text);
      }
    } else {
      const call = parseCallLine(line);
      if (call) seg.calls.push(call);
    }
  }
  return segments;
}
