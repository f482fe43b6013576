export { canonicalLe, eq, escapeValue, parseMatchers, series } from './selectors.ts';
export { ERROR_CODES_RE, METRICS, TIMEOUT_CODE, bucketRate, callsRate, errorsRate, firstPerFunction, timeoutsRate } from './sources.ts';
export type { ChainOptions } from './sources.ts';
