import type { RunningServe } from './serve.ts';

/** A good input for each sandbox demo function. */
export const GOOD_INPUT: Readonly<Record<string, unknown>> = {
  hello: { hello: 'world' },
  bikesearch: { term: 'park' },
  slowpoke: { pages: 1 },
  kubelesshello: { name: 'kubeless' },
  orders: { id: 'A-1001', items: [{ sku: 'BIKE-RED', qty: 1 }] },
};

/**
 * Steady calls from the test itself, through the sandbox API's service proxy: good inputs to every
 * demo function, and on demand a stream of bad inputs to one function. Unlike the sandbox's own
 * traffic generator, nothing fails unless asked to.
 */
export class SandboxTraffic {
  readonly #s: RunningServe;
  readonly #periodMs: number;
  #running = false;
  #loops: Array<Promise<void>> = [];
  #errors: { stop: boolean; done: Promise<void> } | undefined;
  /** Answers by function and status, for diagnostics. */
  readonly statuses: Record<string, Record<string, number>> = {};

  constructor(s: RunningServe, periodMs = 500) {
    this.#s = s;
    this.#periodMs = periodMs;
  }

  async #loop(fn: string, body: unknown, periodMs: number, keepGoing: () => boolean): Promise<void> {
    while (keepGoing()) {
      const started = Date.now();
      let status = 'error';
      try {
        status = String((await this.#s.invoke(fn, body)).status);
      } catch {
        // a pod restarting or the sandbox stopping: keep the rhythm
      }
      const m = (this.statuses[fn] ??= {});
      m[status] = (m[status] ?? 0) + 1;
      await new Promise((r) => setTimeout(r, Math.max(0, periodMs - (Date.now() - started))));
    }
  }

  /** Good inputs to every function, each every periodMs. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loops = Object.entries(GOOD_INPUT).map(([fn, body]) => this.#loop(fn, body, this.#periodMs, () => this.#running));
  }

  /** A bad input to fn every periodMs / 2, on top of the good ones, until stopErrors(). */
  startErrors(fn: string, body: unknown): void {
    const e = { stop: false, done: Promise.resolve() };
    e.done = this.#loop(fn, body, this.#periodMs / 2, () => !e.stop && this.#running);
    this.#errors = e;
  }

  async stopErrors(): Promise<void> {
    if (!this.#errors) return;
    this.#errors.stop = true;
    await this.#errors.done;
    this.#errors = undefined;
  }

  /** Stops every loop; waits for the calls in flight, at most waitMs. */
  async stop(waitMs = 10_000): Promise<void> {
    this.#running = false;
    if (this.#errors) this.#errors.stop = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const gaveUp = new Promise<void>((r) => (timer = setTimeout(r, waitMs)));
    await Promise.race([Promise.all([...this.#loops, this.#errors?.done]), gaveUp]);
    clearTimeout(timer);
    this.#errors = undefined;
  }
}
