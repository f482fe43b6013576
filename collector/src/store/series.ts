import type { Labels } from './labels.ts';
import type { HeadArena } from './head-arena.ts';
import { HeadChunk } from './xor-chunk.ts';

/** A series as the appender and querier see it. Opaque apart from these fields. */
export interface SeriesRef {
  /** Unique id, increasing in creation order; never reused. */
  readonly id: number;
  /** Sorted label set including `__name__`. */
  readonly labels: Labels;
}

/** A full chunk: its bytes as a one-byte string, which costs no more than the bytes themselves. */
export interface ClosedChunk {
  readonly data: string;
  readonly mint: number;
  readonly maxt: number;
  readonly count: number;
  readonly series: MemSeries;
  /** Set once the chunk left its series (retention, memory bound, series removal). */
  dropped: boolean;
}

/** Outcome of appending one sample. */
export const APPEND_OK = 0;
export const APPEND_OUT_OF_ORDER = 1;
export const APPEND_DUPLICATE = 2;
export const APPEND_SAME = 3;

export interface ChunkLimits {
  samplesPerChunk: number;
  maxChunkBytes: number;
  maxChunkSpanMs: number;
}

/** One series: closed chunks oldest first, then the head chunk that takes new samples. */
export class MemSeries implements SeriesRef {
  readonly id: number;
  readonly labels: Labels;
  readonly key: string;
  chunks: ClosedChunk[] = [];
  head: HeadChunk;
  /** Time of the newest sample ever appended (-Infinity when none). */
  lastT = -Infinity;
  /** Removed by garbage collection; appending through this ref recreates the series. */
  deleted = false;

  constructor(id: number, labels: Labels, key: string, arena: HeadArena) {
    this.head = new HeadChunk(arena);
    this.id = id;
    this.labels = labels;
    this.key = key;
  }

  /** Oldest sample time still held (Infinity when empty). */
  get mint(): number {
    const c = this.chunks[0];
    if (c !== undefined) return c.mint;
    return this.head.count > 0 ? this.head.mint : Infinity;
  }

  /** Newest sample time held (-Infinity when empty). */
  get maxt(): number {
    if (this.head.count > 0) return this.head.maxt;
    const c = this.chunks[this.chunks.length - 1];
    return c !== undefined ? c.maxt : -Infinity;
  }

  /**
   * Append a sample (value as two words). Returns APPEND_* and, when the head chunk was cut first,
   * pushes the closed chunk onto `closed`.
   */
  append(t: number, hi: number, lo: number, limits: ChunkLimits, closed: ClosedChunk[]): number {
    if (t <= this.lastT) {
      if (t < this.lastT) return APPEND_OUT_OF_ORDER;
      const h = this.head;
      if (h.count > 0 && h.maxt === t) return h.lastHi === hi && h.lastLo === lo ? APPEND_SAME : APPEND_DUPLICATE;
      return APPEND_DUPLICATE;
    }
    const h = this.head;
    if (h.count > 0 && (h.count >= limits.samplesPerChunk || h.byteLength >= limits.maxChunkBytes || t - h.mint >= limits.maxChunkSpanMs)) {
      closed.push(this.cutHead());
    }
    h.append(t, hi, lo);
    this.lastT = t;
    return APPEND_OK;
  }

  /** Close the head chunk into a ClosedChunk (kept in `chunks`) and return it. */
  cutHead(): ClosedChunk {
    const h = this.head;
    const c: ClosedChunk = { data: h.toLatin1(), mint: h.mint, maxt: h.maxt, count: h.count, series: this, dropped: false };
    this.chunks.push(c);
    h.reset();
    return c;
  }
}
