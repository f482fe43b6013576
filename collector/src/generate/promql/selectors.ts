import { ErrorCodes, FnscopeError } from '../../util/errors.ts';

const MATCHER_RE = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/**
 * Split a list of PromQL label matchers (`job="fnscope", env=~"prod|staging"`, no braces) into single
 * matchers, normalised as `name op "value"` without spaces. Throws FNS_CONFIG_INVALID on anything else.
 */
export function parseMatchers(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '\\' && inQuotes) {
      i++;
      continue;
    }
    if (c === '"') inQuotes = !inQuotes;
    if ((c === ',' && !inQuotes) || i === text.length) {
      const part = text.slice(start, i);
      start = i + 1;
      if (part.trim() === '') continue;
      const m = MATCHER_RE.exec(part);
      if (!m) {
        throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `invalid label matcher "${part.trim()}" (expected e.g. job="fnscope")`);
      }
      out.push(`${m[1]}${m[2]}"${m[3]}"`);
    }
  }
  if (inQuotes) throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `unterminated quote in label matchers: ${text}`);
  return out;
}

/** A PromQL string literal's body: backslashes and double quotes escaped. */
export function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function eq(label: string, value: string): string {
  return `${label}="${escapeValue(value)}"`;
}

/** `metric{m1, m2}`; empty matchers are skipped, and no braces are written when none remain. */
export function series(metric: string, matchers: readonly string[]): string {
  const ms = matchers.filter((m) => m !== '');
  return ms.length === 0 ? metric : `${metric}{${ms.join(', ')}}`;
}

/** The shortest decimal form of a bucket bound, as fnscope's recording rules normalise `le` labels. */
export function canonicalLe(seconds: number): string {
  return String(Number(seconds.toPrecision(12)));
}
