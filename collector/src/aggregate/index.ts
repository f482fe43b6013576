export { FunctionStats } from './function-stats.ts';
export type { FunctionRates, FunctionStatsOptions } from './function-stats.ts';
export { addSample, emptyTotals, FUNCTION_METRIC_NAMES } from './runtime-shapes.ts';
export type { TargetTotals } from './runtime-shapes.ts';
