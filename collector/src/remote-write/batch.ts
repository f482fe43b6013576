import type { Labels } from '../store/index.ts';
import type { SampleColumns, SeriesRows } from './write-request.ts';

/** What the queue knows of a series: computed once per labels array. */
export interface SeriesInfo {
  labels: Labels;
  /** The labels joined: equal for equal label sets even when the arrays differ. */
  key: string;
  shard: number;
  /** Encoded Label fields (with external labels), filled on first send. */
  bytes: Uint8Array | undefined;
}

/** Samples of one shard waiting to go out together, in arrival order. */
export class Batch implements SampleColumns {
  readonly info: SeriesInfo[] = [];
  readonly t: Float64Array;
  readonly v: Float64Array;
  readonly stale: Uint8Array;
  n = 0;
  /** Order of cutting, across shards: the smallest is the oldest. */
  seq = 0;
  /** When its first sample arrived (ms, from the clock). */
  readonly since: number;

  constructor(capacity: number, since: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.stale = new Uint8Array(capacity);
    this.since = since;
  }

  get full(): boolean {
    return this.n === this.t.length;
  }

  push(info: SeriesInfo, t: number, v: number, stale: number): void {
    const i = this.n++;
    this.info[i] = info;
    this.t[i] = t;
    this.v[i] = v;
    this.stale[i] = stale;
  }

  /** Newest timestamp in the batch. */
  maxT(): number {
    let m = -Infinity;
    for (let i = 0; i < this.n; i++) if (this.t[i]! > m) m = this.t[i]!;
    return m;
  }

  /** Rows grouped by series (equal label sets), each group in arrival order, groups by first arrival. */
  series(encode: (info: SeriesInfo) => Uint8Array): SeriesRows[] {
    const groups = new Map<string, { info: SeriesInfo; rows: number[] }>();
    for (let i = 0; i < this.n; i++) {
      const info = this.info[i]!;
      const g = groups.get(info.key);
      if (g) g.rows.push(i);
      else groups.set(info.key, { info, rows: [i] });
    }
    const out: SeriesRows[] = [];
    for (const g of groups.values()) out.push({ labels: encode(g.info), rows: g.rows });
    return out;
  }
}
