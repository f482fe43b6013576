/**
 * Float64 ↔ two uint32 words (high, low) through one shared scratch buffer, and Prometheus's
 * staleness marker: the NaN with bits 0x7ff0000000000002. JavaScript may turn any NaN into the
 * canonical one when a number is copied, so staleness is carried as a flag next to values and
 * the marker's bits are only ever written and read through typed arrays.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
// Little-endian on every platform Node.js runs on: word 1 is the high word.
const HI = 1;
const LO = 0;

export const STALE_HI = 0x7ff00000;
export const STALE_LO = 0x00000002;

/** High 32 bits of the double v. Call `lowWord()` right after for the low 32 bits. */
export function highWord(v: number): number {
  f64[0] = v;
  return u32[HI]!;
}

/** Low 32 bits of the double last passed to `highWord`. */
export function lowWord(): number {
  return u32[LO]!;
}

/** The double with the given high and low words. */
export function fromWords(hi: number, lo: number): number {
  u32[HI] = hi;
  u32[LO] = lo;
  return f64[0]!;
}

/** The staleness marker as a number (its NaN payload may not survive copies: see above). */
export const STALE_NAN: number = fromWords(STALE_HI, STALE_LO);

/** True when v's bits are the staleness marker's. */
export function isStaleNaN(v: number): boolean {
  f64[0] = v;
  return u32[HI] === STALE_HI && u32[LO] === STALE_LO;
}
