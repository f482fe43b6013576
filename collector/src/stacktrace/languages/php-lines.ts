/** Line-level helpers of the PHP parser: html_errors tags, "#N" call lines and their frames. */
import type { Frame } from '../types.ts';

/** Lines of a multi-line exception message accepted before "Stack trace:". */
export const PHP_MAX_MESSAGE_LINES = 20;

const INTERNAL = '[internal function]';
const CALL = /^#\d+ (.*)$/;
const AT_LINE = /^(.*)\((\d+)\): (.*)$/;
const LIBRARY_PATH = /\/vendor\/|^\/usr\/share\/php\/|^phar:\/\//;

/** One "#N" line of a PHP trace: where a function was called from, and the call. */
export interface CallLine {
  file: string | null;
  line: number | null;
  function: string;
}

/** Removes the tags html_errors adds (`<b>`, `</b>`, `<br />`). */
export function stripHtml(line: string): string {
  if (!line.includes('<')) return line;
  return line.replace(/<\/?b>|<br \/>/g, '');
}

const ENTITIES: Record<string, string> = { '&quot;': '"', '&#039;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/** Undoes the escaping html_errors applies to messages and arguments. */
export function decodeEntities(line: string): string {
  if (!line.includes('&')) return line;
  return line.replace(/&(?:quot|#039|lt|gt|amp);/g, (e) => ENTITIES[e] ?? e);
}

function functionOf(call: string): string {
  const paren = call.indexOf('(');
  return paren < 0 ? call : call.slice(0, paren);
}

/** `#0 /path/f.php(12): Foo->bar('x')`, `#1 [internal function]: {closure}(1)`, `#2 {main}` */
export function parseCallLine(line: string): CallLine | null {
  const m = CALL.exec(line);
  if (!m) return null;
  const rest = m[1]!;
  if (rest === '{main}') return { file: null, line: null, function: '{main}' };
  if (rest.startsWith(INTERNAL + ': ')) {
    return { file: INTERNAL, line: null, function: functionOf(rest.slice(INTERNAL.length + 2)) };
  }
  const at = AT_LINE.exec(rest);
  if (!at) return null;
  return { file: at[1]!, line: Number(at[2]), function: functionOf(at[3]!) };
}

export function isInAppFile(file: string): boolean {
  return file !== INTERNAL && !LIBRARY_PATH.test(file);
}

/**
 * Frames, innermost first, from the throw location and the call lines. PHP's line "#k FILE(N): f()"
 * says f was called from FILE:N, a place inside the function of line #k+1; so frame 0 is the throw
 * location in the function of #0, and frame k sits at #k-1's place in the function of #k.
 */
export function phpFrames(location: { file: string; line: number }, calls: readonly CallLine[]): Frame[] {
  if (calls.length === 0) {
    return [{ file: location.file, line: location.line, function: '{main}', inApp: isInAppFile(location.file) }];
  }
  return calls.map((call, k) => {
    const at = k === 0 ? location : calls[k - 1]!;
    const file = at.file ?? '';
    return { file, line: at.line, function: call.function, inApp: isInAppFile(file) };
  });
}
