/** HTTP methods in access lines, and the bounded set used as a metric label. */

const MAX_METHOD_LENGTH = 20;

/** Methods kept as they are in the `method` label; any other becomes `OTHER` (bounded label values). */
export const LABEL_METHODS: ReadonlySet<string> = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH',
]);

/** Is text[from, to) a method token: 1-20 of A-Z, '-' or '_'? */
export function isMethod(text: string, from: number, to: number): boolean {
  if (to <= from || to - from > MAX_METHOD_LENGTH) return false;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || c === 45 || c === 95)) return false;
  }
  return true;
}

/** The `method` label for a method read from a log line. */
export function methodLabel(method: string): string {
  return LABEL_METHODS.has(method) ? method : 'OTHER';
}
