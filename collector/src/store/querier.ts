import { BitReader } from './bit-reader.ts';
import { fromWords, STALE_HI, STALE_LO } from './float-bits.ts';
import { CompiledMatcher, type Matcher } from './matchers.ts';
import type { Postings } from './postings.ts';
import { SampleBuffer } from './sample-buffer.ts';
import type { MemSeries, SeriesRef } from './series.ts';
import { decodeChunk } from './xor-chunk.ts';

export interface SamplesOptions {
  /** Keep staleness markers (default false: they are dropped, as Prometheus's range queries do). */
  includeStale?: boolean;
}

/** Read access to a store. */
export interface Querier {
  /**
   * Series whose labels satisfy every matcher (`=`, `!=`, `=~`, `!~`; regexes anchored) and that
   * hold samples inside [mint, maxt] (default: any time), in creation order.
   */
  select(matchers: readonly Matcher[], mint?: number, maxt?: number): SeriesRef[];
  /** The samples of a series inside [mint, maxt], oldest first. */
  samples(ref: SeriesRef, mint: number, maxt: number, opts?: SamplesOptions): SampleBuffer;
  /** Values of a label among the series selected by the matchers (all series without matchers), sorted. */
  labelValues(name: string, matchers?: readonly Matcher[]): string[];
  /**
   * The newest sample of a series without decoding (O(1) while the series has a head chunk): for
   * re-exposing current values. `stale` is true when it is a staleness marker. Undefined when empty.
   */
  latest(ref: SeriesRef): { t: number; v: number; stale: boolean } | undefined;
}

export class MemQuerier implements Querier {
  readonly #postings: Postings;
  readonly #reader = new BitReader(new Uint8Array(0));
  #scratch = Buffer.alloc(2048);

  constructor(postings: Postings) {
    this.#postings = postings;
  }

  select(matchers: readonly Matcher[], mint = -Infinity, maxt = Infinity): SeriesRef[] {
    const compiled = matchers.map((m) => (m instanceof CompiledMatcher ? m : new CompiledMatcher(m)));
    const out = this.#postings.select(compiled);
    if (mint === -Infinity && maxt === Infinity) return out;
    return out.filter((s) => s.mint <= maxt && s.maxt >= mint);
  }

  labelValues(name: string, matchers?: readonly Matcher[]): string[] {
    if (matchers === undefined || matchers.length === 0) return this.#postings.values(name).sort();
    const set = new Set<string>();
    for (const s of this.select(matchers)) {
      const l = s.labels;
      for (let i = 0; i < l.length; i += 2) if (l[i] === name) set.add(l[i + 1]!);
    }
    return [...set].sort();
  }

  latest(ref: SeriesRef): { t: number; v: number; stale: boolean } | undefined {
    const h = (ref as MemSeries).head;
    if (h.count > 0) return { t: h.maxt, v: fromWords(h.lastHi, h.lastLo), stale: h.lastHi === STALE_HI && h.lastLo === STALE_LO };
    const s = ref as MemSeries;
    const c = s.chunks[s.chunks.length - 1];
    if (c === undefined) return undefined;
    const buf = this.samples(ref, c.maxt, c.maxt, { includeStale: true });
    if (buf.length === 0) return undefined;
    return { t: buf.t[0]!, v: buf.v[0]!, stale: buf.isStale(0) };
  }

  samples(ref: SeriesRef, mint: number, maxt: number, opts: SamplesOptions = {}): SampleBuffer {
    const s = ref as MemSeries;
    let cap = 0;
    for (const c of s.chunks) if (c.maxt >= mint && c.mint <= maxt) cap += c.count;
    const h = s.head;
    if (h.count > 0 && h.maxt >= mint && h.mint <= maxt) cap += h.count;
    const out = new SampleBuffer(cap);
    let n = 0;
    for (const c of s.chunks) {
      if (c.maxt < mint || c.mint > maxt) continue;
      if (this.#scratch.length < c.data.length) this.#scratch = Buffer.alloc(c.data.length * 2);
      const len = this.#scratch.write(c.data, 0, 'latin1');
      n = decodeChunk(this.#reader, this.#scratch, 0, len, c.count, c.mint, mint, maxt, out.t, out.words, n);
    }
    if (h.count > 0 && h.maxt >= mint && h.mint <= maxt) {
      n = decodeChunk(this.#reader, h.buf, h.base, h.byteLength, h.count, h.mint, mint, maxt, out.t, out.words, n);
    }
    out.length = n;
    return opts.includeStale === true ? out : out.dropStale();
  }
}
