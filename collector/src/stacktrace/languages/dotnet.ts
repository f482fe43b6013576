/**
 * .NET stack traces (Exception.ToString() behind the runtime's unhandled-exception header):
 * - .NET Core 3+ / .NET 5+: `Unhandled exception. System.X: msg`, inner exceptions on their own
 *   ` ---> System.Y: msg` lines, frames `   at Ns.Type.Method(args) in /src/File.cs:line 42`,
 *   `   --- End of inner exception stack trace ---`, `--- End of stack trace from previous location ---`;
 * - .NET Framework, .NET Core 2 and Mono: `Unhandled Exception: System.X: msg ---> System.Y: msg` on one
 *   line (Mono: `Unhandled Exception:` alone, then the text), Mono frames
 *   `  at Ns.Type.Method (args) [0x00012] in <mvid>:0`, and Mono's second copy of the same report,
 *   `[ERROR] FATAL UNHANDLED EXCEPTION: …`, which belongs to the same event;
 * - ToString() text an application logs itself: `Ns.SomeException: msg` followed by frames.
 * AggregateException's extra `---> (Inner Exception #N) … <---` sections are kept in the block.
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
  parseFrameLine,
  splitChain,
} from './dotnet-lines.ts';

type Layout = 'core' | 'legacy' | 'mono' | 'fatal' | 'bare';

const CORE = 'Unhandled exception. ';
const LEGACY = 'Unhandled Exception: ';
const MONO = 'Unhandled Exception:';
const FATAL = '[ERROR] FATAL UNHANDLED EXCEPTION: ';
/** A namespace-qualified type, then an optional ": message". */
const TYPED = /^[A-Za-z_][\w`]*(?:\.[A-Za-z_][\w`]*)+(?:: |$)/;
/** What an application's own ToString() text must look like to be a candidate. */
const BARE = /^[A-Za-z_][\w`]*(?:\.[A-Za-z_][\w`]*)*\.[A-Za-z_]\w*Exception(?:: |$)/;
const MAX_BARE_MESSAGE_LINES = 3;

function layoutOf(first: string): Layout | null {
  if (first.startsWith(CORE)) return 'core';
  if (first.trimEnd() === MONO) return 'mono';
  if (first.startsWith(LEGACY)) return 'legacy';
  if (first.startsWith(FATAL)) return 'fatal';
  return BARE.test(first) ? 'bare' : null;
}

/** The text after the layout's prefix on a header line. */
function headerText(line: string, layout: Layout): string {
  if (layout === 'core') return line.slice(CORE.length);
  if (layout === 'legacy') return line.slice(LEGACY.length);
  if (layout === 'fatal') return line.slice(FATAL.length);
  return line;
}

export class DotnetTraceParser implements TraceParser {
  readonly language = 'dotnet' as const;
  /** The unhandled-exception headers (.NET, Mono's second copy), or ToString() text naming an `…Exception`. */
  readonly startShapes: readonly StartShape[] = [
    { first: 'U', contains: 'Unhandled ' },
    { first: '[', contains: FATAL },
    { first: `${UPPER}${LOWER}`, contains: 'Exception' },
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
    return 'no';
  }

  readonly #layouts = new FirstLineMemo(layoutOf);

  continues(block: readonly string[], line: string): boolean {
    const first = block[0];
    if (first === undefined) return false;
    const layout = this.#layouts.of(block, first);
    if (layout === null) return false;
    if (layout === 'mono' && block.length === 1) return TYPED.test(line);
    if (isFrameLine(line) || isEndOfInner(line) || isSeparator(line) || /^ ?---> /.test(line)) return true;
    const prev = block[block.length - 1]!;
    // AggregateException's listings are parted by a blank line, and Mono puts one after a separator.
    if (line.trim() === '') return prev.endsWith('<---') || isSeparator(prev);
    // Mono prints the whole report a second time: it is the same exception.
    if ((layout === 'mono' || layout === 'legacy') && line.startsWith(FATAL)) return !block.some((l) => l.startsWith(FATAL));
    // A message spanning lines, before the first frame of its exception.
    if (prev.endsWith('<---')) return false;
    // Another runtime's frames (Java's "\tat", Node's "    at") or prose indented like a frame.
    if (/^\s+at\s/.test(line)) return false;
    if (layout === 'bare' && BARE.test(line)) return false;
    const cap = layout === 'bare' ? MAX_BARE_MESSAGE_LINES : DOTNET_MAX_MESSAGE_LINES;
    let n = 0;
    for (let i = block.length - 1; i >= 0; i--) {
      const l = block[i]!;
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
    // The report proper: up to Mono's second copy or AggregateException's extra inner listings.
    const start = layout === 'mono' ? 1 : 0;
    let end = block.length;
    for (let i = start + 1; i < block.length; i++) {
      if (block[i]!.startsWith(FATAL) || isInnerListing(block[i]!)) {
        end = i;
        break;
      }
    }
    const head: string[] = [];
    let i = start;
    for (; i < end; i++) {
      const l = block[i]!;
      if (isFrameLine(l) || isEndOfInner(l) || isSeparator(l)) break;
      head.push(i === 0 ? headerText(l, layout) : l);
    }
    if (head.length === 0) return null;
    // The primary's own frames follow the last "End of inner exception stack trace".
    let frames: Frame[] = [];
    for (; i < end; i++) {
      const l = block[i]!;
      if (isEndOfInner(l)) frames = [];
      else if (isFrameLine(l)) {
        const f = parseFrameLine(l);
        if (f) frames.push(f);
      }
    }
    const chain = splitChain(head.join('\n'));
    const primary = chain[0];
    if (!primary || !primary.type) return null;
    if (layout === 'bare' && frames.length === 0) return null;
    // AggregateException lists its other inner exceptions after its own frames.
    const causes = chain.slice(1);
    for (let j = end; j < block.length; j++) {
      const m = /^ ?---> \(Inner Exception #(\d+)\) (.*)$/.exec(block[j]!);
      const listed = m && m[1] !== '0' ? splitChain(m[2]!)[0] : undefined;
      if (listed) causes.push(listed);
    }
    return { language: 'dotnet', type: primary.type, message: primary.message, frames, causes };
  }
}
