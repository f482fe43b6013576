import type { Clock } from '../util/clock.ts';
import type { FunctionStats } from '../aggregate/index.ts';
import type { ErrorGroups } from '../errors/index.ts';
import type { ExceptionRecord, GapRecord, LineRecord, TailRecord } from '../events/records.ts';
import type { LogBuffer, TailHub } from '../live/index.ts';
import { CriDecoder, type LogLine, type Sequence, type Stage, type StreamIdentity } from '../logs/index.ts';
import type { RawLogSink } from '../logs/sources/index.ts';
import { MultilineAssembler, fingerprint, type TraceEvent, type TraceParser } from '../stacktrace/index.ts';
import type { CollectorMetrics } from './metrics.ts';

export interface LogPipelineOptions {
  clock: Clock;
  sequence: Sequence;
  /** Line stages in order: redaction first, then access-log parsing. */
  stages: Stage;
  parsers: readonly TraceParser[];
  hub: TailHub;
  buffer: LogBuffer;
  errors: ErrorGroups;
  stats: FunctionStats;
  metrics: CollectorMetrics;
  /** Multiline assembly bounds. */
  maxTraceLines?: number;
  maxTraceWaitMs?: number;
}

interface StreamState {
  decoder: CriDecoder;
  format: 'timestamped' | 'cri';
}

const idKey = (id: StreamIdentity): string => `${id.namespace}/${id.pod}/${id.container}`;

/**
 * The log half of the collector, from raw source lines to records: decode (CRI or timestamped) →
 * redact → access-log parse → multiline assembly and stack-trace parsing per stream → line, exception
 * and gap records, each added to the buffer, published to the live hub, and counted (responses,
 * exceptions, error groups).
 */
export class LogPipeline implements RawLogSink {
  readonly #o: LogPipelineOptions;
  readonly #streams = new Map<string, StreamState>();
  /** Lines held by the assembler until it decides, by seq. */
  readonly #pending = new Map<number, LogLine>();
  readonly #assembler: MultilineAssembler;

  constructor(o: LogPipelineOptions) {
    this.#o = o;
    this.#assembler = new MultilineAssembler({
      parsers: o.parsers,
      clock: o.clock,
      ...(o.maxTraceLines !== undefined ? { maxLines: o.maxTraceLines } : {}),
      ...(o.maxTraceWaitMs !== undefined ? { maxWaitMs: o.maxTraceWaitMs } : {}),
      sink: {
        line: (_stream, _text, first, last) => this.#emitLines(first, last),
        trace: (ev) => this.#emitTrace(ev),
      },
    });
  }

  lines(id: StreamIdentity, raws: readonly string[], format: 'timestamped' | 'cri'): void {
    const key = idKey(id);
    let s = this.#streams.get(key);
    if (!s || s.format !== format) {
      s = { format, decoder: new CriDecoder({ identity: id, format, sequence: this.#o.sequence, clock: this.#o.clock, emit: (l) => this.#decoded(l) }) };
      this.#streams.set(key, s);
    }
    for (const raw of raws) s.decoder.push(raw);
  }

  gap(id: StreamIdentity, reason: string): void {
    const now = this.#o.clock.now();
    const r: GapRecord = { kind: 'gap', seq: this.#o.sequence.next(), time: now, ts: new Date(now).toISOString(), ...id, stream: 'combined', reason };
    this.#publish(r);
  }

  end(id: StreamIdentity): void {
    const key = idKey(id);
    const s = this.#streams.get(key);
    s?.decoder.end();
    for (const stream of ['stdout', 'stderr', 'combined']) this.#assembler.close(`${key}/${stream}`);
    this.#o.stages.endStream?.(id.namespace, id.pod, id.container);
    this.#streams.delete(key);
  }

  /** Emit everything held back (shutdown). */
  flush(): void {
    this.#assembler.end();
  }

  #decoded(line: LogLine): void {
    const out = this.#o.stages.process(line);
    if (out === null) return;
    this.#o.metrics.logLines.inc({ namespace: out.namespace, function: out.function });
    if (out.access?.counted) this.#o.stats.observeResponse(out.namespace, out.function, out.pod, out.access.status, out.time);
    this.#pending.set(out.seq, out);
    this.#assembler.push(`${out.namespace}/${out.pod}/${out.container}/${out.stream}`, out.text, out.seq);
  }

  #take(first: number, last: number): LogLine[] {
    const out: LogLine[] = [];
    for (let seq = first; seq <= last; seq++) {
      const l = this.#pending.get(seq);
      if (l) {
        this.#pending.delete(seq);
        out.push(l);
      }
    }
    return out;
  }

  #emitLines(first: number, last: number): void {
    for (const l of this.#take(first, last)) {
      const r: LineRecord = { kind: 'line', seq: l.seq, time: l.time, ts: l.timeText, namespace: l.namespace, function: l.function, pod: l.pod, container: l.container, stream: l.stream, text: l.text };
      if (l.access) r.access = { method: l.access.method, path: l.access.path, status: l.access.status, ...(l.access.durationSeconds !== undefined ? { durationSeconds: l.access.durationSeconds } : {}) };
      this.#publish(r);
    }
  }

  #emitTrace(ev: TraceEvent): void {
    // The trace's lines are interleaved by seq with other streams' lines: take exactly this stream's.
    const all = this.#take(ev.first, ev.last);
    const mine = all.filter((l) => `${l.namespace}/${l.pod}/${l.container}/${l.stream}` === ev.stream);
    for (const l of all) if (!mine.includes(l)) this.#pending.set(l.seq, l);
    const head = mine[0];
    if (!head) return;
    const t = ev.trace;
    const r: ExceptionRecord = {
      kind: 'exception', seq: head.seq, time: head.time, ts: head.timeText,
      namespace: head.namespace, function: head.function, pod: head.pod, container: head.container, stream: head.stream,
      language: t.language, type: t.type, message: t.message, frames: t.frames, causes: t.causes,
      fingerprint: fingerprint(t), lines: ev.lines,
    };
    this.#o.errors.record(r);
    this.#o.stats.observeException(r.namespace, r.function, r.pod, r.time);
    this.#o.metrics.exceptions.inc({ namespace: r.namespace, function: r.function, type: r.type });
    this.#publish(r);
  }

  #publish(r: TailRecord): void {
    this.#o.buffer.add(r);
    this.#o.hub.publish(r);
  }
}
