/**
 * Runs a refresh now and then every intervalMs while the tab is visible; never overlaps runs;
 * stop() aborts the one in flight.
 */
export class Poller {
  readonly #fn: (signal: AbortSignal) => Promise<void>;
  readonly #intervalMs: number;
  #timer: number | undefined;
  #abort: AbortController | undefined;
  #running = false;
  #stopped = true;
  readonly #onVisible = (): void => {
    if (!document.hidden && this.#timer === undefined && !this.#running && !this.#stopped) void this.#tick();
  };

  constructor(fn: (signal: AbortSignal) => Promise<void>, intervalMs: number) {
    this.#fn = fn;
    this.#intervalMs = intervalMs;
  }

  start(): this {
    this.#stopped = false;
    document.addEventListener('visibilitychange', this.#onVisible);
    void this.#tick();
    return this;
  }

  /** Refresh now (e.g. after a user action), then keep the interval. */
  now(): void {
    if (this.#stopped || this.#running) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    void this.#tick();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort?.abort();
    document.removeEventListener('visibilitychange', this.#onVisible);
  }

  async #tick(): Promise<void> {
    this.#timer = undefined;
    if (this.#stopped) return;
    if (document.hidden) return; // resumed by visibilitychange
    this.#running = true;
    this.#abort = new AbortController();
    try {
      await this.#fn(this.#abort.signal);
    } catch (e) {
      if ((e as Error).name !== 'AbortError') console.warn('refresh failed', e);
    } finally {
      this.#running = false;
    }
    if (!this.#stopped) this.#timer = window.setTimeout(() => void this.#tick(), this.#intervalMs);
  }
}
