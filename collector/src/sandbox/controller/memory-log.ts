/** A container log kept by the controller for containers it emulates itself (CronJob trigger pods). */
import type { Clock } from '../../util/clock.ts';
import type { ContainerLog, LogEntry } from '../kubelet/types.ts';

export class MemoryLog implements ContainerLog {
  readonly #clock: Clock;
  readonly #entries: LogEntry[] = [];
  readonly #subs = new Set<{ onEntry: (e: LogEntry) => void; onEnd: () => void }>();
  #ended = false;
  #lastMs = 0;
  #seq = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  get ended(): boolean {
    return this.#ended;
  }

  entries(): readonly LogEntry[] {
    return this.#entries;
  }

  /** Timestamps strictly increase: lines written in the same millisecond get increasing nanoseconds. */
  #time(): string {
    const ms = this.#clock.now();
    this.#seq = ms === this.#lastMs ? this.#seq + 1 : 0;
    this.#lastMs = ms;
    return new Date(ms).toISOString().replace('Z', `${String(this.#seq).padStart(6, '0')}Z`);
  }

  write(stream: 'stdout' | 'stderr', text: string): void {
    if (this.#ended) return;
    for (const line of text.split('\n')) {
      const e: LogEntry = { time: this.#time(), stream, text: line };
      this.#entries.push(e);
      for (const s of [...this.#subs]) s.onEntry(e);
    }
  }

  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const s of [...this.#subs]) s.onEnd();
    this.#subs.clear();
  }

  subscribe(onEntry: (e: LogEntry) => void, onEnd: () => void): () => void {
    if (this.#ended) {
      onEnd();
      return () => {};
    }
    const s = { onEntry, onEnd };
    this.#subs.add(s);
    return () => this.#subs.delete(s);
  }
}
