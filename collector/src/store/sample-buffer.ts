import { STALE_HI, STALE_LO } from './float-bits.ts';

/**
 * Decoded samples of one series, oldest first: `t[i]` (ms) and `v[i]` for i < length. Values are
 * stored with their exact bits, so `isStale(i)` can tell a staleness marker from any other NaN.
 */
export class SampleBuffer {
  length = 0;
  t: Float64Array;
  v: Float64Array;
  /** The words of `v` (low, high per sample). */
  words: Uint32Array;

  constructor(capacity: number) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.words = new Uint32Array(this.v.buffer);
  }

  isStale(i: number): boolean {
    return this.words[2 * i + 1] === STALE_HI && this.words[2 * i] === STALE_LO;
  }

  /** Remove the staleness markers in place. */
  dropStale(): this {
    let w = 0;
    for (let r = 0; r < this.length; r++) {
      if (this.isStale(r)) continue;
      if (w !== r) {
        this.t[w] = this.t[r]!;
        this.words[2 * w] = this.words[2 * r]!;
        this.words[2 * w + 1] = this.words[2 * r + 1]!;
      }
      w++;
    }
    this.length = w;
    return this;
  }

  /** `[t, v]` pairs (for tests and small outputs). */
  toArray(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.length; i++) out.push([this.t[i]!, this.v[i]!]);
    return out;
  }
}
