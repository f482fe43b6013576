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

/** `\d`. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The first index at or after `from` whose character is not `\s` (what trimStart() would cut to). */
export function skipSpaces(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Number(text.slice(from, to)) for a run of ASCII digits, without the string: exact up to 15 digits
 * (below 2^53), Number() itself beyond.
 */
export function digitsValue(text: string, from: number, to: number): number {
  if (to - from > 15) return Number(text.slice(from, to));
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return v;
}
