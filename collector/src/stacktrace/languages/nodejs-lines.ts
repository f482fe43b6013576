/** Line-level helpers of the Node.js parser: frame lines, their locations and the report's last line. */
import type { Frame } from '../types.ts';
import { digitsValue, isDigit } from './chars.ts';

/** A frame's location `file:line:column`: the reference for locationAt(), which reads it by hand. */
export const LOCATION_RE = /^(.*):(\d+):(\d+)$/;
export const MATCHING_RE = /^ {4}(?:\.\.\. \d+ lines matching (?:cause|original) stack trace \.\.\.|\[\.\.\. lines matching original stack trace \.\.\.\])$/;
const INDEX_RE = /^index \d+$/;
/** What `.` does not match: LOCATION_RE's file holds none of these. */
const TERMINATOR = /[\n\r\u2028\u2029]/g;

/** `/^Node\.js v\d+/`, the line that ends an uncaught-exception report. */
export function isNodeVersion(line: string): boolean {
  return isDigit(line.charCodeAt(9)) && line.startsWith('Node.js v');
}

/** Frames of Node.js itself, of node_modules dependencies and of the Kubeless runtime. */
export function nodejsInApp(file: string): boolean {
  if (file.startsWith('node:') || file.startsWith('internal/') || file === '<anonymous>' || file === 'native') return false;
  return !(file.includes('/node_modules/') || file.includes('/kubeless_rt/'));
}

/**
 * LOCATION_RE on text[from, to), read backwards: the index of the ':' that ends the file (two runs of
 * digits, each after a ':', end the text), or -1 where LOCATION_RE does not match.
 */
export function locationAt(text: string, from: number, to: number): number {
  let k = to;
  while (k > from && isDigit(text.charCodeAt(k - 1))) k--;
  if (k === to || k - 1 < from || text.charCodeAt(k - 1) !== 58 /* : */) return -1;
  const colon = k - 1;
  k = colon;
  while (k > from && isDigit(text.charCodeAt(k - 1))) k--;
  if (k === colon || k - 1 < from || text.charCodeAt(k - 1) !== 58) return -1;
  TERMINATOR.lastIndex = from;
  return TERMINATOR.test(text) && TERMINATOR.lastIndex <= k - 1 ? -1 : k - 1;
}

/**
 * The frame of a line `<indent spaces>at …`, or null if it is not one: `at fn (location)`,
 * `at async fn (location)`, `at location`, `at fn (<anonymous>)`, `at fn (index N)`, eval locations.
 * Read in place: slicing the text after `at `, then its body, its location, LOCATION_RE's three
 * captures and Number() of two of them made seven strings per frame line. The frame lines of the
 * nodejs corpus (testdata/stacktraces/nodejs): 297-305 ns each before, 200-210 now (one core, best of
 * 60 runs; table-driven against the old reader in nodejs-lines.test.ts).
 */
export function frameLine(line: string, indent = 4): Frame | null {
  if (line.charCodeAt(indent) !== 97 /* a */ || !line.startsWith('at ', indent)) return null;
  for (let i = 0; i < indent; i++) if (line.charCodeAt(i) !== 32) return null;
  const from = indent + 3;
  const n = line.length;
  // the body: without a trailing ' {' (an error with properties) or ',' (inside [errors])
  let end = n;
  if (n - from >= 2 && line.charCodeAt(n - 1) === 123 /* { */ && line.charCodeAt(n - 2) === 32) end = n - 2;
  else if (n > from && line.charCodeAt(n - 1) === 44 /* , */) end = n - 1;
  let b = from;
  if (end - b >= 6 && line.startsWith('async ', b)) b += 6;
  let fn = '';
  let ls = b;
  let le = end;
  if (end > b && line.charCodeAt(end - 1) === 41 /* ) */) {
    const open = line.indexOf(' (', b);
    if (open > b && open + 2 <= end) {
      fn = line.slice(b, open);
      ls = open + 2;
      le = end - 1;
    } else if (line.charCodeAt(b) === 40 /* ( */) {
      ls = b + 1;
      le = end - 1;
    } else {
      return null;
    }
  }
  if (le - ls >= 8 && line.startsWith('eval at ', ls)) {
    const comma = line.lastIndexOf(', ', le - 2);
    if (comma > ls) ls = comma + 2;
  }
  const colon = locationAt(line, ls, le);
  if (colon >= 0) {
    const file = line.slice(ls, colon);
    if (file.includes(' ') && !file.includes('/')) return null;
    const col = line.lastIndexOf(':', le - 1);
    return { file, line: digitsValue(line, colon + 1, col), column: digitsValue(line, col + 1, le), function: fn, inApp: nodejsInApp(file) };
  }
  if (fn === '') return null;
  const loc = line.slice(ls, le);
  if (loc === '<anonymous>' || loc === 'native' || INDEX_RE.test(loc)) return { file: loc, line: null, function: fn, inApp: false };
  return null;
}

/**
 * The shape of a frame line at indentation 4, checked without parsing it: `at fn (location)`,
 * `at location:line:col`, or one of the "lines matching" notes. parse() reads frames in full.
 */
export function isTopFrame(line: string): boolean {
  if (line.charCodeAt(0) !== 32 || line.charCodeAt(4) === 32 || !line.startsWith('    ')) return false;
  if (line.charCodeAt(4) !== 97 /* a */ || line.charCodeAt(5) !== 116 /* t */ || line.charCodeAt(6) !== 32) {
    return MATCHING_RE.test(line);
  }
  let end = line.length;
  if (line.endsWith(' {')) end -= 2;
  else if (line.charCodeAt(end - 1) === 44 /* , */) end--;
  const c = line.charCodeAt(end - 1);
  if (c === 41 /* ) */) return line.lastIndexOf(' (', end) > 6 || line.charCodeAt(7) === 40;
  if (!isDigit(c)) return false;
  // at location:line:col
  let from = 7;
  if (line.startsWith('async ', 7)) from = 13;
  const sp = line.indexOf(' ', from);
  if (sp >= 0 && sp < end) return false;
  return locationAt(line, from, end) >= 0;
}
