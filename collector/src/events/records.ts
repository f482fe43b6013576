import type { ExceptionCause, Frame, Language } from '../stacktrace/types.ts';
import type { LogStream } from '../logs/types.ts';

/** Where a line or an exception came from (`combined`: the pod log API does not tell stdout from stderr). */
export interface StreamIdentity {
  namespace: string;
  function: string;
  pod: string;
  container: string;
  stream: LogStream;
}

interface RecordBase extends StreamIdentity {
  /** Collector-wide monotonic sequence number: orders records and lets clients resume. */
  seq: number;
  /** Milliseconds since the epoch (from the line's own timestamp where it has one). */
  time: number;
  /** The original RFC 3339 timestamp with its full precision, when the source gave one. */
  ts: string;
}

/** Response facts read from an access line. */
export interface AccessInfo {
  method: string;
  path: string;
  status: number;
  durationSeconds?: number;
}

/** One log line, after redaction. */
export interface LineRecord extends RecordBase {
  kind: 'line';
  text: string;
  access?: AccessInfo;
}

/** One parsed exception: a whole stack trace as one event. */
export interface ExceptionRecord extends RecordBase {
  kind: 'exception';
  language: Language;
  type: string;
  message: string;
  frames: Frame[];
  causes: ExceptionCause[];
  fingerprint: string;
  /** The raw lines of the trace, as printed. */
  lines: string[];
}

/** A marker that a stream had a gap (lost connection, dropped lines) or resumed. */
export interface GapRecord extends RecordBase {
  kind: 'gap';
  reason: string;
}

export type TailRecord = LineRecord | ExceptionRecord | GapRecord;

/**
 * A record as JSON. Not cached: the live hub serialises a record once per publish for all its
 * subscribers. A WeakMap cache from record to JSON kept a second copy of every record the log buffer
 * holds, and its 200,000 live entries made every scavenge slow: in bench/tail-fanout.ts (1,000
 * subscribers, 20,000 lines/s) scavenges took 550 ms of 8 s, the longest 140 ms, and the p99 latency was
 * 300-400 ms; without it, 160 ms, the longest 10 ms, and p99 under 50 ms.
 */
export function recordJson(r: TailRecord): string {
  return JSON.stringify(r);
}

/** An approximate retained size, for buffer memory bounds. */
export function recordBytes(r: TailRecord): number {
  const base = 160 + r.namespace.length + r.function.length + r.pod.length + r.container.length + r.ts.length;
  if (r.kind === 'line') return base + r.text.length * 2;
  if (r.kind === 'gap') return base + r.reason.length * 2;
  return base + r.lines.reduce((n, l) => n + l.length * 2 + 16, 0) + r.frames.length * 96 + r.message.length * 2;
}
