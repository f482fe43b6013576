import { SlotRing, type Slot } from './slots.ts';
import type { TargetTotals } from './runtime-shapes.ts';
import { bucketQuantile } from '../store/index.ts';

/** Per-function rates over a window, answered from increments kept at ingest (no series scan). */
export interface FunctionRates {
  windowSeconds: number;
  callsPerSecond: number;
  errorsPerSecond: number;
  /** errors / calls over the window; null with no calls. */
  errorRatio: number | null;
  /** 408 answers per second (from access lines). */
  timeoutsPerSecond: number;
  exceptionsPerSecond: number;
  /** Latency quantiles in seconds from the runtime's duration histogram; null without observations. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  /** Where calls and errors came from: the runtime's counters, its access lines, or nothing yet. */
  source: 'runtime' | 'access-log' | 'none';
}

export interface FunctionStatsOptions {
  /** Width of one accumulation slot (default 5 s). */
  slotMs?: number;
  /** How far back rates and history can look (default 1 h). */
  keepMs?: number;
}

interface TargetState {
  fnKey: string;
  last: TargetTotals;
}

const key = (ns: string, fn: string): string => `${ns}/${fn}`;

function increase(cur: number, prev: number): number {
  return cur >= prev ? cur - prev : cur; // a counter that went down was reset
}

/**
 * Keeps per-function increments of calls, failures, responses and latency buckets, summed over all
 * the function's pods, so /api/v1/functions answers in microseconds at any series count.
 */
export class FunctionStats {
  readonly #slotMs: number;
  readonly #keepMs: number;
  readonly #rings = new Map<string, SlotRing>();
  readonly #targets = new Map<string, TargetState>();

  constructor(opts: FunctionStatsOptions = {}) {
    this.#slotMs = opts.slotMs ?? 5000;
    this.#keepMs = opts.keepMs ?? 3_600_000;
  }

  #ring(ns: string, fn: string, pod?: string): SlotRing {
    const k = pod === undefined ? key(ns, fn) : `${key(ns, fn)}/${pod}`;
    let r = this.#rings.get(k);
    if (!r) {
      r = new SlotRing(this.#slotMs, this.#keepMs);
      this.#rings.set(k, r);
    }
    return r;
  }

  /**
   * One scrape of one target. The first scrape of a target only sets its baseline, unless
   * baselineZero says the pod started while we watched (its counters began at zero).
   */
  observeScrape(targetId: string, ns: string, fn: string, pod: string, t: number, totals: TargetTotals, baselineZero: boolean): void {
    const prev = this.#targets.get(targetId);
    this.#targets.set(targetId, { fnKey: key(ns, fn), last: totals });
    if (!totals.seen) return;
    const base = prev?.last ?? (baselineZero ? undefined : totals);
    for (const ring of [this.#ring(ns, fn), this.#ring(ns, fn, pod)]) {
      const slot = ring.at(t);
      slot.calls += increase(totals.calls, base?.calls ?? 0);
      slot.failures += increase(totals.failures, base?.failures ?? 0);
      if (totals.buckets.size > 0) {
        const bounds = [...totals.buckets.keys()];
        const idx = ring.alignBounds(bounds);
        bounds.forEach((b, i) => {
          const cur = totals.buckets.get(b) ?? 0;
          const before = base?.buckets.get(b) ?? 0;
          slot.buckets[idx[i]!]! += increase(cur, before);
        });
      }
    }
  }

  /** A target is gone: forget its baseline (its function's history stays). */
  forgetTarget(targetId: string): void {
    this.#targets.delete(targetId);
  }

  /** A function is gone: drop its history. */
  forgetFunction(ns: string, fn: string): void {
    const k = key(ns, fn);
    for (const rk of this.#rings.keys()) if (rk === k || rk.startsWith(`${k}/`)) this.#rings.delete(rk);
    for (const [id, s] of this.#targets) if (s.fnKey === k) this.#targets.delete(id);
  }

  /** One response seen in an access line. */
  observeResponse(ns: string, fn: string, pod: string, code: number, t: number): void {
    for (const ring of [this.#ring(ns, fn), this.#ring(ns, fn, pod)]) {
      const slot = ring.at(t);
      slot.responses++;
      if (code >= 500) slot.responses5xx++;
      if (code === 408) slot.responses408++;
    }
  }

  /** One parsed exception. */
  observeException(ns: string, fn: string, pod: string, t: number): void {
    this.#ring(ns, fn).at(t).exceptions++;
    this.#ring(ns, fn, pod).at(t).exceptions++;
  }

  /** Rates of the whole function, or of one of its pods. */
  rates(ns: string, fn: string, now: number, windowMs: number, pod?: string): FunctionRates {
    const ring = this.#rings.get(pod === undefined ? key(ns, fn) : `${key(ns, fn)}/${pod}`);
    return summarize(ring, ring ? ring.range(now - windowMs, now) : [], windowMs);
  }

  /** Rates at each step in [from, to], each over windowMs ending at that step. */
  history(ns: string, fn: string, from: number, to: number, stepMs: number, windowMs: number): Array<FunctionRates & { t: number }> {
    const ring = this.#rings.get(key(ns, fn));
    const out: Array<FunctionRates & { t: number }> = [];
    for (let t = from; t <= to; t += stepMs) {
      out.push({ t, ...summarize(ring, ring ? ring.range(t - windowMs, t) : [], windowMs) });
    }
    return out;
  }
}

function summarize(ring: SlotRing | undefined, slots: Iterable<Slot>, windowMs: number): FunctionRates {
  let calls = 0;
  let failures = 0;
  let responses = 0;
  let r5xx = 0;
  let r408 = 0;
  let exceptions = 0;
  const buckets = new Array<number>(ring?.bounds.length ?? 0).fill(0);
  for (const s of slots) {
    calls += s.calls;
    failures += s.failures;
    responses += s.responses;
    r5xx += s.responses5xx;
    r408 += s.responses408;
    exceptions += s.exceptions;
    s.buckets.forEach((v, i) => (buckets[i]! += v));
  }
  const secs = windowMs / 1000;
  // Access lines see what some runtimes hide (python 408s, proxy-swallowed 500s): take the larger.
  const accessErrors = r5xx + r408;
  const source: FunctionRates['source'] = calls > 0 || responses === 0 ? (calls > 0 ? 'runtime' : 'none') : 'access-log';
  const totalCalls = Math.max(calls, responses);
  const totalErrors = Math.max(failures, accessErrors);
  // Bucket counts are cumulative already ("le"), so their increments are too.
  const observed = buckets[buckets.length - 1] ?? 0;
  const q = (p: number): number | null => {
    if (!ring || observed === 0) return null;
    const v = bucketQuantile(p, ring.bounds.map((upperBound, i) => ({ upperBound, count: buckets[i] ?? 0 })));
    return Number.isFinite(v) ? v : null;
  };
  return {
    windowSeconds: secs,
    callsPerSecond: totalCalls / secs,
    errorsPerSecond: totalErrors / secs,
    errorRatio: totalCalls > 0 ? Math.min(1, totalErrors / totalCalls) : null,
    timeoutsPerSecond: r408 / secs,
    exceptionsPerSecond: exceptions / secs,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    source,
  };
}
