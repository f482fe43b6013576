/**
 * Series names shared by the generated rules and dashboards. Recording rules follow the
 * `level:metric:operations` convention; level `fnscope` means "one series per function"
 * (labels namespace and function only).
 */

/** SLO windows in production seconds; recording rule names always carry the production name. */
export const WINDOWS = {
  '5m': 300,
  '30m': 1800,
  '1h': 3600,
  '2h': 7200,
  '6h': 21_600,
  '1d': 86_400,
  '3d': 259_200,
  '30d': 2_592_000,
} as const;

export type WindowName = keyof typeof WINDOWS;

/** Windows computed from the recorded 5m rates (traffic-weighted), in the order they are recorded. */
export const LONG_WINDOWS: readonly WindowName[] = ['30m', '1h', '2h', '6h', '1d', '3d', '30d'];

export const SLO_PERIOD: WindowName = '30d';

export const QUANTILES: readonly string[] = ['0.5', '0.95', '0.99'];

export const REC = {
  calls: 'fnscope:function_calls:rate5m',
  errors: 'fnscope:function_errors:rate5m',
  timeouts: 'fnscope:function_timeouts:rate5m',
  timeoutRatio: 'fnscope:function_timeout_ratio:rate5m',
  buckets: 'fnscope:function_duration_seconds_bucket:rate5m',
  quantile: 'fnscope:function_duration_seconds:quantile5m',
  latencyGood: 'fnscope:function_latency_good:rate5m',
  latencyTotal: 'fnscope:function_latency_total:rate5m',
  availabilityObjective: 'fnscope:function_availability_objective:ratio',
  availabilityObjectiveInventory: 'fnscope:function_availability_objective:inventory',
  latencyObjective: 'fnscope:function_latency_objective:ratio',
  latencyObjectiveInventory: 'fnscope:function_latency_objective:inventory',
  budgetRemaining: 'fnscope:function_error_budget_remaining:ratio',
} as const;

export function errorRatio(w: WindowName): string {
  return `fnscope:function_error_ratio:rate${w}`;
}

export function slowRatio(w: WindowName): string {
  return `fnscope:function_slow_ratio:rate${w}`;
}

/** Series the collector exposes on /metrics besides the scraped ones (docs/metrics.md). */
export const COLLECTOR = {
  functionInfo: 'fnscope_function_info',
  pods: 'fnscope_function_pods',
  podsReady: 'fnscope_function_pods_ready',
  restarts: 'fnscope_pod_container_restarts_total',
  sloObjective: 'fnscope_function_slo_objective',
  exceptions: 'fnscope_function_exceptions_total',
  responses: 'fnscope_function_responses_total',
  errorGroupLastSeen: 'fnscope_error_group_last_seen_timestamp_seconds',
  discoverySynced: 'fnscope_discovery_synced',
  discoveryLastSync: 'fnscope_discovery_last_sync_timestamp_seconds',
  scrapes: 'fnscope_scrapes_total',
  scrapeFailures: 'fnscope_scrape_failures_total',
  liveDropped: 'fnscope_live_dropped_total',
  up: 'up',
  scrapeDuration: 'scrape_duration_seconds',
  scrapeSamples: 'scrape_samples_scraped',
} as const;
