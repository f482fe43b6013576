export { Evaluator, evalRange } from './evaluator.ts';
export { sumBy, sumWithout, histogramQuantile } from './aggregate.ts';
export { bucketQuantile } from './quantile.ts';
export type { Bucket } from './quantile.ts';
export { extrapolatedRate } from './rate.ts';
export type { EvalOptions, Matrix, PromCompat, RangeSeries, Vector, VectorSample } from './types.ts';
