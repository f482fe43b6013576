/** Reads bits (most significant first) from a byte array. Reading past the end yields zeros. */
export class BitReader {
  #buf: Uint8Array;
  #pos = 0;
  #end: number;
  #off = 0;

  constructor(buf: Uint8Array, byteLength = buf.length) {
    this.#buf = buf;
    this.#end = byteLength * 8;
  }

  /** Start over on buf[offset, offset + byteLength). */
  reset(buf: Uint8Array, byteLength: number, offset = 0): void {
    this.#buf = buf;
    this.#off = offset;
    this.#pos = 0;
    this.#end = byteLength * 8;
  }

  /** Bits left. */
  get remaining(): number {
    return this.#end - this.#pos;
  }

  readBit(): number {
    const p = this.#pos++;
    return (this.#buf[this.#off + (p >>> 3)]! >>> (7 - (p & 7))) & 1;
  }

  /** Read n bits (0 <= n <= 32) as an unsigned integer. */
  readBits(n: number): number {
    let v = 0;
    let pos = this.#pos;
    const buf = this.#buf;
    const off = this.#off;
    while (n > 0) {
      const avail = 8 - (pos & 7);
      const take = n < avail ? n : avail;
      const byte = buf[off + (pos >>> 3)] ?? 0;
      const chunk = (byte >>> (avail - take)) & ((1 << take) - 1);
      v = (v << take) | chunk;
      pos += take;
      n -= take;
    }
    this.#pos = pos;
    return v >>> 0;
  }
}
