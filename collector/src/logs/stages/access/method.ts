/** HTTP methods in access lines, and the bounded set used as a metric label. */

const MAX_METHOD_LENGTH = 20;

/** Methods kept as they are in the `method` label; any other becomes `OTHER` (bounded label values). */
export const LABEL_METHODS: ReadonlySet<string> = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH',
]);

/**
 * Where a method token starting at `from` ends: the index of the first space after it when the text up to
 * there is a method (1-20 of A-Z, '-' or '_'), -1 otherwise. One pass, no search for the space first.
 */
export function methodEnd(text: string, from: number): number {
  const limit = from + MAX_METHOD_LENGTH;
  for (let i = from; i <= limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) return i > from ? i : -1;
    if (!((c >= 65 && c <= 90) || c === 45 || c === 95)) return -1;
  }
  return -1;
}

/** The `method` label for a method read from a log line. */
export function methodLabel(method: string): string {
  return LABEL_METHODS.has(method) ? method : 'OTHER';
}
