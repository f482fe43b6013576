import type { Labels } from '../labels.ts';

/** One element of an instant vector. */
export interface VectorSample {
  labels: Labels;
  value: number;
}

export type Vector = VectorSample[];

/** One series of a range result: values at the evaluation steps where it had one. */
export interface RangeSeries {
  labels: Labels;
  /** Step timestamps (ms). */
  t: number[];
  v: number[];
}

export type Matrix = RangeSeries[];

/**
 * Which Prometheus version's semantics to follow where they differ: range selectors are left-open
 * `(t-range, t]` since 3.0 and closed `[t-range, t]` before (also the lookback window of instant
 * selectors), and rate's zero-point clamp comes after the extrapolation threshold since 3.0.
 */
export type PromCompat = 'v2' | 'v3';

export interface EvalOptions {
  /** How far back an instant selector looks for the latest sample (default 5 min). */
  lookbackMs?: number;
  /** Default 'v3'. */
  compat?: PromCompat;
}
