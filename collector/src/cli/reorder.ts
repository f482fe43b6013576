import type { TailRecord } from '../events/records.ts';

/**
 * Puts records from many pods in time order within a bounded window: each record is held at most
 * windowMs after it arrived; when it is released, every held record older than it goes out first.
 */
export class ReorderBuffer {
  readonly #windowMs: number;
  readonly #emit: (r: TailRecord) => void;
  #held: Array<{ r: TailRecord; arrived: number }> = [];

  constructor(windowMs: number, emit: (r: TailRecord) => void) {
    this.#windowMs = windowMs;
    this.#emit = emit;
  }

  push(r: TailRecord, now: number): void {
    this.#held.push({ r, arrived: now });
    if (this.#windowMs <= 0) this.flush();
  }

  /** Release what has waited its window (call periodically). */
  tick(now: number): void {
    let cutoff = -Infinity;
    for (const h of this.#held) if (h.arrived <= now - this.#windowMs) cutoff = Math.max(cutoff, h.r.time);
    if (cutoff === -Infinity) return;
    this.#release((h) => h.r.time <= cutoff);
  }

  flush(): void {
    this.#release(() => true);
  }

  get size(): number {
    return this.#held.length;
  }

  #release(pred: (h: { r: TailRecord; arrived: number }) => boolean): void {
    const out = this.#held.filter(pred);
    if (out.length === 0) return;
    this.#held = this.#held.filter((h) => !pred(h));
    out.sort((a, b) => a.r.time - b.r.time || a.r.seq - b.r.seq);
    for (const h of out) this.#emit(h.r);
  }
}
