/**
 * .NET stack traces (Exception.ToString() behind the runtime's unhandled-exception header):
 * - .NET Core 3+ / .NET 5+: `Unhandled exception. System.X: msg`, inner exceptions on their own
 *   ` ---> System.Y: msg` lines, frames `   at Ns.Type.Method(args) in /src/File.cs:line 42`,
 *   `   --- End of inner exception stack trace ---`, `--- End of stack trace from previous location ---`;
 * - .NET Framework, .NET Core 2 and Mono: `Unhandled Exception: System.X: msg ---> System.Y: msg` on one
 *   line (Mono: `Unhandled Exception:` alone, then the text), Mono frames
 *   `  at Ns.Type.Method (args) [0x00012] in <mvid>:0`, and Mono's second copy of the same report,
 *   `[ERROR] FATAL UNHANDLED EXCEPTION: …`, which belongs to the same event;
 * - ToString() text an application logs itself: `Ns.SomeException: msg` followed by frames, also as
 *   Microsoft.Extensions.Logging's console formatter (.NET 5+) prints it: every line indented 6 spaces
 *   under `fail: Category[13]` and its message.
 * AggregateException's extra `---> (Inner Exception #N) … <---` sections are kept in the block (printed
 * for an unhandled exception without the `<---`, one blank line apart), and so are the
 * `ClientConnectionId:…` lines a SqlException prints after its frames.
 */
import type { Frame, ParsedTrace, StartKind, StartShape, TraceParser } from '../types.ts';
import { LOWER, UPPER } from '../start-filter.ts';
import { FirstLineMemo } from './first-line-memo.ts';
import {
  DOTNET_MAX_MESSAGE_LINES,
  isEndOfInner,
  isFrameLine,
  isInnerListing,
  isSeparator,
  isSqlTrailer,
  parseFrameLine,
  splitChain,
} from './dotnet-lines.ts';

type Kind = 'core' | 'legacy' | 'mono' | 'fatal' | 'bare';
/** How a block's first line begins it; pad: the spaces a logger indents every line of the block with. */
interface Layout {
  kind: Kind;
  pad: number;
}

const CORE = 'Unhandled exception. ';
const LEGACY = 'Unhandled Exception: ';
const MONO = 'Unhandled Exception:';
const FATAL = '[ERROR] FATAL UNHANDLED EXCEPTION: ';
/** A namespace-qualified type, an optional error code (`SocketException (10054)`), then an optional ": message". */
const TYPED = /^[A-Za-z_][\w`]*(?:\.[A-Za-z_][\w`]*)+(?: \((?:0x[0-9A-Fa-f]+|-?\d+)\))?(?:: |$)/;
/** What an application's own ToString() text must look like to be a candidate: `Ns.Exception`, `Ns.FooException`. */
const BARE = /^[A-Za-z_][\w`]*(?:\.[A-Za-z_][\w`]*)*\.(?:[A-Za-z_]\w*)?Exception(?: \((?:0x[0-9A-Fa-f]+|-?\d+)\))?(?:: |$)/;
const MAX_BARE_MESSAGE_LINES = 3;
/** Widest indentation taken for a logger's padding of a logged exception. */
const MAX_PAD = 16;
const ARROW = /^ ?---> /;

/** Whether a line begins with pad spaces. */
function hasPad(line: string, pad: number): boolean {
  for (let i = 0; i < pad; i++) if (line.charCodeAt(i) !== 32) return false;
  return true;
}

/** Leading spaces of a line, when a BARE exception line follows them. */
function paddedBare(line: string): number {
  let pad = 0;
  while (pad < MAX_PAD && line.charCodeAt(pad) === 32) pad++;
  return pad > 0 && BARE.test(line.slice(pad)) ? pad : 0;
}

function layoutOf(first: string): Layout | null {
  if (first.startsWith(CORE)) return { kind: 'core', pad: 0 };
  if (first.trimEnd() === MONO) return { kind: 'mono', pad: 0 };
  if (first.startsWith(LEGACY)) return { kind: 'legacy', pad: 0 };
  if (first.startsWith(FATAL)) return { kind: 'fatal', pad: 0 };
  if (BARE.test(first)) return { kind: 'bare', pad: 0 };
  const pad = paddedBare(first);
  return pad > 0 ? { kind: 'bare', pad } : null;
}

/** The text after the layout's prefix on a header line. */
function headerText(line: string, kind: Kind): string {
  if (kind === 'core') return line.slice(CORE.length);
  if (kind === 'legacy') return line.slice(LEGACY.length);
  if (kind === 'fatal') return line.slice(FATAL.length);
  return line;
}

/** A block's lines without the logger's padding (blank lines stay blank). */
function unpadded(block: readonly string[], pad: number): readonly string[] {
  return pad === 0 ? block : block.map((l) => l.slice(pad));
}

export class DotnetTraceParser implements TraceParser {
  readonly language = 'dotnet' as const;
  /** The unhandled-exception headers (.NET, Mono's second copy), or ToString() text naming an `…Exception`. */
  readonly startShapes: readonly StartShape[] = [
    { first: 'U', contains: 'Unhandled ' },
    { first: '[', contains: FATAL },
    { first: `${UPPER}${LOWER}`, contains: 'Exception' },
    { first: ' ', contains: 'Exception' },
  ];

  startKind(line: string): StartKind {
    const c = line.charCodeAt(0);
    if (c === 85 /* U */) {
      if (line.startsWith(CORE)) return TYPED.test(line.slice(CORE.length)) ? 'start' : 'no';
      if (line.trimEnd() === MONO) return 'start';
      if (line.startsWith(LEGACY)) return TYPED.test(line.slice(LEGACY.length)) ? 'start' : 'no';
    }
    if (c === 91 /* [ */ && line.startsWith(FATAL)) return TYPED.test(line.slice(FATAL.length)) ? 'start' : 'no';
    if (((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) && line.includes('Exception') && BARE.test(line)) {
      return 'candidate';
    }
    if (c === 32 && line.includes('Exception') && paddedBare(line) > 0) return 'candidate';
    return 'no';
  }

  readonly #layouts = new FirstLineMemo(layoutOf);

  continues(block: readonly string[], line: string): boolean {
    const first = block[0];
    if (first === undefined) return false;
    const layout = this.#layouts.of(block, first);
    if (layout === null) return false;
    const { kind, pad } = layout;
    // A logger's padding: every line of the exception carries it (checked here, then cut off).
    if (pad > 0) {
      if (!hasPad(line, pad) && line.trim() !== '') return false;
      line = line.slice(pad);
    }
    const at = (i: number): string => (pad === 0 ? block[i]! : block[i]!.slice(pad));
    if (kind === 'mono' && block.length === 1) return TYPED.test(line);
    if (isFrameLine(line) || isEndOfInner(line) || isSeparator(line) || ARROW.test(line)) return true;
    const prev = at(block.length - 1);
    if (line.trim() === '') {
      // AggregateException's listings are parted by a blank line, and Mono puts one after a separator.
      if (prev.endsWith('<---') || isSeparator(prev)) return true;
      // Printed unhandled, the listings lose their "<---": a blank line after a listing's frame.
      if (isFrameLine(prev)) return block.some((_, i) => isInnerListing(at(i)));
      // A message with blank lines, before the first frame.
      if (kind !== 'core' && kind !== 'legacy') return false;
    }
    // SqlException's ClientConnectionId and error number lines after its frames.
    if (isSqlTrailer(line)) return isFrameLine(prev) || isSqlTrailer(prev);
    // Mono prints the whole report a second time: it is the same exception.
    if ((kind === 'mono' || kind === 'legacy') && line.startsWith(FATAL)) return !block.some((l) => l.startsWith(FATAL));
    // A message spanning lines, before the first frame of its exception.
    if (prev.endsWith('<---')) return false;
    // Another runtime's frames (Java's "\tat", Node's "    at") or prose indented like a frame.
    if (/^\s+at\s/.test(line)) return false;
    if (kind === 'bare' && BARE.test(line)) return false;
    const cap = kind === 'bare' ? MAX_BARE_MESSAGE_LINES : DOTNET_MAX_MESSAGE_LINES;
    let n = 0;
    for (let i = block.length - 1; i >= 0; i--) {
      const l = at(i);
      if (isFrameLine(l) || isEndOfInner(l) || isSeparator(l)) return false;
      if (i === 0 || l.includes('---> ') || l.startsWith(FATAL)) break;
      n++;
    }
    return n < cap;
  }

  parse(block: readonly string[]): ParsedTrace | null {
    const first = block[0];
    if (first === undefined) return null;
    const layout = layoutOf(first);
    if (layout === null) return null;
    const lines = unpadded(block, layout.pad);
    const kind = layout.kind;
    // The report proper: up to Mono's second copy or AggregateException's extra inner listings.
    const start = kind === 'mono' ? 1 : 0;
    let end = lines.length;
    for (let i = start + 1; i < lines.length; i++) {
      if (lines[i]!.startsWith(FATAL) || isInnerListing(lines[i]!)) {
        end = i;
        break;
      }
    }
    const headEnd = this.#headEnd(lines, start, end);
    if (headEnd === start) return null;
    const head: string[] = [];
    for (let i = start; i < headEnd; i++) head.push(i === 0 ? headerText(lines[i]!, kind) : lines[i]!);
    // The primary's own frames follow the last "End of inner exception stack trace".
    let frames: Frame[] = [];
    for (let i = headEnd; i < end; i++) {
      const l = lines[i]!;
      if (isEndOfInner(l)) frames = [];
      else if (isFrameLine(l)) {
        const f = parseFrameLine(l);
        if (f) frames.push(f);
      }
    }
    const chain = splitChain(head.join('\n').trimEnd());
    const primary = chain[0];
    if (!primary || !primary.type) return null;
    if (kind === 'bare' && frames.length === 0) return null;
    // AggregateException lists its other inner exceptions after its own frames.
    const causes = chain.slice(1);
    for (let j = end; j < lines.length; j++) {
      const m = /^ ?---> \(Inner Exception #(\d+)\) (.*)$/.exec(lines[j]!);
      const listed = m && m[1] !== '0' ? splitChain(m[2]!)[0] : undefined;
      if (listed) causes.push(listed);
    }
    return { language: 'dotnet', type: primary.type, message: primary.message, frames, causes };
  }

  /**
   * Where the exception chain (`A: m ---> B: m …`) ends: at the first frame or marker, unless a
   * ` ---> B: m` line follows frames before the first "End of inner exception stack trace": then the
   * outer message itself held a stack trace (Orleans puts its inner exception's in it), and the chain
   * runs to that line.
   */
  #headEnd(lines: readonly string[], start: number, end: number): number {
    let body = start;
    while (body < end && !isFrameLine(lines[body]!) && !isEndOfInner(lines[body]!) && !isSeparator(lines[body]!)) body++;
    let headEnd = body;
    for (let i = body; i < end && !isEndOfInner(lines[i]!); i++) if (ARROW.test(lines[i]!)) headEnd = i + 1;
    return headEnd;
  }
}
