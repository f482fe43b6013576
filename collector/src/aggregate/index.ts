export { FunctionStats } from './function-stats.ts';
export type { FunctionRates, FunctionStatsOptions } from './function-stats.ts';
export { addByRole, addSample, emptyTotals, FUNCTION_METRIC_NAMES, resetTotals, totalsRole } from './runtime-shapes.ts';
export type { TargetTotals, TotalsRole } from './runtime-shapes.ts';
