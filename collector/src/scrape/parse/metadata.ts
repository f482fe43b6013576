import { unescapeValue } from './escape.ts';

/** A `#` line, classified. */
export type CommentLine =
  | { kind: 'help' | 'unit'; name: string; text: string }
  | { kind: 'type'; name: string; text: string }
  | { kind: 'eof' }
  | { kind: 'comment' }
  | { kind: 'error'; reason: string };

const NAME_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Classify the comment line text[start, end) (start is at the `#`). HELP/TYPE/UNIT need a valid
 * metric name; in Prometheus text any other comment is ignored, in OpenMetrics `# EOF` ends the body.
 */
export function parseCommentLine(text: string, start: number, end: number, openMetrics: boolean): CommentLine {
  // "# " then keyword
  if (end - start < 2 || (text.charCodeAt(start + 1) !== 32 && text.charCodeAt(start + 1) !== 9)) {
    return { kind: 'comment' };
  }
  let i = start + 2;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  let kwEnd = i;
  while (kwEnd < end && text.charCodeAt(kwEnd) !== 32 && text.charCodeAt(kwEnd) !== 9) kwEnd++;
  const kw = text.slice(i, kwEnd);
  if (openMetrics && kw === 'EOF' && kwEnd === end) return { kind: 'eof' };
  const kind = kw === 'HELP' ? 'help' : kw === 'TYPE' ? 'type' : kw === 'UNIT' ? 'unit' : undefined;
  if (kind === undefined || (kind === 'unit' && !openMetrics)) return { kind: 'comment' };
  i = kwEnd;
  while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  let nameEnd = i;
  while (nameEnd < end && text.charCodeAt(nameEnd) !== 32 && text.charCodeAt(nameEnd) !== 9) nameEnd++;
  const name = text.slice(i, nameEnd);
  if (!NAME_RE.test(name)) return { kind: 'error', reason: `invalid metric name in ${kw} line` };
  // The rest after exactly one blank is the text (HELP text may start with blanks of its own).
  const rest = nameEnd < end ? nameEnd + 1 : end;
  if (kind === 'help') return { kind, name, text: unescapeValue(text, rest, end, openMetrics) };
  return { kind, name, text: text.slice(rest, end).trim() };
}
