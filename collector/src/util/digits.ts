/**
 * Digits read in place, for the line readers on the log hot path (access lines, stack-trace frames),
 * where a slice and Number() per field was the cost of a line.
 */

/** `\d`. */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Number(text.slice(from, to)) for a run of ASCII digits, without the string: exact up to 15 digits
 * (every such integer, and each step to it, is exact in a double), Number() itself beyond.
 */
export function digitsValue(text: string, from: number, to: number): number {
  if (to - from > 15) return Number(text.slice(from, to));
  let v = 0;
  for (let i = from; i < to; i++) v = v * 10 + (text.charCodeAt(i) - 48);
  return v;
}
