/** Line-level helpers of the Ruby parser: frames, message decorations and the bounds of a message. */
import type { Frame } from '../types.ts';

/** Lines of a multi-line message (error_highlight and did_you_mean included) accepted before frames. */
export const RUBY_MAX_MESSAGE_LINES = 12;

/** `path:line:in 'label'`, `path:in 'label'` (a C frame with no line), backtick quote before Ruby 3.4. */
const FRAME = /^(.*?)(?::(\d+))?:in [`'](.*)'$/;
const LEVELS = /^\t ?\.\.\. \d+ levels\.\.\.$/;
const CARETS = /^\s*[\^~]+\s*$/;

/** Paths of the interpreter, the standard library, gems and vendored code. */
const LIBRARY_PATH = /^<internal:|\/(?:gems|rubygems|rubygems-integration|vendor\/bundle|bundler)\/|\/lib\/ruby\/(?:\d|site_ruby|vendor_ruby)|(?:^|\/)kubeless\.rb$/;

export function isInAppPath(file: string): boolean {
  return !LIBRARY_PATH.test(file);
}

export function parseFrame(text: string): Frame | null {
  const m = FRAME.exec(text);
  if (!m || m[1] === '') return null;
  const file = m[1]!;
  return { file, line: m[2] === undefined ? null : Number(m[2]), function: m[3]!, inApp: isInAppPath(file) };
}

/** `\tfrom path:line:in 'label'` */
export function isFromLine(line: string): boolean {
  return line.startsWith('\tfrom ') && parseFrame(line.slice(6)) !== null;
}

/** `\t ... 10067 levels...`, where Ruby elides the middle of a very deep backtrace. */
export function isLevelsLine(line: string): boolean {
  return line.charCodeAt(0) === 9 && LEVELS.test(line);
}

/** Lines that begin a record of some log layout: they end a message section instead of extending it. */
export function looksLikeLogRecord(line: string): boolean {
  return (
    /^[DIWEFA], \[/.test(line) ||
    /^\d{4}[-/]\d\d[-/]\d\d[ T]\d/.test(line) ||
    /^\[(?:\d|[A-Z][a-z]{2} )/.test(line) ||
    /^(?:\d{1,3}(?:\.\d{1,3}){3}|::1|-) - /.test(line) ||
    line.startsWith('#<Thread:')
  );
}

/**
 * The exception's own message from the printed message lines: without the error_highlight snippet
 * (a blank line, the code, a caret line) and without did_you_mean's "Did you mean?" suggestions, which
 * Ruby 3.1 appends to the message itself and Ruby 3.4 prints after it.
 */
export function rubyMessage(lines: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '' && i + 2 < lines.length && CARETS.test(lines[i + 2]!)) {
      i += 2;
      continue;
    }
    if (l.startsWith('Did you mean?')) {
      while (i + 1 < lines.length && /^\s+\S/.test(lines[i + 1]!)) i++;
      continue;
    }
    out.push(l);
  }
  while (out.length > 1 && out[out.length - 1] === '') out.pop();
  return out.join('\n');
}
