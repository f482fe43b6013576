import { series } from './selectors.ts';

/**
 * Where a function's RED numbers come from. Each runtime shape of the Kubeless contract lands in one
 * source, and every per-function expression picks ONE source per function, in priority order, so a
 * mixed cluster sees every function exactly once:
 *
 * calls and errors: 1. access lines (`fnscope_function_responses_total`, errors = 5xx and 408: the only
 *   source that sees python timeouts and the 500s proxy runtimes swallow), 2. the runtime's own counters
 *   (`function_calls_total` / `function_failures_total`: python, nodejs, go, proxies, java),
 *   3. dotnet's `kubeless_calls_total{status}`.
 * latency: 1. the runtime histogram `function_duration_seconds`, 2. dotnet's
 *   `kubeless_function_duration_seconds`, 3. the access-line histogram
 *   `fnscope_function_response_duration_seconds`.
 */
export const METRICS = {
  responses: 'fnscope_function_responses_total',
  responseDuration: 'fnscope_function_response_duration_seconds',
  calls: 'function_calls_total',
  failures: 'function_failures_total',
  duration: 'function_duration_seconds',
  dotnetCalls: 'kubeless_calls_total',
  dotnetDuration: 'kubeless_function_duration_seconds',
} as const;

/** HTTP statuses that count against availability: server errors and timeouts. */
export const ERROR_CODES_RE = '5..|408';
export const TIMEOUT_CODE = '408';

export interface ChainOptions {
  /** Range of rate(): a PromQL duration or a Grafana variable such as `$__rate_interval`. */
  window: string;
  /** Labels kept; must include namespace and function. Adding `method` normalises method values. */
  by: readonly string[];
  /** Label matchers applied to every raw series (the function selector, dashboard filters). */
  matchers: readonly string[];
}

const OR_FUNCTION = 'or on (namespace, function)';

function sumRate(metric: string, extra: readonly string[], o: ChainOptions, by: readonly string[] = o.by): string {
  return `sum by (${by.join(', ')}) (rate(${series(metric, [...o.matchers, ...extra])}[${o.window}]))`;
}

/** Terms in priority order: each later term only adds functions no earlier term has. */
export function firstPerFunction(terms: readonly string[]): string {
  return terms.join(`\n${OR_FUNCTION}\n`);
}

/** `errors`, or zero for every label set that has calls but no error series (yet). */
function errorsOrZero(errors: string, calls: string): string {
  return `(\n  ${errors}\n  or\n  0 * ${calls}\n)`;
}

/**
 * Method values differ per runtime: nodejs writes `<module>-<METHOD>`, java and dotnet have none.
 * Normalise to the bare HTTP method, or "any" where the runtime does not say.
 */
function normaliseMethod(expr: string, o: ChainOptions, shape: 'prefixed' | 'none'): string {
  if (!o.by.includes('method')) return expr;
  const filled = (e: string): string => `label_replace(${e}, "method", "any", "method", "")`;
  if (shape === 'none') return filled(expr);
  return filled(`label_replace(${expr}, "method", "$1", "method", ".+-([A-Z]+)")`);
}

/** Calls per second. */
export function callsRate(o: ChainOptions): string {
  return firstPerFunction([
    sumRate(METRICS.responses, [], o),
    normaliseMethod(sumRate(METRICS.calls, [], o), o, 'prefixed'),
    normaliseMethod(sumRate(METRICS.dotnetCalls, [], o), o, 'none'),
  ]);
}

/** Failed calls per second (5xx and 408 where status codes are known), zero rather than absent. */
export function errorsRate(o: ChainOptions): string {
  return firstPerFunction([
    errorsOrZero(sumRate(METRICS.responses, [`code=~"${ERROR_CODES_RE}"`], o), sumRate(METRICS.responses, [], o)),
    normaliseMethod(errorsOrZero(sumRate(METRICS.failures, [], o), sumRate(METRICS.calls, [], o)), o, 'prefixed'),
    normaliseMethod(
      errorsOrZero(sumRate(METRICS.dotnetCalls, [`status=~"${ERROR_CODES_RE}"`], o), sumRate(METRICS.dotnetCalls, [], o)),
      o,
      'none',
    ),
  ]);
}

/**
 * Timed-out calls per second (HTTP 408). Known only from access lines and dotnet's status label:
 * absent for functions that have neither.
 */
export function timeoutsRate(o: ChainOptions): string {
  return firstPerFunction([
    errorsOrZero(sumRate(METRICS.responses, [`code="${TIMEOUT_CODE}"`], o), sumRate(METRICS.responses, [], o)),
    normaliseMethod(
      errorsOrZero(sumRate(METRICS.dotnetCalls, [`status="${TIMEOUT_CODE}"`], o), sumRate(METRICS.dotnetCalls, [], o)),
      o,
      'none',
    ),
  ]);
}

/** `le` values normalised to the shortest decimal ("1.0" → "1") so thresholds match every client. */
function normaliseLe(expr: string): string {
  return `label_replace(${expr}, "le", "$1", "le", "(.+)\\\\.0")`;
}

function bucketTerm(metric: string, o: ChainOptions): string {
  const sel = series(`${metric}_bucket`, o.matchers);
  return `sum by (${[...o.by, 'le'].join(', ')}) (${normaliseLe(`rate(${sel}[${o.window}])`)})`;
}

/** Histogram bucket rates by `o.by` + `le`, ready for histogram_quantile(). */
export function bucketRate(o: ChainOptions): string {
  return firstPerFunction([
    normaliseMethod(bucketTerm(METRICS.duration, o), o, 'prefixed'),
    normaliseMethod(bucketTerm(METRICS.dotnetDuration, o), o, 'none'),
    bucketTerm(METRICS.responseDuration, o),
  ]);
}
