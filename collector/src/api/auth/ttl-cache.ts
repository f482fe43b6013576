import type { Clock } from '../../util/clock.ts';

/** A small map whose entries expire (time from the injected clock) and whose size is bounded (oldest out). */
export class TtlCache<V> {
  readonly #clock: Clock;
  readonly #max: number;
  readonly #map = new Map<string, { v: V; until: number }>();

  constructor(clock: Clock, maxEntries: number) {
    this.#clock = clock;
    this.#max = maxEntries;
  }

  get(key: string): V | undefined {
    const e = this.#map.get(key);
    if (e === undefined) return undefined;
    if (e.until <= this.#clock.now()) {
      this.#map.delete(key);
      return undefined;
    }
    return e.v;
  }

  set(key: string, v: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.#map.delete(key);
    this.#map.set(key, { v, until: this.#clock.now() + ttlMs });
    if (this.#map.size > this.#max) {
      const oldest = this.#map.keys().next();
      if (!oldest.done) this.#map.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#map.size;
  }
}
