/** Capped exponential backoff with jitter: delay n is min(max, base * 2^n) scaled by [1 - jitter, 1]. */

export interface BackoffOptions {
  /** First delay, ms (default 1000). */
  baseMs?: number;
  /** Largest delay, ms (default 60000). */
  maxMs?: number;
  /** Share of the delay that is random, 0..1 (default 0.5). */
  jitter?: number;
  /** Run this long without a failure and the next delay starts from base again (default 120000). */
  resetAfterMs?: number;
}

export class Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly jitter: number;
  readonly resetAfterMs: number;
  #attempt = 0;
  #random: () => number;

  constructor(opts: BackoffOptions = {}, random: () => number = Math.random) {
    this.baseMs = opts.baseMs ?? 1000;
    this.maxMs = opts.maxMs ?? 60_000;
    this.jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.5));
    this.resetAfterMs = opts.resetAfterMs ?? 120_000;
    this.#random = random;
  }

  /** The delay before the next attempt; each call doubles the next one until the cap. */
  next(): number {
    const raw = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    return Math.round(raw * (1 - this.jitter * this.#random()));
  }

  /** Start again from the base delay. */
  reset(): void {
    this.#attempt = 0;
  }

  get attempt(): number {
    return this.#attempt;
  }
}
