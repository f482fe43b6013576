import type { ExceptionCause, Frame, ParsedTrace, StartKind, StartShape, TraceParser } from '../types.ts';
import { isSpace } from './chars.ts';

/**
 * CPython tracebacks, 2.7 to 3.13: "Traceback (most recent call last):" blocks, chains joined by
 * "The above exception was the direct cause…" / "During handling…", exception groups drawn in +-| boxes,
 * SyntaxError blocks that start at `  File "…", line N`, 3.11+ ~~~^^^ marker lines and
 * "[Previous line repeated N more times]". The primary exception is the last one printed.
 */
export const TRACEBACK = 'Traceback (most recent call last):';
const GROUP_TRACEBACK = '  + Exception Group Traceback (most recent call last):';
const DIRECT_CAUSE = 'The above exception was the direct cause of the following exception:';
const DURING_HANDLING = 'During handling of the above exception, another exception occurred:';
const FILE_PREFIX = '  File "';
const REPEATED_PREFIX = '  [Previous line repeated ';

const FRAME_RE = /^ {2}File "(.*)", line (\d+)(?:, in (.*))?$/;
const SYNTAX_FRAME_RE = /^ {2}File "(.*)", line \d+$/;
const EXCEPTION_RE = /^([A-Za-z_][\w.]*)(?:: ?(.*))?$/;

/**
 * Paths of installed packages and of the standard library: one scan instead of two includes() and a
 * regex. With exceptionOf(), isBlank() without trim() and parseFrames() without a slice: the lines of
 * the python traces in bench/log-pipeline.ts's input, 273-279 ns each before, 253-254 now.
 */
const LIBRARY_RE = /\/site-packages\/|\/dist-packages\/|\/lib\/python\d/;

/** Frames of the interpreter, the standard library, installed packages and the Kubeless runtime. */
export function pythonInApp(file: string): boolean {
  if (LIBRARY_RE.test(file) || file.startsWith('<frozen ')) return false;
  return !(file === '/_kubeless.py' || file.endsWith('/_kubeless.py') || file.endsWith('/kubeless.py'));
}

function isBox(line: string): boolean {
  if (line.charCodeAt(0) !== 32) return false;
  let i = 1;
  while (line.charCodeAt(i) === 32) i++;
  const c = line.charCodeAt(i);
  return c === 124 /* | */ || c === 43 /* + */;
}

function isExceptionLine(line: string): boolean {
  const c = line.charCodeAt(0);
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  return letter && line !== TRACEBACK && line !== DIRECT_CAUSE && line !== DURING_HANDLING && EXCEPTION_RE.test(line);
}

/** splitException(line) where isExceptionLine(line), else null: EXCEPTION_RE run once, not twice. */
function exceptionOf(line: string): { type: string; message: string } | null {
  const c = line.charCodeAt(0);
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  if (!letter || line === TRACEBACK || line === DIRECT_CAUSE || line === DURING_HANDLING) return null;
  return splitException(line);
}

function isSeparator(line: string): boolean {
  return line === DIRECT_CAUSE || line === DURING_HANDLING;
}

/** line.trim() === '', without the trimmed string trim() made of every indented line. */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) if (!isSpace(line.charCodeAt(i))) return false;
  return true;
}

/** A line inside one traceback's frame list: a frame, its source, markers, or a repeat note. */
function isFrameBody(line: string): boolean {
  return line.startsWith(FILE_PREFIX) || line.startsWith('    ') || line.startsWith(REPEATED_PREFIX);
}

interface Segment {
  frames: Frame[];
  type: string;
  message: string;
  /** Sub-exceptions of an exception group. */
  members: ExceptionCause[];
}

/** The frames of lines[0, end), innermost first. */
function parseFrames(lines: readonly string[], end: number): Frame[] {
  const frames: Frame[] = [];
  for (let i = 0; i < end; i++) {
    const line = lines[i]!;
    if (!line.startsWith(FILE_PREFIX)) continue;
    const m = FRAME_RE.exec(line);
    if (!m) continue;
    const file = m[1] ?? '';
    frames.push({ file, line: Number(m[2]), function: m[3] ?? '', inApp: pythonInApp(file) });
  }
  return frames.reverse();
}

function splitException(line: string): { type: string; message: string } | null {
  const m = EXCEPTION_RE.exec(line);
  if (!m) return null;
  return { type: m[1] ?? '', message: m[2] ?? '' };
}

/** One plain traceback: frame lines then the exception line. */
function parsePlain(lines: readonly string[]): Segment | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (isBlank(l)) continue;
    const exc = exceptionOf(l);
    if (!exc) return null;
    return { frames: parseFrames(lines, i), type: exc.type, message: exc.message, members: [] };
  }
  return null;
}

/** Strips one level of box drawing: lines of the given depth lose their `  | ` prefix. */
function unbox(lines: readonly string[], indent: string): string[] {
  const out: string[] = [];
  const prefix = indent + '| ';
  const bare = indent + '|';
  for (const l of lines) {
    if (l.startsWith(prefix)) out.push(l.slice(prefix.length));
    else if (l === bare) out.push('');
  }
  return out;
}

/** An exception group: its own traceback at depth 1, each member summarised by its last exception line. */
function parseGroup(lines: readonly string[]): Segment | null {
  const own = parsePlain(unbox(lines.slice(1, lines.findIndex((l) => l.startsWith('  +-')) >>> 0), '  '));
  if (!own) return null;
  const members: ExceptionCause[] = [];
  let current: string[] = [];
  const close = (): void => {
    for (let i = current.length - 1; i >= 0; i--) {
      const exc = exceptionOf(current[i]!);
      if (exc) {
        members.push(exc);
        break;
      }
    }
    current = [];
  };
  for (const l of lines) {
    if (/^ {2}\+-\+-+ \d+ -+$/.test(l) || /^ {4}\+-+( \d+ -+)?$/.test(l)) close();
    else if (l.startsWith('    | ')) current.push(l.slice(6));
  }
  close();
  return { ...own, members };
}

export class PythonTraceParser implements TraceParser {
  readonly language = 'python' as const;
  /** The traceback header, the exception-group header, or a SyntaxError's `  File "…", line N` without one. */
  readonly startShapes: readonly StartShape[] = [
    { first: 'T', last: ':' },
    { first: ' ', contains: GROUP_TRACEBACK },
    { first: ' ', last: '0123456789', contains: FILE_PREFIX },
  ];

  startKind(line: string): StartKind {
    const c = line.charCodeAt(0);
    if (c === 84 /* T */) return line === TRACEBACK ? 'start' : 'no';
    if (c === 32 /* space */ && line.charCodeAt(2) !== 32) {
      if (line.startsWith(GROUP_TRACEBACK)) return 'start';
      if (line.startsWith(FILE_PREFIX) && SYNTAX_FRAME_RE.test(line)) return 'candidate';
    }
    return 'no';
  }

  continues(block: readonly string[], line: string): boolean {
    const prev = block[block.length - 1] ?? '';
    if (isBox(prev)) return isBox(line) || isBlank(line);
    if (prev === TRACEBACK) return line.startsWith(FILE_PREFIX);
    if (isSeparator(prev)) return isBlank(line);
    if (isBlank(prev)) {
      const before = block[block.length - 2] ?? '';
      if (isSeparator(before)) return line === TRACEBACK || line.startsWith(GROUP_TRACEBACK);
      return isSeparator(line);
    }
    if (isFrameBody(prev)) return isFrameBody(line) || isExceptionLine(line);
    // prev is an exception line: only a chain can follow, after a blank line.
    return isBlank(line);
  }

  parse(block: readonly string[]): ParsedTrace | null {
    const segments: Segment[] = [];
    let start = 0;
    const flush = (end: number): boolean => {
      const lines = block.slice(start, end);
      const first = lines[0] ?? '';
      const seg = first.startsWith(GROUP_TRACEBACK) ? parseGroup(lines) : parsePlain(first === TRACEBACK ? lines.slice(1) : lines);
      if (!seg) return false;
      segments.push(seg);
      return true;
    };
    for (let i = 0; i < block.length; i++) {
      if (isSeparator(block[i]!)) {
        if (!flush(i)) return null;
        start = i + 1;
        while (start < block.length && isBlank(block[start]!)) start++;
      }
    }
    if (!flush(block.length)) return null;
    const primary = segments[segments.length - 1]!;
    if (primary.frames.length === 0 && !block[0]!.startsWith(FILE_PREFIX) && block[0] !== TRACEBACK) return null;
    const causes: ExceptionCause[] = [...primary.members];
    for (let i = segments.length - 2; i >= 0; i--) causes.push({ type: segments[i]!.type, message: segments[i]!.message });
    return { language: 'python', type: primary.type, message: primary.message, frames: primary.frames, causes };
  }
}
