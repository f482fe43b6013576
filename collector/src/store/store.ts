import { MemAppender, type Appender } from './appender.ts';
import { HeadArena } from './head-arena.ts';
import { labelsKey, sortLabels, type Labels } from './labels.ts';
import { Postings } from './postings.ts';
import { MemQuerier, type Querier } from './querier.ts';
import { MemSeries, type ChunkLimits, type ClosedChunk } from './series.ts';
import { COST, type MemoryUsage, type StoreStats } from './stats.ts';

export interface StoreOptions {
  /** Samples older than this (relative to the `now` given to `gc`) are removed. Default 2 h. */
  retentionMs?: number;
  /** Upper bound of `memory().totalBytes`; the oldest closed chunks go first. 0 (default): none. */
  maxBytes?: number;
  /** Samples per chunk before a new one is cut (default 120, as Prometheus). */
  samplesPerChunk?: number;
  /** Bytes per chunk before a new one is cut (default 1024). */
  maxChunkBytes?: number;
  /** Time span of one chunk before a new one is cut (default retention / 4), so retention is precise. */
  maxChunkSpanMs?: number;
  /** Told of every sample the store accepts, at commit (remote write reads from here). */
  tap?: StoreTap;
}

/** A consumer of accepted samples; must not throw and must return quickly (it runs inside commit). */
export interface StoreTap {
  sample(labels: Labels, t: number, v: number): void;
  stale(labels: Labels, t: number): void;
}

export interface GcResult {
  expiredChunks: number;
  expiredSamples: number;
  seriesRemoved: number;
}

/** What one commit changed, reported by the appender to the store. */
export interface CommitDelta {
  closed: readonly ClosedChunk[];
  appended: number;
  outOfOrder: number;
  duplicates: number;
  /** Change in head chunk bits / samples / non-empty heads. */
  headBits: number;
  headSamples: number;
  heads: number;
}

interface Interned {
  s: string;
  refs: number;
}

/**
 * In-memory time-series database: Gorilla-compressed chunks per series, an inverted index, retention
 * by time and by memory. Time is never read: `gc(now)` is called by the owner with its clock.
 *
 * ```ts
 * const store = new MemStore({ retentionMs: 2 * 3600_000, maxBytes: 512 << 20 });
 * const app = store.appender();
 * const ref = app.append(labelsFromRecord({ method: 'GET' }, 'function_calls_total'), now, 42);
 * app.appendRef(ref, now + 15_000, 43);            // fast path for known series
 * app.commit();
 * const q = store.querier();
 * for (const s of q.select([eq('__name__', 'function_calls_total')], now - 300_000, now)) q.samples(s, now - 300_000, now);
 * store.gc(clock.now());                             // periodically
 * ```
 */
export class MemStore {
  readonly retentionMs: number;
  readonly maxBytes: number;
  readonly limits: ChunkLimits;
  readonly tap: StoreTap | undefined;
  readonly #byKey = new Map<string, MemSeries>();
  readonly #postings = new Postings();
  readonly #strings = new Map<string, Interned>();
  readonly #arena = new HeadArena();
  #nextId = 1;
  /** Closed chunks in the order they were closed (only with a memory bound): dropped from the front. */
  #fifo: ClosedChunk[] = [];
  #fifoHead = 0;
  // Accounting, kept up to date incrementally.
  #closedBytes = 0;
  #closedChunks = 0;
  #closedSamples = 0;
  #headBits = 0;
  #headSamples = 0;
  #heads = 0;
  #stringBytes = 0;
  #keyBytes = 0;
  #stats = { appendedSamples: 0, outOfOrder: 0, duplicates: 0, seriesCreated: 0, seriesRemoved: 0, droppedChunks: 0, droppedSamples: 0, expiredChunks: 0, expiredSamples: 0 };

  constructor(opts: StoreOptions = {}) {
    this.retentionMs = opts.retentionMs ?? 2 * 3600_000;
    this.maxBytes = opts.maxBytes ?? 0;
    this.tap = opts.tap;
    this.limits = {
      samplesPerChunk: opts.samplesPerChunk ?? 120,
      maxChunkBytes: opts.maxChunkBytes ?? 1024,
      maxChunkSpanMs: opts.maxChunkSpanMs ?? Math.max(1, Math.floor(this.retentionMs / 4)),
    };
  }

  /** A new write transaction. */
  appender(): Appender {
    return new MemAppender(this);
  }

  /** A reader over the current data. */
  querier(): Querier {
    return new MemQuerier(this.#postings);
  }

  /** Number of series held. */
  get seriesCount(): number {
    return this.#byKey.size;
  }

  /**
   * The series with these labels, created when new. `labels` is flat `[name, value, …]` in any
   * order, including `__name__`; empty values are dropped. Returns [series, created].
   */
  getOrCreate(labels: Labels): [MemSeries, boolean] {
    const sorted = isSortedNonEmpty(labels) ? labels : sortLabels(labels.slice());
    const key = labelsKey(sorted);
    const found = this.#byKey.get(key);
    if (found !== undefined) return [found, false];
    const own = new Array<string>(sorted.length);
    for (let i = 0; i < sorted.length; i++) own[i] = this.#intern(sorted[i]!);
    const s = new MemSeries(this.#nextId++, own, key, this.#arena);
    this.#byKey.set(key, s);
    this.#postings.add(s);
    this.#stats.seriesCreated++;
    this.#keyBytes += COST.stringHeader + key.length;
    return [s, true];
  }

  /** Called by the appender after applying a batch. */
  afterCommit(d: CommitDelta): void {
    for (const c of d.closed) {
      if (this.maxBytes > 0) this.#fifo.push(c);
      this.#closedBytes += c.data.length;
      this.#closedChunks++;
      this.#closedSamples += c.count;
    }
    this.#headBits += d.headBits;
    this.#headSamples += d.headSamples;
    this.#heads += d.heads;
    this.#stats.appendedSamples += d.appended;
    this.#stats.outOfOrder += d.outOfOrder;
    this.#stats.duplicates += d.duplicates;
    if (this.maxBytes > 0) this.#enforceMemoryBound();
  }

  /**
   * Retention: remove chunks whose newest sample is older than now - retention, heads of series not
   * written since then, and series left with no samples. Returns what was removed.
   */
  gc(now: number): GcResult {
    const cutoff = now - this.retentionMs;
    const res: GcResult = { expiredChunks: 0, expiredSamples: 0, seriesRemoved: 0 };
    const removed: MemSeries[] = [];
    for (const s of this.#postings.all()) {
      let drop = 0;
      while (drop < s.chunks.length && s.chunks[drop]!.maxt < cutoff) {
        const c = s.chunks[drop]!;
        this.#forgetClosed(c);
        res.expiredChunks++;
        res.expiredSamples += c.count;
        drop++;
      }
      if (drop > 0) s.chunks.splice(0, drop);
      const h = s.head;
      if (h.count > 0 && h.maxt < cutoff) {
        res.expiredChunks++;
        res.expiredSamples += h.count;
        this.#headBits -= h.bits;
        this.#headSamples -= h.count;
        this.#heads--;
        h.reset();
      }
      if (s.chunks.length === 0 && h.count === 0 && s.lastT < cutoff) {
        s.deleted = true;
        removed.push(s);
      }
    }
    for (const s of removed) this.#remove(s);
    this.#postings.removeDeleted(removed);
    res.seriesRemoved = removed.length;
    this.#stats.expiredChunks += res.expiredChunks;
    this.#stats.expiredSamples += res.expiredSamples;
    this.#stats.seriesRemoved += removed.length;
    if (this.maxBytes > 0) {
      this.#fifo = this.#fifo.slice(this.#fifoHead).filter((c) => !c.dropped);
      this.#fifoHead = 0;
      this.#enforceMemoryBound();
    }
    return res;
  }

  /** Memory accounting: exact for compressed bytes, estimated for objects (see COST). */
  memory(): MemoryUsage {
    const headBytes = Math.ceil(this.#headBits / 8);
    const chunkBytes = this.#closedBytes + headBytes;
    // Head chunks live in arena slots: what the slots hold beyond the used bytes is overhead.
    const chunkOverheadBytes = this.#closedChunks * COST.closedChunk + Math.max(0, this.#arena.inUse - headBytes);
    const indexBytes = this.#byKey.size * COST.series + this.#postings.entries * COST.labelPair + this.#stringBytes + this.#keyBytes;
    return { chunkBytes, chunkOverheadBytes, indexBytes, totalBytes: chunkBytes + chunkOverheadBytes + indexBytes };
  }

  stats(): StoreStats {
    return {
      series: this.#byKey.size,
      chunks: this.#closedChunks + this.#heads,
      samples: this.#closedSamples + this.#headSamples,
      ...this.#stats,
      memory: this.memory(),
    };
  }

  #intern(s: string): string {
    const e = this.#strings.get(s);
    if (e !== undefined) {
      e.refs++;
      return e.s;
    }
    // A fresh copy, so that a slice of a scraped body is not kept alive by the store.
    const own = s.length < 13 ? s : (' ' + s).slice(1);
    this.#strings.set(own, { s: own, refs: 1 });
    this.#stringBytes += COST.stringHeader + own.length;
    return own;
  }

  #release(s: string): void {
    const e = this.#strings.get(s);
    if (e === undefined) return;
    if (--e.refs === 0) {
      this.#strings.delete(s);
      this.#stringBytes -= COST.stringHeader + s.length;
    }
  }

  #remove(s: MemSeries): void {
    this.#byKey.delete(s.key);
    this.#keyBytes -= COST.stringHeader + s.key.length;
    s.head.release();
    for (const l of s.labels) this.#release(l);
    for (const c of s.chunks) this.#forgetClosed(c);
    s.chunks = [];
  }

  #forgetClosed(c: ClosedChunk): void {
    c.dropped = true;
    this.#closedBytes -= c.data.length;
    this.#closedChunks--;
    this.#closedSamples -= c.count;
  }

  #enforceMemoryBound(): void {
    let total = this.memory().totalBytes;
    while (total > this.maxBytes && this.#fifoHead < this.#fifo.length) {
      const c = this.#fifo[this.#fifoHead++]!;
      if (c.dropped) continue;
      const chunks = c.series.chunks;
      const at = chunks[0] === c ? 0 : chunks.indexOf(c);
      if (at !== -1) chunks.splice(at, 1);
      this.#forgetClosed(c);
      this.#stats.droppedChunks++;
      this.#stats.droppedSamples += c.count;
      total -= c.data.length + COST.closedChunk;
    }
    if (this.#fifoHead > 1024 && this.#fifoHead * 2 > this.#fifo.length) {
      this.#fifo = this.#fifo.slice(this.#fifoHead);
      this.#fifoHead = 0;
    }
  }
}

function isSortedNonEmpty(l: Labels): boolean {
  for (let i = 0; i < l.length; i += 2) {
    if (l[i + 1] === '') return false;
    if (i > 0 && l[i]! <= l[i - 2]!) return false;
  }
  return true;
}
