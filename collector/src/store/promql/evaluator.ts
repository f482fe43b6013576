import { labelsKey, METRIC_NAME, withoutLabels } from '../labels.ts';
import type { Matcher } from '../matchers.ts';
import type { Querier } from '../querier.ts';
import type { SampleBuffer } from '../sample-buffer.ts';
import type { SeriesRef } from '../series.ts';
import { extrapolatedRate } from './rate.ts';
import type { EvalOptions, Matrix, PromCompat, Vector } from './types.ts';

interface Cached {
  mint: number;
  maxt: number;
  buf: SampleBuffer;
}

/**
 * Evaluates selectors and range functions with Prometheus semantics over a querier. Decoded series
 * are cached, so evaluating at many steps (a range query) decodes each series once: create one
 * Evaluator per query.
 *
 * ```ts
 * const ev = new Evaluator(store.querier());
 * const calls = sumBy(ev.rate([eq('__name__', 'function_calls_total')], 60_000, now), ['function']);
 * const p99 = histogramQuantile(0.99, sumBy(ev.rate([eq('__name__', 'function_duration_seconds_bucket')], 300_000, now), ['function', 'le']));
 * const chart = evalRange(now - 3600_000, now, 15_000, (t) => sumBy(ev.rate(sel, 60_000, t), ['function']));
 * ```
 */
export class Evaluator {
  readonly #q: Querier;
  readonly #lookback: number;
  readonly #compat: PromCompat;
  readonly #selected = new Map<string, SeriesRef[]>();
  readonly #decoded = new Map<SeriesRef, Cached>();

  constructor(querier: Querier, opts: EvalOptions = {}) {
    this.#q = querier;
    this.#lookback = opts.lookbackMs ?? 300_000;
    this.#compat = opts.compat ?? 'v3';
  }

  /** Instant selector at t: each series' latest sample within the lookback, unless it is stale. */
  instant(matchers: readonly Matcher[], t: number): Vector {
    const out: Vector = [];
    const from = t - this.#lookback;
    for (const s of this.#select(matchers)) {
      const buf = this.#samples(s, from, t);
      const i = upperIndex(buf, t) - 1;
      if (i < 0) continue;
      const st = buf.t[i]!;
      if (this.#compat === 'v3' ? st <= from : st < from) continue;
      if (buf.isStale(i)) continue;
      out.push({ labels: s.labels, value: buf.v[i]! });
    }
    return out;
  }

  /** `rate(sel[range])` at t, per second; the metric name is dropped. */
  rate(matchers: readonly Matcher[], rangeMs: number, t: number): Vector {
    return this.#extrapolated(matchers, rangeMs, t, true, true);
  }

  /** `increase(sel[range])` at t. */
  increase(matchers: readonly Matcher[], rangeMs: number, t: number): Vector {
    return this.#extrapolated(matchers, rangeMs, t, true, false);
  }

  /** `delta(sel[range])` at t (gauges: no reset handling). */
  delta(matchers: readonly Matcher[], rangeMs: number, t: number): Vector {
    return this.#extrapolated(matchers, rangeMs, t, false, false);
  }

  #extrapolated(matchers: readonly Matcher[], rangeMs: number, t: number, isCounter: boolean, isRate: boolean): Vector {
    const out: Vector = [];
    const start = t - rangeMs;
    for (const s of this.#select(matchers)) {
      const buf = this.#samples(s, start, t);
      const hi = upperIndex(buf, t);
      const lo = this.#compat === 'v3' ? upperIndex(buf, start) : lowerIndex(buf, start);
      if (hi - lo < 2) continue;
      const v = extrapolatedRate(buf, lo, hi, start, t, isCounter, isRate, this.#compat);
      if (v !== undefined) out.push({ labels: withoutLabels(s.labels, [METRIC_NAME]), value: v });
    }
    return out;
  }

  #select(matchers: readonly Matcher[]): SeriesRef[] {
    const key = JSON.stringify(matchers.map((m) => [m.name, m.type, m.value]));
    let s = this.#selected.get(key);
    if (s === undefined) {
      s = this.#q.select(matchers);
      this.#selected.set(key, s);
    }
    return s;
  }

  #samples(s: SeriesRef, mint: number, maxt: number): SampleBuffer {
    const c = this.#decoded.get(s);
    if (c !== undefined && c.mint <= mint && c.maxt >= maxt) return c.buf;
    // Decode a little wider than asked, so that the next steps of a range query hit the cache.
    const lo = Math.min(mint, c?.mint ?? mint);
    const hi = Math.max(maxt, c?.maxt ?? maxt);
    const buf = this.#q.samples(s, lo, hi, { includeStale: true });
    this.#decoded.set(s, { mint: lo, maxt: hi, buf });
    return buf;
  }
}

/** Index of the first sample with time > t. */
function upperIndex(buf: SampleBuffer, t: number): number {
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (buf.t[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first sample with time >= t. */
function lowerIndex(buf: SampleBuffer, t: number): number {
  let lo = 0;
  let hi = buf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (buf.t[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Range evaluation: `fn` evaluated at start, start+step, … ≤ end, its samples gathered per label set
 * (as Prometheus's query_range does).
 */
export function evalRange(start: number, end: number, step: number, fn: (t: number) => Vector): Matrix {
  if (!(step > 0)) throw new RangeError('step must be > 0');
  const series = new Map<string, { labels: readonly string[]; t: number[]; v: number[] }>();
  for (let t = start; t <= end; t += step) {
    for (const s of fn(t)) {
      const key = labelsKey(s.labels);
      let r = series.get(key);
      if (r === undefined) {
        r = { labels: s.labels, t: [], v: [] };
        series.set(key, r);
      }
      r.t.push(t);
      r.v.push(s.value);
    }
  }
  return [...series.values()];
}
