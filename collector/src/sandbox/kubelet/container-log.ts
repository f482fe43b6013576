import type { ContainerLog, LogEntry } from './types.ts';
import { formatRfc3339Nano, type LogTime } from './log-time.ts';

/** Bytes of log text kept per container instance (the kubelet's default containerLogMaxSize, 10Mi). */
export const MAX_CONTAINER_LOG_BYTES = 10 * 1024 * 1024;
/** Longer lines (in UTF-16 code units) are split, as the container runtime splits long lines into partial records. */
export const MAX_LOG_LINE_CHARS = 16 * 1024;

type Subscriber = { onEntry: (e: LogEntry) => void; onEnd: () => void };

/**
 * The log of one container instance: append-only, oldest entries dropped past a byte limit, with
 * strictly increasing timestamps.
 */
export class ContainerLogBuffer implements ContainerLog {
  readonly #time: LogTime;
  readonly #maxBytes: number;
  #entries: LogEntry[] = [];
  #bytes = 0;
  #lastNs = 0n;
  #ended = false;
  readonly #subscribers = new Set<Subscriber>();

  constructor(time: LogTime, maxBytes = MAX_CONTAINER_LOG_BYTES) {
    this.#time = time;
    this.#maxBytes = maxBytes;
  }

  get ended(): boolean {
    return this.#ended;
  }

  /** Total bytes of text currently kept. */
  get bytes(): number {
    return this.#bytes;
  }

  entries(): readonly LogEntry[] {
    return this.#entries.slice();
  }

  append(stream: LogEntry['stream'], text: string): void {
    if (this.#ended) return;
    let ns = this.#time.nowNs();
    if (ns <= this.#lastNs) ns = this.#lastNs + 1n;
    this.#lastNs = ns;
    const entry: LogEntry = { time: formatRfc3339Nano(ns), stream, text };
    this.#entries.push(entry);
    this.#bytes += Buffer.byteLength(text) + 1;
    this.#trim();
    for (const s of [...this.#subscribers]) s.onEntry(entry);
  }

  /** Marks the instance terminated: subscribers get onEnd once, later appends are ignored. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    const subs = [...this.#subscribers];
    this.#subscribers.clear();
    for (const s of subs) s.onEnd();
  }

  subscribe(onEntry: (e: LogEntry) => void, onEnd: () => void): () => void {
    const sub: Subscriber = { onEntry, onEnd };
    if (this.#ended) {
      let cancelled = false;
      queueMicrotask(() => {
        if (!cancelled) onEnd();
      });
      return () => void (cancelled = true);
    }
    this.#subscribers.add(sub);
    return () => void this.#subscribers.delete(sub);
  }

  #trim(): void {
    if (this.#bytes <= this.#maxBytes) return;
    let drop = 0;
    while (this.#bytes > this.#maxBytes && drop < this.#entries.length - 1) {
      this.#bytes -= Buffer.byteLength(this.#entries[drop]!.text) + 1;
      drop++;
    }
    this.#entries = this.#entries.slice(drop);
  }
}
