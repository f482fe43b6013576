/**
 * Increments of one function's counters, summed into fixed time slots (default 5 s) and kept for a
 * bounded span: enough to answer rates and quantiles over any window inside it without touching the
 * series store. Memory per function: (keep / slot) slots, each a few numbers plus one per bucket.
 */
export interface Slot {
  start: number;
  calls: number;
  failures: number;
  responses: number;
  responses5xx: number;
  responses408: number;
  exceptions: number;
  /** Bucket increments, aligned with SlotRing.bounds. */
  buckets: number[];
}

export class SlotRing {
  readonly slotMs: number;
  readonly keepMs: number;
  bounds: number[] = [];
  #slots: Slot[] = [];

  constructor(slotMs: number, keepMs: number) {
    this.slotMs = slotMs;
    this.keepMs = keepMs;
  }

  /** The slot (start, start + slotMs] holding time t (created if needed); old slots are dropped. */
  at(t: number): Slot {
    const start = Math.ceil(t / this.slotMs) * this.slotMs - this.slotMs;
    const last = this.#slots[this.#slots.length - 1];
    if (last && last.start === start) return last;
    if (last && last.start > start) {
      // Late increment: find its slot, or fold it into the oldest kept one.
      for (let i = this.#slots.length - 1; i >= 0; i--) {
        const s = this.#slots[i]!;
        if (s.start <= start) return s.start === start ? s : this.#insertAt(i + 1, start);
      }
      return this.#slots[0]!;
    }
    const slot = this.#newSlot(start);
    this.#slots.push(slot);
    const horizon = start - this.keepMs;
    let drop = 0;
    while (drop < this.#slots.length && this.#slots[drop]!.start < horizon) drop++;
    if (drop > 0) this.#slots.splice(0, drop);
    return slot;
  }

  /** Register bucket bounds (sorted); existing slots grow to match. Returns the index map. */
  alignBounds(bounds: readonly number[]): number[] {
    for (const b of bounds) {
      if (!this.bounds.includes(b)) {
        this.bounds.push(b);
      }
    }
    const sorted = [...this.bounds].sort((a, b) => a - b);
    if (sorted.some((b, i) => b !== this.bounds[i])) {
      const old = this.bounds;
      for (const s of this.#slots) {
        const next = new Array<number>(sorted.length).fill(0);
        old.forEach((b, i) => (next[sorted.indexOf(b)] = s.buckets[i] ?? 0));
        s.buckets = next;
      }
      this.bounds = sorted;
    }
    for (const s of this.#slots) while (s.buckets.length < this.bounds.length) s.buckets.push(0);
    return bounds.map((b) => this.bounds.indexOf(b));
  }

  /**
   * Slots overlapping the window (from, to], oldest first. Slots are kept in time order, so only the
   * window's are visited (a ring keeps an hour of them; a rate asks for a minute).
   */
  range(from: number, to: number): Slot[] {
    const slots = this.#slots;
    let i = slots.length;
    while (i > 0 && slots[i - 1]!.start + this.slotMs > from) i--;
    const out: Slot[] = [];
    for (; i < slots.length && slots[i]!.start < to; i++) out.push(slots[i]!);
    return out;
  }

  get size(): number {
    return this.#slots.length;
  }

  #newSlot(start: number): Slot {
    return { start, calls: 0, failures: 0, responses: 0, responses5xx: 0, responses408: 0, exceptions: 0, buckets: new Array<number>(this.bounds.length).fill(0) };
  }

  #insertAt(i: number, start: number): Slot {
    const s = this.#newSlot(start);
    this.#slots.splice(i, 0, s);
    return s;
  }
}
