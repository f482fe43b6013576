/** Line-level helpers of the Ruby parser: frames, message decorations and the bounds of a message. */
import type { Frame } from '../types.ts';
import { digitsValue, isDigit } from './chars.ts';

/** Lines of a multi-line message (error_highlight and did_you_mean included) accepted before frames. */
export const RUBY_MAX_MESSAGE_LINES = 12;

/**
 * `path:line:in 'label'`, `path:in 'label'` (a C frame with no line), backtick quote before Ruby 3.4:
 * the reference for frameAt(), which finds the same match without a regular expression.
 */
export const FRAME = /^(.*?)(?::(\d+))?:in [`'](.*)'$/;
const LEVELS = /^\t ?\.\.\. \d+ levels\.\.\.$/;
const CARETS = /^\s*[\^~]+\s*$/;
/** What `.` in FRAME does not match: a text holding one of these is no frame. */
const TERMINATOR = /[\n\r\u2028\u2029]/g;

/** Paths of the interpreter, the standard library, gems and vendored code. */
const LIBRARY_PATH = /^<internal:|\/(?:gems|rubygems|rubygems-integration|vendor\/bundle|bundler)\/|\/lib\/ruby\/(?:\d|site_ruby|vendor_ruby)|(?:^|\/)kubeless\.rb$/;

export function isInAppPath(file: string): boolean {
  return !LIBRARY_PATH.test(file);
}

/** Where the opening quote sits when FRAME's tail `(?::(\d+))?:in [`'](.*)'$` matches from the ':' at i, or -1. */
function quoteAfter(text: string, i: number): number {
  let k = i + 1;
  if (isDigit(text.charCodeAt(k))) {
    do k++;
    while (isDigit(text.charCodeAt(k)));
    if (text.charCodeAt(k) !== 58 /* : */) return -1;
    k++;
  }
  if (text.charCodeAt(k) !== 105 /* i */ || text.charCodeAt(k + 1) !== 110 /* n */ || text.charCodeAt(k + 2) !== 32) return -1;
  const q = text.charCodeAt(k + 3);
  if (q !== 96 /* ` */ && q !== 39 /* ' */) return -1;
  // the label and its closing quote (the text's last character, checked by frameAt) follow
  return k + 3 < text.length - 1 ? k + 3 : -1;
}

/**
 * FRAME on text from `from` on, by hand: the end of its first group (the leftmost ':' where the tail
 * matches, the text ending in a quote), or -1 where FRAME does not match or its first group is empty
 * (parseFrame's null). continues() asks it of every frame line: on the frame lines of the ruby corpus
 * (testdata/stacktraces/ruby), FRAME.exec on a slice of the line took 156-171 ns, this 56-58; the
 * frame itself (parseFrameAt) 157-170 ns before, 139-155 now (one core, best of 80 runs;
 * table-driven against FRAME in ruby-lines.test.ts).
 */
export function frameAt(text: string, from: number): number {
  if (text.charCodeAt(text.length - 1) !== 39 /* ' */) return -1;
  for (let i = text.indexOf(':', from); i >= 0; i = text.indexOf(':', i + 1)) {
    if (quoteAfter(text, i) < 0) continue;
    if (i === from) return -1;
    TERMINATOR.lastIndex = from;
    return TERMINATOR.test(text) ? -1 : i;
  }
  return -1;
}

/** FRAME's groups read from text[from..], as a frame; null where parseFrame() gives null. */
export function parseFrameAt(text: string, from: number): Frame | null {
  const i = frameAt(text, from);
  if (i < 0) return null;
  const q = quoteAfter(text, i);
  const file = text.slice(from, i);
  // q is 4 past i (no line number) or past ':' digits ':in '
  const line = q === i + 4 ? null : digitsValue(text, i + 1, q - 4);
  return { file, line, function: text.slice(q + 1, text.length - 1), inApp: isInAppPath(file) };
}

export function parseFrame(text: string): Frame | null {
  return parseFrameAt(text, 0);
}

/** `\tfrom path:line:in 'label'` */
export function isFromLine(line: string): boolean {
  return line.startsWith('\tfrom ') && frameAt(line, 6) >= 0;
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
