import type { TailRecord } from '../events/records.ts';

/** What the buffer knows of one source (a pod's container): the newest record time it sent, and when. */
interface Source {
  watermark: number;
  lastArrival: number;
}

/**
 * Puts records from many pods in time order within a bounded window. A record goes out once it is
 * certain no earlier one can still come from a source that is sending: when every source heard from
 * within the window has sent a record at or after its time (with one pod, at once). Otherwise it is
 * held at most windowMs after it arrived. When a record goes out, every held record older than it goes
 * out first. A quiet source holds back records of the others for the window at most; a record that
 * arrives after newer ones went out is printed late, not dropped. For the first window after the first
 * record, only the window counts: the backlogs of several pods (history before following) come one
 * pod after another, and a pod not heard from yet may still hold older lines.
 */
export class ReorderBuffer {
  readonly #windowMs: number;
  readonly #emit: (r: TailRecord) => void;
  #held: Array<{ r: TailRecord; arrived: number }> = [];
  readonly #sources = new Map<string, Source>();
  /** Arrival of the first record; NaN before it. */
  #start = Number.NaN;

  constructor(windowMs: number, emit: (r: TailRecord) => void) {
    this.#windowMs = windowMs;
    this.#emit = emit;
  }

  push(r: TailRecord, now: number): void {
    this.#held.push({ r, arrived: now });
    if (Number.isNaN(this.#start)) this.#start = now;
    const key = `${r.namespace}/${r.pod}/${r.container}`;
    const s = this.#sources.get(key);
    if (s === undefined) this.#sources.set(key, { watermark: r.time, lastArrival: now });
    else {
      s.watermark = Math.max(s.watermark, r.time);
      s.lastArrival = now;
    }
    if (this.#windowMs <= 0) this.flush();
  }

  /** Release what has waited its window, or what every sending source has passed (call after pushes and periodically). */
  tick(now: number): void {
    if (this.#held.length === 0) return;
    const low = now - this.#start >= this.#windowMs ? this.#lowWatermark(now) : Infinity;
    let cutoff = low === Infinity ? -Infinity : low;
    for (const h of this.#held) if (h.arrived <= now - this.#windowMs) cutoff = Math.max(cutoff, h.r.time);
    if (cutoff === -Infinity) return;
    this.#release((h) => h.r.time <= cutoff);
  }

  /** The oldest newest-record time among the sources heard from within the window (Infinity: none). */
  #lowWatermark(now: number): number {
    let low = Infinity;
    for (const [key, s] of this.#sources) {
      if (s.lastArrival > now - this.#windowMs) low = Math.min(low, s.watermark);
      else if (s.lastArrival <= now - 10 * this.#windowMs) this.#sources.delete(key); // long quiet: forget it
    }
    return low;
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
