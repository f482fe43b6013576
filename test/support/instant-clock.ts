import type { Clock, Timer } from '../../collector/src/util/clock.ts';

/** A Clock whose timers fire on the next macrotask whatever their delay; it records the delays asked for. */
export class InstantClock implements Clock {
  readonly delays: number[] = [];
  #now = Date.UTC(2026, 10, 22);
  now(): number {
    return this.#now;
  }
  setTimeout(fn: () => void, ms: number): Timer {
    this.delays.push(ms);
    const t = setImmediate(() => {
      this.#now += ms;
      fn();
    });
    return { cancel: () => clearImmediate(t) };
  }
  sleep(ms: number): Promise<void> {
    return new Promise((r) => this.setTimeout(r, ms));
  }
}
