import type { ExceptionCause, Frame, ParsedTrace, StartKind, StartShape, TraceParser } from '../types.ts';
import { DIGITS, UPPER, anyCharExcept } from '../start-filter.ts';
import { FirstLineMemo } from './first-line-memo.ts';
import { skipSpaces } from './chars.ts';
import { MATCHING_RE, frameLine, isNodeVersion, isTopFrame, nodejsInApp } from './nodejs-lines.ts';

export { nodejsInApp };

/**
 * Node.js / V8 error output: `Name: message` followed by `    at …` frames; the uncaught-exception
 * layout (`file:line`, source line, caret, blank, error, frames, inspected properties such as
 * `{ code: 'ERR_X' }`, `[cause]: …` and AggregateError `[errors]: [...]`, then `Node.js vNN`); thrown
 * non-errors; unhandled rejections (`node:internal/process/promises:NNN`); and the Kubeless runtime's
 * `Function failed to execute: <stack>` lines.
 */
export const KUBELESS_PREFIX = 'Function failed to execute: ';
const CODE_RE = /^[\w.-]+$/;
const HEADER_RE = /^(?:\/|[A-Za-z]:\\|file:\/\/|node:|<anonymous)\S*:\d+$/;
const CARET_RE = /^\s*\^+\s*$/;
const EMBEDDED_RE = /(?<=\s)(?:[A-Z][\w$]*)?Error(?: \[[\w.-]+\])?(?=: |$)/;

function isUpper(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** `Name: message`, `Name [CODE]: message`, `Name`, or the bracketed `[Name: message]` form (maybe ending ` {`). */
function errorLine(line: string): { type: string; message: string } | null {
  const bracketed = line.charCodeAt(0) === 91; /* [ */
  const from = bracketed ? 1 : 0;
  if (!isUpper(line.charCodeAt(from))) return null;
  let i = from + 1;
  let lower = false;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || c === 95 || c === 36)) break;
  }
  // Error names are CamelCase: an all-capitals word is a log level or a label (SEVERE:, WARNING:).
  if (!lower) return null;
  const type = line.slice(from, i);
  if (line.startsWith(' [', i)) {
    // Error [ERR_MODULE_NOT_FOUND]: …
    const close = line.indexOf(']', i + 2);
    if (close < 0 || !CODE_RE.test(line.slice(i + 2, close))) return null;
    i = close + 1;
  }
  let end = line.length;
  if (bracketed || line.endsWith('] {')) {
    if (line.endsWith(' {')) end -= 2;
    if (!bracketed || line.charCodeAt(end - 1) !== 93 /* ] */) return null;
    end--;
  }
  if (i === end) return { type, message: '' };
  if (line.charCodeAt(i) !== 58 /* : */) return null;
  if (i + 1 === end) return { type, message: '' };
  if (line.charCodeAt(i + 1) !== 32) return null;
  return { type, message: line.slice(i + 2, end) };
}

/**
 * Where an error's name starts inside a longer line, as console.error('request failed:', err) prints it:
 * `request failed: TypeError: …`. -1 when the line holds none.
 */
function embeddedErrorAt(line: string): number {
  if (line.indexOf('Error') < 0) return -1;
  const m = EMBEDDED_RE.exec(line);
  return m ? m.index : -1;
}

/** Where the error's own text starts in its line: after the Kubeless prefix or a console.error label. */
function errorStart(line: string): number {
  if (line.startsWith(KUBELESS_PREFIX)) return KUBELESS_PREFIX.length;
  if (errorLine(line)) return 0;
  return Math.max(0, embeddedErrorAt(line));
}

const ERROR_LAYOUT = { kind: 'error', errorAt: 0 } as const;
const HEADER_LAYOUT = { kind: 'header', errorAt: 4 } as const;
const VALUE_LAYOUT = { kind: 'value', errorAt: 3 } as const;

/** Is this first line the `file:line` header of the uncaught-exception report? */
function isHeaderLine(first: string): boolean {
  const last = first.charCodeAt(first.length - 1);
  return last >= 48 && last <= 57 && HEADER_RE.test(first);
}

/** Where the error's own line sits in a block, and which layout the block has (header: isHeaderLine(block[0])). */
function layout(block: readonly string[], header: boolean): { kind: 'error' | 'header' | 'value'; errorAt: number } {
  if (!header) return ERROR_LAYOUT;
  // constants: continues() asks for the layout on every line of a block
  if (block.length > 3 && (block[3] ?? '') === '') return HEADER_LAYOUT;
  return VALUE_LAYOUT;
}

/** Message lines after the error line, before its first frame, that a block may hold. */
export const MAX_MESSAGE_LINES = 20;

/**
 * Only where the layout proves a trace (the uncaught-exception report, the Kubeless runtime's prefix)
 * may lines between the error line and its frames be read as more of the message.
 */
function messageAllowed(block: readonly string[], kind: string, errorAt: number): boolean {
  const head = block[errorAt] ?? '';
  return (kind === 'header' || head.startsWith(KUBELESS_PREFIX)) && !head.endsWith(' {');
}

function inMessage(block: readonly string[], kind: string, errorAt: number, top: TopFrameMemo): boolean {
  const n = block.length;
  if (n - 1 - errorAt > MAX_MESSAGE_LINES || !messageAllowed(block, kind, errorAt)) return false;
  for (let i = n - 1; i > errorAt; i--) if (top.is(block[i]!)) return false;
  return true;
}

/**
 * isTopFrame() of the line continues() read last: it is the next call's `prev`, which the call tests
 * again (inMessage, insideObject). Frame lines of bench/log-pipeline.ts's traces: three isTopFrame()
 * and a regular expression (NODE_VERSION_RE) on each before, one isTopFrame() now (nodejs trace lines
 * of its input: 484-490 ns each before, 409-421 after, before frameLine() read in place).
 */
class TopFrameMemo {
  #line: string | null = null;
  #value = false;

  is(line: string): boolean {
    if (line === this.#line) return this.#value;
    const v = isTopFrame(line);
    this.#line = line;
    this.#value = v;
    return v;
  }
}

export class NodejsTraceParser implements TraceParser {
  readonly language = 'nodejs' as const;
  /**
   * An error line (`Name: msg`, `[Name: msg]`, the Kubeless prefix), the uncaught report's `file:line`
   * header, or a line holding an error after a label (never a JSON or bracketed record).
   */
  readonly startShapes: readonly StartShape[] = [
    { first: `${UPPER}[` },
    { first: '/nf<', last: DIGITS },
    { first: anyCharExcept('{['), contains: 'Error' },
  ];

  startKind(line: string): StartKind {
    const c = line.charCodeAt(0);
    if (c === 70 /* F */ && line.startsWith(KUBELESS_PREFIX)) return errorLine(line.slice(KUBELESS_PREFIX.length)) ? 'start' : 'no';
    if ((isUpper(c) || c === 91) /* [ */ && errorLine(line)) return 'candidate';
    const last = line.charCodeAt(line.length - 1);
    if (last >= 48 && last <= 57 && (c === 47 /* / */ || c === 110 /* n */ || c === 102 /* f */ || c === 60) /* < */ && HEADER_RE.test(line)) {
      return 'candidate';
    }
    // JSON and bracketed records carry stacks inside strings, never as lines of their own.
    if (c === 123 /* { */ || c === 91 /* [ */) return 'no';
    return embeddedErrorAt(line) > 0 ? 'candidate' : 'no';
  }

  readonly #headers = new FirstLineMemo(isHeaderLine);
  readonly #top = new TopFrameMemo();

  continues(block: readonly string[], line: string): boolean {
    const top = this.#top;
    const n = block.length;
    const prev = block[n - 1] ?? '';
    const { kind, errorAt } = layout(block, this.#headers.of(block, block[0] ?? ''));
    if (kind !== 'error' && n <= errorAt) {
      if (n === 1) return line.trim() !== '';
      if (n === 2) return CARET_RE.test(line);
      if (n === 3) return line === '' || line.trim() !== '';
      return errorLine(line) !== null; // n === 4 in the header layout: the error line after the blank
    }
    if (isNodeVersion(prev)) return false;
    if (kind === 'value') return prev === '' ? isNodeVersion(line) : line === '' || !isNodeVersion(line);
    if (inMessage(block, kind, errorAt, top)) {
      // A multi-line message (assert's diff, for one) runs until the first frame.
      if (top.is(line)) return true;
      if (prev === '' && isNodeVersion(line)) return true;
      return n - errorAt <= MAX_MESSAGE_LINES && errorLine(line) === null;
    }
    if (prev === '') return isNodeVersion(line);
    if (n === errorAt + 1 && !prev.endsWith(' {')) return top.is(line);
    if (prev === '}') return line === '';
    const insideObject = prev.endsWith('{') || prev.endsWith('[') || (prev.startsWith(' ') && !top.is(prev));
    if (insideObject) return line.startsWith(' ') || line.startsWith('}') || line.startsWith(']');
    if (line.startsWith('Emitted \'error\' event')) return true;
    if (prev.startsWith('Emitted \'error\' event')) return top.is(line);
    return top.is(line) || line === '';
  }

  parse(block: readonly string[]): ParsedTrace | null {
    const { kind, errorAt } = layout(block, isHeaderLine(block[0] ?? ''));
    if (kind === 'value') return this.#parseValue(block);
    let head = block[errorAt] ?? '';
    head = head.slice(errorStart(head));
    const err = errorLine(head);
    if (!err) return null;
    let message = err.message;
    let i = errorAt + 1;
    if (messageAllowed(block, kind, errorAt)) {
      let j = i;
      while (j < block.length && j - i < MAX_MESSAGE_LINES && !isTopFrame(block[j]!) && !isNodeVersion(block[j]!)) j++;
      let end = j;
      while (end > i && block[end - 1]!.trim() === '') end--;
      if (end > i) message += '\n' + block.slice(i, end).join('\n');
      i = j;
    }
    const frames: Frame[] = [];
    for (; i < block.length; i++) {
      const f = frameLine(block[i]!);
      if (f) frames.push(f);
      else if (!MATCHING_RE.test(block[i]!)) break;
    }
    if (frames.length === 0 && kind === 'error' && !head.endsWith(' {')) return null;
    const causes: ExceptionCause[] = [];
    let inErrors = false;
    for (; i < block.length; i++) {
      const l = block[i]!;
      // Most of these lines are frames of causes: trimStart() made a string of each.
      const k = skipSpaces(l, 0);
      if (!(l.startsWith('[', k) || (inErrors && !l.startsWith('at ', k)))) continue;
      const t = k === 0 ? l : l.slice(k);
      if (t.startsWith('[cause]: ')) {
        const c = errorLine(t.slice(9));
        if (c) causes.push(c);
      } else if (t.startsWith('[errors]: [')) {
        inErrors = true;
      } else if (inErrors && t.startsWith(']')) {
        inErrors = false;
      } else if (inErrors && !t.startsWith('at ') && l.startsWith('    ')) {
        const c = errorLine(t.endsWith(',') ? t.slice(0, -1) : t);
        if (c) causes.push(c);
      }
    }
    return { language: 'nodejs', type: err.type, message, frames, causes };
  }

  /** A thrown value that is not an Error: the header names where it was thrown. */
  #parseValue(block: readonly string[]): ParsedTrace | null {
    const m = /^(.*):(\d+)$/.exec(block[0] ?? '');
    const value = block[3];
    if (!m || value === undefined || value === '') return null;
    const file = m[1] ?? '';
    return {
      language: 'nodejs',
      type: 'UncaughtException',
      message: value,
      frames: [{ file, line: Number(m[2]), function: '', inApp: nodejsInApp(file) }],
      causes: [],
    };
  }
}
