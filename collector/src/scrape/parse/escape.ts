/**
 * Unescaping of label values and HELP text. Label values know `\\`, `\"` and `\n`; any other
 * backslash sequence is kept as written (as Prometheus does). HELP text in 0.0.4 knows `\\` and `\n`,
 * OpenMetrics adds `\"`.
 */
const BACKSLASH = 92;

export function unescapeValue(text: string, start: number, end: number, quoteEscapes = true): string {
  let out = '';
  let from = start;
  let i = text.indexOf('\\', start);
  while (i !== -1 && i < end - 1) {
    const next = text.charCodeAt(i + 1);
    let rep: string | undefined;
    if (next === BACKSLASH) rep = '\\';
    else if (next === 110) rep = '\n';
    else if (next === 34 && quoteEscapes) rep = '"';
    if (rep !== undefined) {
      out += text.slice(from, i) + rep;
      from = i + 2;
      i = text.indexOf('\\', from);
    } else {
      i = text.indexOf('\\', i + 1);
    }
  }
  return out + text.slice(from, end);
}

/** Escape a label value for the text formats (the inverse of unescapeValue). */
export function escapeLabelValue(v: string): string {
  let needs = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === BACKSLASH || c === 34 || c === 10) {
      needs = true;
      break;
    }
  }
  if (!needs) return v;
  return v.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
