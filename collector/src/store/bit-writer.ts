import { HeadArena } from './head-arena.ts';

/**
 * Appends bits (most significant first) to a slot of a HeadArena that grows as needed: the head
 * chunk of a series. Values are written from 32-bit words; wider fields are written as two calls.
 */
export class BitWriter {
  readonly #arena: HeadArena;
  /** The page holding the slot; the slot is buf[base, base + capacity). */
  buf: Uint8Array;
  base: number;
  capacity: number;
  /** Number of bits written. */
  bits = 0;

  constructor(arena: HeadArena = new HeadArena()) {
    this.#arena = arena;
    [this.buf, this.base, this.capacity] = arena.alloc(32);
  }

  /** Bytes in use (rounded up). */
  get byteLength(): number {
    return (this.bits + 7) >>> 3;
  }

  /** Forget the content, keeping the slot. */
  reset(): void {
    this.buf.fill(0, this.base, this.base + this.byteLength);
    this.bits = 0;
  }

  /** Give the slot back to the arena (the writer must not be used afterwards). */
  release(): void {
    this.reset();
    this.#arena.free(this.buf, this.base, this.capacity);
    this.capacity = 0;
  }

  writeBit(bit: number): void {
    const idx = this.bits >>> 3;
    if (idx >= this.capacity) this.#grow();
    if (bit !== 0) this.buf[this.base + idx]! |= 0x80 >>> (this.bits & 7);
    this.bits++;
  }

  /** Write the low n bits of v (0 <= n <= 32), most significant first. */
  writeBits(v: number, n: number): void {
    let bits = this.bits;
    if ((bits + n + 7) >>> 3 > this.capacity) this.#grow();
    const buf = this.buf;
    const base = this.base;
    while (n > 0) {
      const idx = base + (bits >>> 3);
      const free = 8 - (bits & 7);
      const take = n < free ? n : free;
      n -= take;
      const chunk = (v >>> n) & ((1 << take) - 1);
      buf[idx]! |= chunk << (free - take);
      bits += take;
    }
    this.bits = bits;
  }

  /** The written bytes as a compact one-byte string (for closed chunks). */
  toLatin1(): string {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + this.base, this.byteLength).toString('latin1');
  }

  #grow(): void {
    if (this.capacity >= HeadArena.maxSlot) {
      // Beyond the largest slot (only reachable with a chunk byte limit above it): a private buffer.
      const own = new Uint8Array(this.capacity * 2);
      own.set(this.buf.subarray(this.base, this.base + this.capacity));
      this.#arena.free(this.buf, this.base, this.capacity);
      this.buf.fill(0, this.base, this.base + this.capacity);
      this.buf = own;
      this.base = 0;
      this.capacity = own.length;
      return;
    }
    const [page, base, cap] = this.#arena.alloc(this.capacity * 2);
    page.set(this.buf.subarray(this.base, this.base + this.byteLength), base);
    this.buf.fill(0, this.base, this.base + this.byteLength);
    this.#arena.free(this.buf, this.base, this.capacity);
    this.buf = page;
    this.base = base;
    this.capacity = cap;
  }
}
