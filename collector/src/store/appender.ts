import { fromWords, highWord, isStaleNaN, lowWord, STALE_HI, STALE_LO } from './float-bits.ts';
import type { Labels } from './labels.ts';
import { APPEND_DUPLICATE, APPEND_OK, APPEND_OUT_OF_ORDER, type ClosedChunk, type MemSeries, type SeriesRef } from './series.ts';
import type { MemStore } from './store.ts';

/** What a commit did. */
export interface AppendResult {
  /** Samples stored. */
  appended: number;
  /** Samples rejected for being older than the newest sample of their series. */
  outOfOrder: number;
  /** Samples rejected for repeating the newest timestamp with another value (same value: ignored). */
  duplicates: number;
  /** Series created by this transaction (Prometheus's `scrape_series_added`). */
  seriesAdded: number;
}

/**
 * A write transaction. Samples are buffered and applied by `commit()` (all of them), or dropped by
 * `rollback()` (none of them: e.g. when a scrape goes over its sample limit). Timestamps are
 * milliseconds since the epoch.
 */
export interface Appender {
  /**
   * Buffer a sample for the series with these labels (flat `[name, value, …]`, any order, including
   * `__name__`). Returns the series ref: keep it and use `appendRef` next time.
   */
  append(labels: Labels, t: number, v: number): SeriesRef;
  /**
   * Fast path: buffer a sample for a known series. If the series was garbage-collected meanwhile it
   * is recreated from the ref's labels; the returned ref is the one to keep.
   */
  appendRef(ref: SeriesRef, t: number, v: number): SeriesRef;
  /** Buffer a staleness marker: the series (or the target) is gone as of t. */
  appendStale(ref: SeriesRef, t: number): SeriesRef;
  /** The series ref for these labels, created if new, without appending. */
  ref(labels: Labels): SeriesRef;
  /** Apply every buffered sample. */
  commit(): AppendResult;
  /** Drop every buffered sample. Series created meanwhile stay (and are collected when unused). */
  rollback(): void;
}

export class MemAppender implements Appender {
  readonly #store: MemStore;
  #series: MemSeries[] = [];
  #t = new Float64Array(256);
  #hi = new Uint32Array(256);
  #lo = new Uint32Array(256);
  #n = 0;
  #added = 0;

  constructor(store: MemStore) {
    this.#store = store;
  }

  ref(labels: Labels): SeriesRef {
    const [s, created] = this.#store.getOrCreate(labels);
    if (created) this.#added++;
    return s;
  }

  append(labels: Labels, t: number, v: number): SeriesRef {
    const s = this.ref(labels) as MemSeries;
    if (isStaleNaN(v)) this.#push(s, t, STALE_HI, STALE_LO);
    else this.#push(s, t, highWord(v), lowWord());
    return s;
  }

  appendRef(ref: SeriesRef, t: number, v: number): SeriesRef {
    const s = this.#live(ref);
    if (isStaleNaN(v)) this.#push(s, t, STALE_HI, STALE_LO);
    else this.#push(s, t, highWord(v), lowWord());
    return s;
  }

  appendStale(ref: SeriesRef, t: number): SeriesRef {
    const s = this.#live(ref);
    this.#push(s, t, STALE_HI, STALE_LO);
    return s;
  }

  commit(): AppendResult {
    const limits = this.#store.limits;
    const closed: ClosedChunk[] = [];
    let appended = 0;
    let outOfOrder = 0;
    let duplicates = 0;
    let headBits = 0;
    let headSamples = 0;
    let heads = 0;
    const tap = this.#store.tap;
    for (let i = 0; i < this.#n; i++) {
      let s = this.#series[i]!;
      if (s.deleted) s = this.#live(s);
      const h = s.head;
      const bits0 = h.bits;
      const count0 = h.count;
      const closed0 = closed.length;
      const r = s.append(this.#t[i]!, this.#hi[i]!, this.#lo[i]!, limits, closed);
      if (r === APPEND_OK) {
        appended++;
        if (tap !== undefined) {
          // Only accepted samples go on (a rejected one would make a remote receiver refuse a whole batch).
          const hi = this.#hi[i]!;
          const lo = this.#lo[i]!;
          if (hi === STALE_HI && lo === STALE_LO) tap.stale(s.labels, this.#t[i]!);
          else tap.sample(s.labels, this.#t[i]!, fromWords(hi, lo));
        }
        if (closed.length > closed0) {
          // The head was cut: its samples moved to a closed chunk before this one was appended.
          headSamples -= count0;
          headBits -= bits0;
          headBits += h.bits;
          headSamples += h.count;
          if (count0 === 0) heads++;
        } else {
          headBits += h.bits - bits0;
          headSamples++;
          if (count0 === 0) heads++;
        }
      } else if (r === APPEND_OUT_OF_ORDER) outOfOrder++;
      else if (r === APPEND_DUPLICATE) duplicates++;
    }
    const res: AppendResult = { appended, outOfOrder, duplicates, seriesAdded: this.#added };
    this.#store.afterCommit({ closed, appended, outOfOrder, duplicates, headBits, headSamples, heads });
    this.#reset();
    return res;
  }

  rollback(): void {
    this.#reset();
  }

  #reset(): void {
    this.#series.length = 0;
    this.#n = 0;
    this.#added = 0;
  }

  #live(ref: SeriesRef): MemSeries {
    const s = ref as MemSeries;
    if (!s.deleted) return s;
    const [fresh, created] = this.#store.getOrCreate(s.labels);
    if (created) this.#added++;
    return fresh;
  }

  #push(s: MemSeries, t: number, hi: number, lo: number): void {
    const n = this.#n;
    if (n === this.#t.length) this.#grow();
    this.#series[n] = s;
    this.#t[n] = t;
    this.#hi[n] = hi;
    this.#lo[n] = lo;
    this.#n = n + 1;
  }

  #grow(): void {
    const cap = this.#t.length * 2;
    const t = new Float64Array(cap);
    t.set(this.#t);
    this.#t = t;
    const hi = new Uint32Array(cap);
    hi.set(this.#hi);
    this.#hi = hi;
    const lo = new Uint32Array(cap);
    lo.set(this.#lo);
    this.#lo = lo;
  }
}
