/** Line-level helpers of the PHP parser: html_errors tags, "#N" call lines and their frames. */
import type { Frame } from '../types.ts';
import { digitsValue, isDigit } from './chars.ts';

/** Lines of a multi-line exception message accepted before "Stack trace:". */
export const PHP_MAX_MESSAGE_LINES = 20;

const INTERNAL = '[internal function]';
/** A "#N" line, and where the call was made: the reference for parseCallLine(), which reads them by hand. */
export const CALL = /^#\d+ (.*)$/;
export const AT_LINE = /^(.*)\((\d+)\): (.*)$/;
const LIBRARY_PATH = /\/vendor\/|^\/usr\/share\/php\/|^phar:\/\//;
/** What `.` does not match: a call line holding one is no call line (CALL's `.*` spans the rest). */
const TERMINATOR = /[\n\r\u2028\u2029]/;

/** Where the text after `#N ` starts: `/^#\d+ /`, or -1. */
export function callStart(line: string): number {
  if (line.charCodeAt(0) !== 35 /* # */ || !isDigit(line.charCodeAt(1))) return -1;
  let k = 2;
  while (isDigit(line.charCodeAt(k))) k++;
  return line.charCodeAt(k) === 32 ? k + 1 : -1;
}

/** One "#N" line of a PHP trace: where a function was called from, and the call. */
export interface CallLine {
  file: string | null;
  line: number | null;
  function: string;
}

/** Removes the tags html_errors adds (`<b>`, `</b>`, `<br />`). */
export function stripHtml(line: string): string {
  if (!line.includes('<')) return line;
  return line.replace(/<\/?b>|<br \/>/g, '');
}

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#039;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** Undoes the escaping html_errors applies to messages and arguments. */
export function decodeEntities(line: string): string {
  if (!line.includes('&')) return line;
  return line.replace(/&(?:quot|#039|lt|gt|amp);/g, (e) => ENTITIES[e] ?? e);
}

function functionOf(call: string): string {
  const paren = call.indexOf('(');
  return paren < 0 ? call : call.slice(0, paren);
}

/**
 * `#0 /path/f.php(12): Foo->bar('x')`, `#1 [internal function]: {closure}(1)`, `#2 {main}`: CALL and
 * AT_LINE read by hand (the last `(digits): ` is where the call was made, as AT_LINE's greedy first
 * group finds it). The call lines of the php corpus (testdata/stacktraces/php): 172-184 ns each with
 * the two regular expressions, their captures and Number(), 83-88 now (one core, best of 80 runs;
 * table-driven against them in php-lines.test.ts).
 */
export function parseCallLine(line: string): CallLine | null {
  const from = callStart(line);
  if (from < 0 || TERMINATOR.test(line)) return null;
  const n = line.length;
  if (n - from === 6 && line.endsWith('{main}')) return { file: null, line: null, function: '{main}' };
  if (line.startsWith(INTERNAL + ': ', from)) {
    return { file: INTERNAL, line: null, function: functionOf(line.slice(from + INTERNAL.length + 2)) };
  }
  for (let j = line.lastIndexOf('): '); j > from; j = line.lastIndexOf('): ', j - 1)) {
    let d = j;
    while (d > from && isDigit(line.charCodeAt(d - 1))) d--;
    if (d < j && d > from && line.charCodeAt(d - 1) === 40 /* ( */) {
      return { file: line.slice(from, d - 1), line: digitsValue(line, d, j), function: functionOf(line.slice(j + 3)) };
    }
  }
  return null;
}

export function isInAppFile(file: string): boolean {
  return file !== INTERNAL && !LIBRARY_PATH.test(file);
}

/**
 * Frames, innermost first, from the throw location and the call lines. PHP's line "#k FILE(N): f()"
 * says f was called from FILE:N, a place inside the function of line #k+1; so frame 0 is the throw
 * location in the function of #0, and frame k sits at #k-1's place in the function of #k.
 */
export function phpFrames(location: { file: string; line: number }, calls: readonly CallLine[]): Frame[] {
  if (calls.length === 0) {
    return [{ file: location.file, line: location.line, function: '{main}', inApp: isInAppFile(location.file) }];
  }
  return calls.map((call, k) => {
    const at = k === 0 ? location : calls[k - 1]!;
    const file = at.file ?? '';
    return { file, line: at.line, function: call.function, inApp: isInAppFile(file) };
  });
}
