/** Line-level helpers of the .NET parser: frame lines, section markers and the exception chain. */
import type { ExceptionCause, Frame } from '../types.ts';

/** Lines of a multi-line message accepted before the first frame of its exception. */
export const DOTNET_MAX_MESSAGE_LINES = 20;

/**
 * Two spaces (Mono) or three (.NET), "at ", a dotted method name or a compiled expression's
 * `lambda_method12`, "("; not Java's "(File.java:12)".
 */
const FRAME = /^ {2,3}at (?:\(wrapper [\w-]+\) )?(?:[^\s(]*\.[^\s(]* ?|lambda_method\d*)\(/;
const JAVA_TAIL = /\((?:[\w$]+\.java:\d+|Native Method|Unknown Source)\)$/;
const CORE_LOCATION = / in (.+):line (\d+)$/;
const MONO_LOCATION = / in (.+):(\d+)$/;
const IL_OFFSET = / (?:\[0x[0-9a-f]+\]|<0x[0-9a-f]+(?: \+ 0x[0-9a-f]+)?>|<IL 0x[0-9a-f]+, 0x[0-9a-f]+>)$/;
/** The runtime, widespread libraries and frameworks, and methods compiled from expression trees. */
const LIBRARY =
  /^(?:(?:System|Microsoft|Mono|Kubeless|Newtonsoft|Internal|Interop|Orleans|Grpc|Npgsql|Dapper|Polly|Serilog|NLog|AutoMapper|MediatR|Swashbuckle|FluentValidation|StackExchange|Azure|Amazon|Google|MongoDB|MySqlConnector|RabbitMQ|MassTransit|Hangfire|Autofac|Castle|Confluent)\.|lambda_method\d*$)/;
/** The error code some exceptions' ToString() prints after the class name: `SocketException (10054):`. */
const ERROR_CODE = / \((?:0x[0-9A-Fa-f]+|-?\d+)\)$/;
/** The lines SqlException.ToString() adds after its stack trace. */
const SQL_TRAILER = /^(?:ClientConnectionId(?: before routing)?:[0-9a-fA-F-]{36}|Error Number:-?\d+,State:\d+,Class:\d+|Routing Destination:\S+)$/;

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

/** `ClientConnectionId:…` and `Error Number:…,State:…,Class:…` after a SqlException's frames. */
export function isSqlTrailer(line: string): boolean {
  return line.charCodeAt(0) !== 32 && SQL_TRAILER.test(line);
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
    if (colon < 0) return { type: part.trim().replace(ERROR_CODE, ''), message: '' };
    return { type: part.slice(0, colon).replace(ERROR_CODE, ''), message: part.slice(colon + 2) };
  });
}
