/** Line-level helpers of the .NET parser: frame lines, section markers and the exception chain. */
import type { ExceptionCause, Frame } from '../types.ts';

/** Lines of a multi-line message accepted before the first frame of its exception. */
export const DOTNET_MAX_MESSAGE_LINES = 20;

/** Two spaces (Mono) or three (.NET), "at ", a dotted method name, "("; not Java's "(File.java:12)". */
const FRAME = /^ {2,3}at (?:\(wrapper [\w-]+\) )?[^\s(]*\.[^\s(]* ?\(/;
const JAVA_TAIL = /\((?:[\w$]+\.java:\d+|Native Method|Unknown Source)\)$/;
const CORE_LOCATION = / in (.+):line (\d+)$/;
const MONO_LOCATION = / in (.+):(\d+)$/;
const IL_OFFSET = / (?:\[0x[0-9a-f]+\]|<0x[0-9a-f]+(?: \+ 0x[0-9a-f]+)?>|<IL 0x[0-9a-f]+, 0x[0-9a-f]+>)$/;
const LIBRARY = /^(?:System|Microsoft|Mono|Kubeless|Newtonsoft|Internal)\./;

export function isFrameLine(line: string): boolean {
  return FRAME.test(line) && !JAVA_TAIL.test(line);
}

export function isEndOfInner(line: string): boolean {
  return line.trim() === '--- End of inner exception stack trace ---';
}

/** `--- End of stack trace from previous location ---` (with "where exception was thrown" before .NET 5). */
export function isSeparator(line: string): boolean {
  return line.trimStart().startsWith('--- End of stack trace from previous location');
}

/** AggregateException's `---> (Inner Exception #1) …` listings that follow its own frames. */
export function isInnerListing(line: string): boolean {
  return /^ ?---> \(Inner Exception #\d+\) /.test(line);
}

export function parseFrameLine(line: string): Frame | null {
  let text = line.trim().slice(3).trimEnd();
  let file = '';
  let lineNo: number | null = null;
  const core = CORE_LOCATION.exec(text);
  const mono = core ? null : MONO_LOCATION.exec(text);
  if (core) {
    file = core[1]!;
    lineNo = Number(core[2]);
    text = text.slice(0, core.index);
  } else if (mono) {
    // Mono names the assembly's MVID (`<f4c5…>:0`) or `<filename unknown>` when it has no symbols.
    file = mono[1]!.startsWith('<') ? '' : mono[1]!;
    lineNo = file === '' || mono[2] === '0' ? null : Number(mono[2]);
    text = text.slice(0, mono.index);
  }
  text = text.replace(IL_OFFSET, '');
  const wrapper = /^\(wrapper [^)]*\) /.exec(text);
  if (wrapper) text = text.slice(wrapper[0].length);
  const paren = text.indexOf('(');
  const fn = (paren < 0 ? text : text.slice(0, paren)).trimEnd();
  if (fn === '') return null;
  return { file, line: lineNo, function: fn, inApp: !wrapper && !LIBRARY.test(fn) };
}

/** `A: m ---> B: m2 ---> C: m3` (one line, or one ` ---> ` line each) to [A, B, C]. */
export function splitChain(text: string): ExceptionCause[] {
  return text.split(/\n? ---> /).map((part) => {
    const colon = part.indexOf(': ');
    if (colon < 0) return { type: part.trim(), message: '' };
    return { type: part.slice(0, colon), message: part.slice(colon + 2) };
  });
}
