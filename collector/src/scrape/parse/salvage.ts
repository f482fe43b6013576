/**
 * Recovery of label values that contain raw newlines. A Node.js Kubeless runtime whose module fails
 * to load labels its failure counter with a JavaScript function instead of a string, and its
 * prom-client writes the function's source, newlines and all, inside the quotes:
 *
 *     function_failures_total{method="function funcLabel(req) {
 *         return modName + '-' + req.method;
 *     }"} 1
 *
 * When a quoted label value runs into the end of a line, the parser may join the following lines
 * into it, but only lines that cannot stand on their own: a line that is a comment/metadata line or
 * a complete sample by itself always ends the attempt, so a truncated line never swallows good ones.
 */

const SAMPLE_LINE =
  /^[ \t]*[a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[ \t]*(?:[a-zA-Z_][a-zA-Z0-9_]*[ \t]*=[ \t]*"(?:[^"\\\n]|\\.)*"[ \t]*,?[ \t]*)*\})?[ \t]+(?:[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN]))(?:[ \t]+[-+]?[\d.eE+-]+)?[ \t]*(?:#.*)?\r?$/;

/** True when text[start, end) can stand on its own: a `#` line, or a syntactically complete sample. */
export function standsAlone(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i < end && text.charCodeAt(i) === 35) return true;
  return SAMPLE_LINE.test(text.slice(start, end));
}

/**
 * In a joined (raw-newline) value, a double quote only closes the value when the label set can go on
 * after it: blanks, then `,` or `}`. A quote followed by anything else is taken as part of the value.
 */
export function closesJoinedValue(text: string, quoteAt: number, end: number): boolean {
  let i = quoteAt + 1;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  if (i >= end) return false;
  const c = text.charCodeAt(i);
  return c === 44 || c === 125;
}
