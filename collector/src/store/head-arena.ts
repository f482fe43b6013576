/**
 * Shared memory for head chunks: big pages cut into slots of 32, 64, … 2048 bytes, with a free list
 * per size, so an active series costs its bytes and not a typed array of its own (each of which
 * would cost V8 some 250 bytes of objects).
 */
const PAGE = 64 * 1024;
const MIN_SLOT = 32;
const CLASSES = 7; // 32 … 2048

export class HeadArena {
  readonly #pages: Uint8Array[][] = Array.from({ length: CLASSES }, () => []);
  readonly #bump: number[] = new Array<number>(CLASSES).fill(PAGE);
  readonly #freePage: Uint8Array[][] = Array.from({ length: CLASSES }, () => []);
  readonly #freeBase: number[][] = Array.from({ length: CLASSES }, () => []);
  #bytes = 0;
  #inUse = 0;

  /** Bytes of pages allocated. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Bytes of the slots handed out and not given back. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Largest slot size. */
  static get maxSlot(): number {
    return MIN_SLOT << (CLASSES - 1);
  }

  /** A zeroed slot of at least `size` bytes: [page, base, capacity]. */
  alloc(size: number): [Uint8Array, number, number] {
    let cls = 0;
    while ((MIN_SLOT << cls) < size && cls < CLASSES - 1) cls++;
    const cap = MIN_SLOT << cls;
    this.#inUse += cap;
    const fp = this.#freePage[cls]!;
    if (fp.length > 0) return [fp.pop()!, this.#freeBase[cls]!.pop()!, cap];
    const pages = this.#pages[cls]!;
    if (this.#bump[cls]! + cap > PAGE) {
      pages.push(new Uint8Array(PAGE));
      this.#bytes += PAGE;
      this.#bump[cls] = 0;
    }
    const base = this.#bump[cls]!;
    this.#bump[cls] = base + cap;
    return [pages[pages.length - 1]!, base, cap];
  }

  /** Return a slot; its bytes must already be zero (the head chunk clears what it wrote). */
  free(page: Uint8Array, base: number, cap: number): void {
    if (cap > HeadArena.maxSlot) return; // a private buffer, not from a page
    this.#inUse -= cap;
    let cls = 0;
    while ((MIN_SLOT << cls) < cap) cls++;
    this.#freePage[cls]!.push(page);
    this.#freeBase[cls]!.push(base);
  }
}
