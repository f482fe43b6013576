/**
 * Reads one scrape of a Kubeless function pod into call/failure/latency totals, whatever the runtime's
 * metric shape (see docs/metrics.md):
 * - python, nodejs, go, proxy runtimes, java: function_calls_total, function_failures_total,
 *   function_duration_seconds histogram (labels vary: method, "<mod>-<METHOD>", none);
 * - dotnet: kubeless_calls_total{status}, kubeless_function_duration_seconds histogram.
 */
export interface TargetTotals {
  calls: number;
  failures: number;
  /** Upper bound ("le") → cumulative count, summed over every other label. */
  buckets: Map<number, number>;
  durationSum: number;
  durationCount: number;
  /** True when any call series was present in the scrape. */
  seen: boolean;
}

export function emptyTotals(): TargetTotals {
  return { calls: 0, failures: 0, buckets: new Map(), durationSum: 0, durationCount: 0, seen: false };
}

function parseLe(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  if (le === '+Inf') return Number.POSITIVE_INFINITY;
  const v = Number(le);
  return Number.isNaN(v) ? undefined : v;
}

/** Add one scraped sample to the totals; samples of other metrics are ignored. */
export function addSample(t: TargetTotals, name: string, labels: Readonly<Record<string, string>>, value: number): void {
  if (!Number.isFinite(value)) return;
  switch (name) {
    case 'function_calls_total':
      t.calls += value;
      t.seen = true;
      return;
    case 'function_failures_total':
      t.failures += value;
      return;
    case 'kubeless_calls_total': {
      t.calls += value;
      t.seen = true;
      const status = labels['status'] ?? '';
      if (status.startsWith('5') || status === '408') t.failures += value;
      return;
    }
    case 'function_duration_seconds_bucket':
    case 'kubeless_function_duration_seconds_bucket': {
      const le = parseLe(labels['le']);
      if (le !== undefined) t.buckets.set(le, (t.buckets.get(le) ?? 0) + value);
      return;
    }
    case 'function_duration_seconds_sum':
    case 'kubeless_function_duration_seconds_sum':
      t.durationSum += value;
      return;
    case 'function_duration_seconds_count':
    case 'kubeless_function_duration_seconds_count':
      t.durationCount += value;
      return;
    default:
      return;
  }
}

/** The metric names addSample reads: a scrape can skip every other family cheaply. */
export const FUNCTION_METRIC_NAMES: ReadonlySet<string> = new Set([
  'function_calls_total',
  'function_failures_total',
  'kubeless_calls_total',
  'function_duration_seconds_bucket',
  'kubeless_function_duration_seconds_bucket',
  'function_duration_seconds_sum',
  'kubeless_function_duration_seconds_sum',
  'function_duration_seconds_count',
  'kubeless_function_duration_seconds_count',
]);
