import type { TailRecord } from '../events/records.ts';

/** How long a delay seen from a source counts towards its expected delay: this bucket and the one before. */
const DELAY_BUCKET_MS = 5000;

/** What the buffer knows of one source (a pod's container). */
interface Source {
  /** The newest record time it sent. */
  watermark: number;
  lastArrival: number;
  /** The longest delay (arrival minus record time) seen in the current bucket, and in the one before. */
  maxDelay: number;
  prevMaxDelay: number;
  bucket: number;
}

/**
 * Puts records from many pods in time order within a bounded window. A record goes out once no earlier
 * one can still come from a source that is sending, that is when every source heard from within the
 * window has either sent a record at or after its time, or cannot deliver one that old any more: its
 * records arrive at most its recent longest delay after their time (measured on arrival, against this
 * machine's clock: a pod whose clock is behind looks slow, and the others then wait for the window, as
 * they would without delays). With one pod, or pods that deliver promptly, a record goes out at once
 * or within tens of milliseconds; a trace that took its pod's assembler a while holds the others back
 * by that while. Nothing waits longer than windowMs after it arrived. When a record goes out, every
 * held record older than it goes out first; a record that arrives after newer ones went out is printed
 * late, not dropped. For warmupMs after the first record (by default the window), only the window
 * counts: the backlogs of several pods (history before following, read straight from the cluster)
 * come one pod after another, and a pod not heard from yet may still hold older lines. A collector
 * sends its history merged, so reading through one needs no warm-up. bench/logs-follow.ts measures it
 * against `--reorder 0`.
 */
export class ReorderBuffer {
  readonly #windowMs: number;
  readonly #emit: (r: TailRecord) => void;
  #held: Array<{ r: TailRecord; arrived: number }> = [];
  readonly #sources = new Map<string, Source>();
  readonly #warmupMs: number;
  /** Arrival of the first record; NaN before it. */
  #start = Number.NaN;

  constructor(windowMs: number, emit: (r: TailRecord) => void, warmupMs = windowMs) {
    this.#windowMs = windowMs;
    this.#emit = emit;
    this.#warmupMs = warmupMs;
  }

  push(r: TailRecord, now: number): void {
    this.#held.push({ r, arrived: now });
    if (Number.isNaN(this.#start)) this.#start = now;
    const key = `${r.namespace}/${r.pod}/${r.container}`;
    // a line later than the window is printed out of order whatever the others do: it says nothing
    // about how long they should wait (pod start-up backlogs, replays)
    const delay = now - r.time <= this.#windowMs ? now - r.time : -Infinity;
    const bucket = Math.floor(now / DELAY_BUCKET_MS);
    const s = this.#sources.get(key);
    if (s === undefined) {
      this.#sources.set(key, { watermark: r.time, lastArrival: now, maxDelay: delay, prevMaxDelay: -Infinity, bucket });
    } else {
      if (bucket !== s.bucket) {
        s.prevMaxDelay = bucket === s.bucket + 1 ? s.maxDelay : -Infinity;
        s.maxDelay = -Infinity;
        s.bucket = bucket;
      }
      s.maxDelay = Math.max(s.maxDelay, delay);
      s.watermark = Math.max(s.watermark, r.time);
      s.lastArrival = now;
    }
    if (this.#windowMs <= 0) this.flush();
  }

  /** Release what has waited its window, or what no sending source can still precede (call after pushes and periodically). */
  tick(now: number): void {
    if (this.#held.length === 0) return;
    const low = now - this.#start >= this.#warmupMs ? this.#lowWatermark(now) : Infinity;
    let cutoff = low === Infinity ? -Infinity : low;
    for (const h of this.#held) if (h.arrived <= now - this.#windowMs) cutoff = Math.max(cutoff, h.r.time);
    if (cutoff === -Infinity) return;
    this.#release((h) => h.r.time <= cutoff);
  }

  /**
   * The newest record time that no source heard from within the window can still precede: for each,
   * the later of its newest record's time and now minus its expected delay; the earliest of those
   * (Infinity: no source is sending).
   */
  #lowWatermark(now: number): number {
    let low = Infinity;
    const bucket = Math.floor(now / DELAY_BUCKET_MS);
    for (const [key, s] of this.#sources) {
      if (s.lastArrival > now - this.#windowMs) {
        // delays seen in this bucket and the one before, as of now
        const recent = bucket === s.bucket ? Math.max(s.maxDelay, s.prevMaxDelay) : bucket === s.bucket + 1 ? s.maxDelay : -Infinity;
        low = Math.min(low, recent === -Infinity ? s.watermark : Math.max(s.watermark, now - recent));
      } else if (s.lastArrival <= now - 10 * this.#windowMs) {
        this.#sources.delete(key); // long quiet: forget it
      }
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
