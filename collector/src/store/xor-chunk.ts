import type { BitReader } from './bit-reader.ts';
import { BitWriter } from './bit-writer.ts';
import type { HeadArena } from './head-arena.ts';

/**
 * Gorilla compression as Prometheus's XOR chunks do it: timestamps as delta-of-delta in buckets of
 * 0/14/17/20/64 bits, values XORed with the previous value and written as the meaningful bits only.
 * The first timestamp is not in the stream (the chunk keeps it as `mint`); the first value is 64 raw
 * bits; the second timestamp is a delta-of-delta against a delta of zero.
 */

const TWO32 = 4294967296;
/** Width of the delta-of-delta after a prefix of 1, 2 or 3 one-bits. */
const DOD_BITS = [0, 14, 17, 20];

/** ctz of a non-zero uint32. */
function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The open chunk of a series: appends samples (timestamps in ms, values as two 32-bit words). */
export class HeadChunk extends BitWriter {
  count = 0;
  mint = 0;
  maxt = 0;
  #tDelta = 0;
  #vHi = 0;
  #vLo = 0;
  #lead = 0xff;
  #trail = 0;

  constructor(arena?: HeadArena) {
    super(arena);
  }

  /** Forget the samples (after the chunk was closed), keeping the buffer. */
  override reset(): void {
    super.reset();
    this.count = 0;
    this.#tDelta = 0;
    this.#lead = 0xff;
    this.#trail = 0;
  }

  /** Append one sample; t must be greater than `maxt` when count > 0 (the series checks). */
  append(t: number, hi: number, lo: number): void {
    if (this.count === 0) {
      this.mint = t;
      this.writeBits(hi, 32);
      this.writeBits(lo, 32);
    } else {
      const delta = t - this.maxt;
      this.#writeDod(this.count === 1 ? delta : delta - this.#tDelta);
      this.#tDelta = delta;
      this.#writeXor(hi, lo);
    }
    this.#vHi = hi;
    this.#vLo = lo;
    this.maxt = t;
    this.count++;
  }

  /** High and low words of the last value. */
  get lastHi(): number {
    return this.#vHi;
  }
  get lastLo(): number {
    return this.#vLo;
  }

  #writeDod(dod: number): void {
    if (dod === 0) {
      this.writeBit(0);
    } else if (dod >= -8191 && dod <= 8192) {
      this.writeBits(0b10, 2);
      this.writeBits(dod & 0x3fff, 14);
    } else if (dod >= -65535 && dod <= 65536) {
      this.writeBits(0b110, 3);
      this.writeBits(dod & 0x1ffff, 17);
    } else if (dod >= -524287 && dod <= 524288) {
      this.writeBits(0b1110, 4);
      this.writeBits(dod & 0xfffff, 20);
    } else {
      this.writeBits(0b1111, 4);
      const hi = Math.floor(dod / TWO32);
      this.writeBits(hi >>> 0, 32);
      this.writeBits((dod - hi * TWO32) >>> 0, 32);
    }
  }

  #writeXor(hi: number, lo: number): void {
    const xh = (hi ^ this.#vHi) >>> 0;
    const xl = (lo ^ this.#vLo) >>> 0;
    if (xh === 0 && xl === 0) {
      this.writeBit(0);
      return;
    }
    let lead = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
    const trail = xl !== 0 ? ctz(xl) : 32 + ctz(xh);
    if (lead > 31) lead = 31;
    let shift: number;
    let sig: number;
    if (this.#lead !== 0xff && lead >= this.#lead && trail >= this.#trail) {
      this.writeBits(0b10, 2);
      shift = this.#trail;
      sig = 64 - this.#lead - this.#trail;
    } else {
      this.#lead = lead;
      this.#trail = trail;
      sig = 64 - lead - trail;
      this.writeBits(0b11, 2);
      this.writeBits(lead, 5);
      this.writeBits(sig & 63, 6);
      shift = trail;
    }
    // (xh:xl) >> shift, then the low `sig` bits.
    let h: number;
    let l: number;
    if (shift === 0) {
      h = xh;
      l = xl;
    } else if (shift < 32) {
      l = ((xl >>> shift) | (xh << (32 - shift))) >>> 0;
      h = xh >>> shift;
    } else {
      l = xh >>> (shift - 32);
      h = 0;
    }
    if (sig > 32) {
      this.writeBits(h, sig - 32);
      this.writeBits(l, 32);
    } else {
      this.writeBits(l, sig);
    }
  }
}

/**
 * Decode `count` samples of a chunk from buf[base, base + byteLength), first timestamp `mint`, into
 * t[at…] and the value words vw[2·at…] (little-endian pairs: low, high), so that a staleness
 * marker keeps its bits. Samples outside [from, to] are skipped. Returns the index after the last
 * sample written.
 */
export function decodeChunk(
  reader: BitReader,
  buf: Uint8Array,
  base: number,
  byteLength: number,
  count: number,
  mint: number,
  from: number,
  to: number,
  t: Float64Array,
  vw: Uint32Array,
  at: number,
): number {
  reader.reset(buf, byteLength, base);
  let ts = mint;
  let delta = 0;
  let hi = reader.readBits(32);
  let lo = reader.readBits(32);
  let lead = 0;
  let trail = 0;
  let n = at;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      // Timestamp.
      let ones = 0;
      while (ones < 4 && reader.readBit() === 1) ones++;
      let dod: number;
      if (ones === 0) dod = 0;
      else if (ones < 4) dod = signed(reader.readBits(DOD_BITS[ones]!), DOD_BITS[ones]!);
      else {
        const dh = reader.readBits(32) | 0;
        dod = dh * TWO32 + reader.readBits(32);
      }
      delta = i === 1 ? dod : delta + dod;
      ts += delta;
      // Value.
      if (reader.readBit() === 1) {
        let sig: number;
        if (reader.readBit() === 0) {
          sig = 64 - lead - trail;
        } else {
          lead = reader.readBits(5);
          sig = reader.readBits(6);
          if (sig === 0) sig = 64;
          trail = 64 - lead - sig;
        }
        let h = 0;
        let l: number;
        if (sig > 32) {
          h = reader.readBits(sig - 32);
          l = reader.readBits(32);
        } else {
          l = reader.readBits(sig);
        }
        // (h:l) << trail
        let xh: number;
        let xl: number;
        if (trail === 0) {
          xh = h;
          xl = l;
        } else if (trail < 32) {
          xh = ((h << trail) | (l >>> (32 - trail))) >>> 0;
          xl = (l << trail) >>> 0;
        } else {
          xh = (l << (trail - 32)) >>> 0;
          xl = 0;
        }
        hi = (hi ^ xh) >>> 0;
        lo = (lo ^ xl) >>> 0;
      }
    }
    if (ts > to) break;
    if (ts >= from) {
      t[n] = ts;
      vw[2 * n] = lo;
      vw[2 * n + 1] = hi;
      n++;
    }
  }
  return n;
}

function signed(u: number, bits: number): number {
  return u > 2 ** (bits - 1) ? u - 2 ** bits : u;
}
