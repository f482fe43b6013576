/** The in-memory time-series store. See docs/store.md. */
export { MemStore } from './store.ts';
export type { GcResult, StoreOptions, StoreTap } from './store.ts';
export type { Appender, AppendResult } from './appender.ts';
export type { Querier, SamplesOptions } from './querier.ts';
export type { SeriesRef } from './series.ts';
export { SampleBuffer } from './sample-buffer.ts';
export type { MemoryUsage, StoreStats } from './stats.ts';
export { CompiledMatcher, eq, neq, re, nre, parseSelector } from './matchers.ts';
export type { Matcher, MatchType } from './matchers.ts';
export {
  METRIC_NAME,
  formatLabels,
  getLabel,
  labelsFromPairs,
  labelsFromRecord,
  labelsKey,
  labelsToRecord,
  onlyLabels,
  sortLabels,
  withoutLabels,
} from './labels.ts';
export type { Labels } from './labels.ts';
export { STALE_NAN, isStaleNaN } from './float-bits.ts';
export { Evaluator, evalRange, sumBy, sumWithout, histogramQuantile, bucketQuantile, extrapolatedRate } from './promql/index.ts';
export type { Bucket, EvalOptions, Matrix, PromCompat, RangeSeries, Vector, VectorSample } from './promql/index.ts';
