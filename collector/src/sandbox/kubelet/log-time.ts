import type { Clock } from '../../util/clock.ts';

const NS_PER_MS = 1_000_000n;
/** When the injected clock and the high-resolution offset disagree by more than this, re-anchor. */
const REANCHOR_DRIFT_NS = 1_000_000_000n;

/**
 * Nanosecond timestamps for log lines: the injected clock gives the wall time, process.hrtime gives
 * the nanoseconds between two readings of it.
 */
export class LogTime {
  readonly #clock: Clock;
  #anchorNs: bigint;
  #anchorHr: bigint;

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#anchorNs = BigInt(clock.now()) * NS_PER_MS;
    this.#anchorHr = process.hrtime.bigint();
  }

  /** Nanoseconds since the Unix epoch. */
  nowNs(): bigint {
    const hr = process.hrtime.bigint();
    const estimate = this.#anchorNs + (hr - this.#anchorHr);
    const wall = BigInt(this.#clock.now()) * NS_PER_MS;
    const drift = estimate > wall ? estimate - wall : wall - estimate;
    if (drift > REANCHOR_DRIFT_NS) {
      this.#anchorNs = wall;
      this.#anchorHr = hr;
      return wall;
    }
    return estimate;
  }
}

/** RFC 3339 in UTC with exactly nine fractional digits, so that the strings also sort in time order. */
export function formatRfc3339Nano(ns: bigint): string {
  const ms = ns / NS_PER_MS;
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const frac = ((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  return `${base}.${frac.toString().padStart(9, '0')}Z`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch of an RFC 3339 time with up to nine fractional digits; undefined if invalid. */
export function parseRfc3339Nano(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const secondsMs = Date.parse(`${m[1]!}${m[3]!}`);
  if (Number.isNaN(secondsMs)) return undefined;
  const frac = BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  return BigInt(secondsMs) * NS_PER_MS + frac;
}
