/**
 * Character classes of JavaScript regular expressions, for the parsers that read lines by hand where a
 * regular expression with captures was the cost of a line. Each hand reader is tested against the
 * expression it replaces (test/stacktrace/languages/*-lines.test.ts).
 */

/** `\s`: WhiteSpace and LineTerminator (also what trim() removes). */
export function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f ||
    c === 0x3000 || c === 0xfeff
  );
}

export { digitsValue, isDigit } from '../../util/digits.ts';

/** The first index at or after `from` whose character is not `\s` (what trimStart() would cut to). */
export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}
