import type { ExceptionCause, Frame, ParsedTrace, StartKind, StartShape, TraceParser } from '../types.ts';
import { DIGITS } from '../start-filter.ts';

/**
 * Go crashes: `panic: …` (with `[recovered]` chains and `[signal …]` lines) or `fatal error: …`, then one
 * or more goroutine dumps (`goroutine N [state]:`, function line + tab-indented `file:line +0x..`,
 * `created by …`); and net/http's `http: panic serving ADDR: …` log line followed by the goroutine's
 * trace. The primary frames are those of the first goroutine printed (the one that panicked).
 */
const PANIC = 'panic: ';
const FATAL = 'fatal error: ';
const HTTP_PANIC = 'http: panic serving ';
const GOROUTINE_RE = /^goroutine \d+ .*\[[^\]]*\]:$/;
const FILE_RE = /^\t(.+?):(\d+)(?: \+0x[0-9a-f]+)?(?: fp=.*)?$/;
const LOG_DATE_RE = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d(?:\.\d+)? /;
const GOROOT_RE = /\/(?:usr\/lib\/go[^/]*|usr\/local\/go|opt\/go|goroot|sdk\/go[^/]*|go\/root)\/src\//;

/**
 * Module caches, vendored code, the Kubeless runtime and GOROOT_RE in one scan (four includes() and
 * GOROOT_RE before). With isGoroutineLine() and functionName() by char code: the lines of the go
 * traces in bench/log-pipeline.ts's input, 232-243 ns each before, 194-206 now.
 */
const LIBRARY_RE = new RegExp(`/pkg/mod/|/vendor/|/kl-go-server/|github\\.com/kubeless/|${GOROOT_RE.source}`);

/** Frames of the Go runtime and standard library, of module dependencies, and of the Kubeless runtime. */
export function goInApp(file: string, fn: string): boolean {
  if (fn === 'panic' || fn.startsWith('runtime.')) return false;
  if (LIBRARY_RE.test(file)) return false;
  if (!file.startsWith('/') && !/^[A-Za-z]:/.test(file)) {
    const first = file.split('/')[0] ?? '';
    if (!first.includes('.')) return false; // a -trimpath standard library path such as net/http/server.go
  }
  return true;
}

/** Where the http panic text starts in a log line, or -1. */
function httpPanicAt(line: string): number {
  if (line.startsWith(HTTP_PANIC)) return 0;
  const c = line.charCodeAt(0);
  if (c < 48 || c > 57 || line.charCodeAt(4) !== 47 /* / */) return -1;
  const m = LOG_DATE_RE.exec(line);
  if (!m) return -1;
  const at = line.indexOf(HTTP_PANIC, m[0].length);
  return at;
}

/** A function line of a goroutine dump: `pkg.Func(args)` or `pkg.(*T).M(...)`, no leading space. */
function isFunctionLine(line: string): boolean {
  if (line.length < 3 || line.charCodeAt(line.length - 1) !== 41 /* ) */) return false;
  const c = line.charCodeAt(0);
  if (c === 32 || c === 9) return false;
  const open = line.indexOf('(');
  const space = line.indexOf(' ');
  return open > 0 && (space < 0 || space > open) && !line.startsWith(PANIC);
}

/** The function name without its argument list. */
function functionName(line: string): string {
  let depth = 0;
  for (let i = line.length - 1; i >= 0; i--) {
    const c = line.charCodeAt(i);
    if (c === 41 /* ) */) depth++;
    else if (c === 40 /* ( */ && --depth === 0) return line.slice(0, i);
  }
  return line;
}

/** GOROUTINE_RE behind the prefix it requires: parse() tested it on every line of a dump. */
function isGoroutineLine(line: string): boolean {
  return line.startsWith('goroutine ') && GOROUTINE_RE.test(line);
}

/** Splits a panic text into type and message. */
function classify(kind: 'panic' | 'fatal error', text: string): { type: string; message: string } {
  const msg = text.endsWith(' [recovered]') ? text.slice(0, -12) : text;
  if (kind === 'panic' && msg.startsWith('runtime error: ')) return { type: 'runtime error', message: msg.slice(15) };
  return { type: kind, message: msg };
}

export class GoTraceParser implements TraceParser {
  readonly language = 'go' as const;
  /**
   * `panic: `, `fatal error: `, or net/http's `http: panic serving ` at the start or after a log date
   * (a digit first). Any first character for the last, before: every line holding 'Error', ':in ' or
   * 'Fatal error' (other parsers' texts) tested for it too.
   */
  readonly startShapes: readonly StartShape[] = [
    { first: 'p', contains: PANIC },
    { first: 'f', contains: FATAL },
    { first: `h${DIGITS}`, contains: HTTP_PANIC },
  ];

  startKind(line: string): StartKind {
    const c = line.charCodeAt(0);
    if (c === 112 /* p */) return line.startsWith(PANIC) ? 'start' : 'no';
    if (c === 102 /* f */) return line.startsWith(FATAL) ? 'start' : 'no';
    if (c === 104 /* h */ || (c >= 48 && c <= 57)) return httpPanicAt(line) >= 0 ? 'start' : 'no';
    return 'no';
  }

  continues(block: readonly string[], line: string): boolean {
    const prev = block[block.length - 1] ?? '';
    if (line === '') return prev !== '';
    if (prev === '') return GOROUTINE_RE.test(line) || line === 'runtime stack:';
    const c = line.charCodeAt(0);
    if (c === 9 /* tab */) return true;
    if (c === 103 /* g */ && GOROUTINE_RE.test(line)) return true;
    if (c === 91 /* [ */) return line.startsWith('[signal ') && block.length <= 2;
    if (line.startsWith('created by ')) return true;
    if (line === '...additional frames elided...') return true;
    if (line.startsWith('runtime: ') || line === 'runtime stack:') return true;
    return isFunctionLine(line);
  }

  parse(block: readonly string[]): ParsedTrace | null {
    const first = block[0] ?? '';
    let head: { type: string; message: string };
    const causes: ExceptionCause[] = [];
    if (first.startsWith(PANIC)) head = classify('panic', first.slice(PANIC.length));
    else if (first.startsWith(FATAL)) head = classify('fatal error', first.slice(FATAL.length));
    else {
      const at = httpPanicAt(first);
      if (at < 0) return null;
      const rest = first.slice(at + HTTP_PANIC.length);
      const sep = rest.indexOf(': ');
      head = classify('panic', sep < 0 ? rest : rest.slice(sep + 2));
    }
    let i = 1;
    for (; i < block.length && !isGoroutineLine(block[i]!); i++) {
      const l = block[i]!;
      if (l.startsWith('\tpanic: ')) {
        const next = classify('panic', l.slice(8));
        if (next.message !== head.message || next.type !== head.type) causes.push(next);
      }
    }
    if (i >= block.length) return null;
    const frames: Frame[] = [];
    let fn: string | null = null;
    for (i++; i < block.length; i++) {
      const l = block[i]!;
      if (l === '' || l.startsWith('created by ') || isGoroutineLine(l)) break;
      const m = FILE_RE.exec(l);
      if (m && fn !== null) {
        const file = m[1] ?? '';
        frames.push({ file, line: Number(m[2]), function: fn, inApp: goInApp(file, fn) });
        fn = null;
      } else if (!m) {
        fn = isFunctionLine(l) ? functionName(l) : null;
      }
    }
    return { language: 'go', type: head.type, message: head.message, frames, causes };
  }
}
