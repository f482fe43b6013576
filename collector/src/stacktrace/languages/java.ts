import type { ExceptionCause, Frame, ParsedTrace, StartKind, StartShape, TraceParser } from '../types.ts';
import { LOWER } from '../start-filter.ts';
import { skipSpaces } from './chars.ts';

/**
 * JVM stack traces as Throwable.printStackTrace() and the common loggers write them:
 * `Exception in thread "main" x.y.Z: msg` or a bare `x.y.Z: msg` line, `\tat` frames, `Caused by:`,
 * tab-indented `Suppressed:` blocks, `... N more` / `... N common frames omitted`, and the packaging
 * suffixes logback and log4j2 append (` ~[app.jar:1.0]`). The logger's own header line is attached by the
 * assembler.
 */
const THREAD_PREFIX = 'Exception in thread "';
const NAME_RE = /^([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?::\s?(.*))?$/;
const FRAME_RE = /^\s+at ([^\s(]+)\((.*?)\)(?: ~?\[[^\]]*\])?$/;
const ELIDED_RE = /^\s+\.\.\. \d+ (?:more|common frames omitted)$/;
const LIBRARY_PREFIXES = [
  'java.', 'javax.', 'jdk.', 'sun.', 'com.sun.', 'kotlin.', 'kotlinx.', 'scala.', 'groovy.', 'org.springframework.',
  'org.apache.', 'io.netty.', 'org.junit.', 'junit.', 'org.slf4j.', 'ch.qos.logback.', 'reactor.', 'io.reactivex.',
  'org.hibernate.', 'com.fasterxml.', 'okhttp3.', 'com.google.', 'io.grpc.', 'org.eclipse.', 'io.micronaut.',
  'io.quarkus.', 'io.vertx.', 'akka.', 'org.glassfish.', 'com.zaxxer.', 'feign.', 'net.bytebuddy.',
];

/**
 * LIBRARY_PREFIXES as one anchored regular expression: javaInApp() ran startsWith for each of the 32
 * on every in-app frame. The functions of the frame lines of the java corpus: 196-200 ns each before,
 * 14 now (one core, best of 80 runs). With parse() not trimming every line: the lines of the java traces
 * in bench/log-pipeline.ts's input, 562-577 ns each before, 513-518 now.
 */
const LIBRARY_RE = new RegExp(`^(?:${LIBRARY_PREFIXES.map((p) => p.replaceAll('.', '\\.')).join('|')})`);

/** Frames of the JDK and of widespread frameworks and libraries. */
export function javaInApp(fn: string): boolean {
  return !LIBRARY_RE.test(fn);
}

/**
 * `pkg.Name: message` where the class name's last part starts upper-case. A class of the default package
 * (no dots) is accepted only after `Exception in thread "…"`: bare `TypeError: x` lines belong to other
 * languages.
 */
function exceptionLine(line: string, unqualified = false): { type: string; message: string } | null {
  const m = NAME_RE.exec(line);
  if (!m) return null;
  const type = m[1] ?? '';
  const dot = type.lastIndexOf('.');
  const simple = type.slice(dot + 1);
  const c = simple.charCodeAt(0);
  if (!(c >= 65 && c <= 90)) return null;
  if (dot < 0 && !(unqualified && /(?:Exception|Error|Throwable)$/.test(simple))) return null;
  return { type, message: m[2] ?? '' };
}

/**
 * A cheap scan before the regular expression: a dotted name of identifier characters up to a ':' (or
 * the end), whose last part starts upper-case.
 */
function looksLikeExceptionLine(line: string): boolean {
  let dots = 0;
  let partStart = 0;
  let i = 0;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 46 /* . */) {
      dots++;
      partStart = i + 1;
    } else if (c === 58 /* : */) {
      break;
    } else if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36)) {
      return false;
    }
  }
  const first = line.charCodeAt(partStart);
  if (i === 0 || !(first >= 65 && first <= 90)) return false;
  if (i < line.length && i + 1 < line.length && line.charCodeAt(i + 1) !== 32) return false;
  return dots > 0;
}

function headOf(line: string): { type: string; message: string } | null {
  if (line.startsWith(THREAD_PREFIX)) {
    const end = line.indexOf('" ', THREAD_PREFIX.length);
    return end < 0 ? null : exceptionLine(line.slice(end + 2), true);
  }
  return exceptionLine(line);
}

function parseFrame(line: string): Frame | null {
  const m = FRAME_RE.exec(line);
  if (!m) return null;
  let fn = m[1] ?? '';
  const slash = fn.lastIndexOf('/');
  if (slash >= 0) fn = fn.slice(slash + 1);
  const where = m[2] ?? '';
  const colon = where.lastIndexOf(':');
  const n = colon >= 0 ? Number(where.slice(colon + 1)) : NaN;
  const file = Number.isInteger(n) ? where.slice(0, colon) : where;
  return { file, line: Number.isInteger(n) ? n : null, function: fn, inApp: javaInApp(fn) };
}

function isFrameLine(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c !== 9 && c !== 32) return false;
  return FRAME_RE.test(line);
}

/** Message lines between an exception line and its first frame that a block may hold. */
export const MAX_MESSAGE_LINES = 20;

/** No frame yet: the lines after the first are a multi-line message. */
function inMessage(block: readonly string[]): boolean {
  if (block.length > MAX_MESSAGE_LINES + 1) return false;
  for (let i = block.length - 1; i > 0; i--) if (isFrameLine(block[i]!)) return false;
  return true;
}

export class JavaTraceParser implements TraceParser {
  readonly language = 'java' as const;
  /** `Exception in thread "…" …`, or a package-qualified name (lower-case first) then ':' or the end. */
  readonly startShapes: readonly StartShape[] = [
    { first: 'E', contains: THREAD_PREFIX, at: 0 },
    { first: LOWER },
  ];

  startKind(line: string): StartKind {
    const c = line.charCodeAt(0);
    if (c === 69 /* E */ && line.startsWith(THREAD_PREFIX)) return headOf(line) ? 'start' : 'no';
    // A qualified class name starts with its package: lower-case by convention (java., com., org., io.…).
    if (c < 97 || c > 122) return 'no';
    return looksLikeExceptionLine(line) && exceptionLine(line) ? 'candidate' : 'no';
  }

  continues(block: readonly string[], line: string): boolean {
    if (isFrameLine(line)) return true;
    if (inMessage(block)) {
      // More of a multi-line message, until the first frame; never another exception's first line.
      if (block.length > MAX_MESSAGE_LINES || line.trim() === '' || line.startsWith('Caused by: ') || line.startsWith(THREAD_PREFIX)) {
        return false;
      }
      if (/^\s+at /.test(line)) return false; // a frame, but not a JVM one
      return !(looksLikeExceptionLine(line) && exceptionLine(line) !== null);
    }
    if (block.length === 1) return false;
    if (line.startsWith('Caused by: ')) return exceptionLine(line.slice(11)) !== null;
    const t = line.trimStart();
    if (t.length === line.length) return false;
    if (t.startsWith('Suppressed: ')) return exceptionLine(t.slice(12)) !== null;
    if (t.startsWith('Caused by: ')) return exceptionLine(t.slice(11)) !== null;
    return ELIDED_RE.test(line) || t.startsWith('[CIRCULAR REFERENCE');
  }

  parse(block: readonly string[]): ParsedTrace | null {
    const head = headOf(block[0] ?? '');
    if (!head) return null;
    const frames: Frame[] = [];
    const causes: ExceptionCause[] = [];
    let own = true;
    let message = head.message;
    let i = 1;
    while (i < block.length && i <= MAX_MESSAGE_LINES && !isFrameLine(block[i]!)) i++;
    if (i < block.length && isFrameLine(block[i]!) && i > 1) message = [message, ...block.slice(1, i)].join('\n');
    else i = 1;
    for (; i < block.length; i++) {
      const line = block[i]!;
      // trimStart() made a string of every frame line
      const k = skipSpaces(line, 0);
      if (line.startsWith('Caused by: ', k) || line.startsWith('Suppressed: ', k)) {
        own = false;
        const c = exceptionLine(line.slice(line.indexOf(': ', k) + 2));
        if (c) causes.push(c);
        continue;
      }
      if (own) {
        const f = parseFrame(line);
        if (f) frames.push(f);
      }
    }
    if (frames.length === 0 && causes.length === 0) return null;
    return { language: 'java', type: head.type, message, frames, causes };
  }
}
