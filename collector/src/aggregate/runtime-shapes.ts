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

/**
 * Zero totals for reuse, keeping the bucket bounds seen so far (as zeros, which add nothing): a scrape
 * loop alternates two totals instead of allocating one per scrape that must live until the next.
 */
export function resetTotals(t: TargetTotals): TargetTotals {
  t.calls = 0;
  t.failures = 0;
  t.durationSum = 0;
  t.durationCount = 0;
  t.seen = false;
  for (const le of t.buckets.keys()) t.buckets.set(le, 0);
  return t;
}

function parseLe(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  if (le === '+Inf') return Number.POSITIVE_INFINITY;
  const v = Number(le);
  return Number.isNaN(v) ? undefined : v;
}

const CALLS = 1;
const FAILURES = 2;
const CALLS_FAILED = 3;
const BUCKET = 4;
const SUM = 5;
const COUNT = 6;

/**
 * What the samples of one series add to the totals, worked out once per series from its name and
 * labels (`totalsRole`) so that each scrape only adds the value (`addByRole`).
 */
export interface TotalsRole {
  readonly kind: number;
  /** Upper bound of a bucket series. */
  readonly le: number;
}

const ROLE_CALLS: TotalsRole = { kind: CALLS, le: 0 };
const ROLE_FAILURES: TotalsRole = { kind: FAILURES, le: 0 };
const ROLE_CALLS_FAILED: TotalsRole = { kind: CALLS_FAILED, le: 0 };
const ROLE_SUM: TotalsRole = { kind: SUM, le: 0 };
const ROLE_COUNT: TotalsRole = { kind: COUNT, le: 0 };

/** The role of a series' samples in the totals, or undefined when they add nothing. */
export function totalsRole(name: string, labels: Readonly<Record<string, string>>): TotalsRole | undefined {
  switch (name) {
    case 'function_calls_total':
      return ROLE_CALLS;
    case 'function_failures_total':
      return ROLE_FAILURES;
    case 'kubeless_calls_total': {
      const status = labels['status'] ?? '';
      return status.startsWith('5') || status === '408' ? ROLE_CALLS_FAILED : ROLE_CALLS;
    }
    case 'function_duration_seconds_bucket':
    case 'kubeless_function_duration_seconds_bucket': {
      const le = parseLe(labels['le']);
      return le === undefined ? undefined : { kind: BUCKET, le };
    }
    case 'function_duration_seconds_sum':
    case 'kubeless_function_duration_seconds_sum':
      return ROLE_SUM;
    case 'function_duration_seconds_count':
    case 'kubeless_function_duration_seconds_count':
      return ROLE_COUNT;
    default:
      return undefined;
  }
}

/** Add one sample of a series with this role to the totals. */
export function addByRole(t: TargetTotals, role: TotalsRole, value: number): void {
  if (!Number.isFinite(value)) return;
  switch (role.kind) {
    case CALLS:
      t.calls += value;
      t.seen = true;
      return;
    case FAILURES:
      t.failures += value;
      return;
    case CALLS_FAILED:
      t.calls += value;
      t.seen = true;
      t.failures += value;
      return;
    case BUCKET:
      t.buckets.set(role.le, (t.buckets.get(role.le) ?? 0) + value);
      return;
    case SUM:
      t.durationSum += value;
      return;
    case COUNT:
      t.durationCount += value;
      return;
  }
}

/** Add one scraped sample to the totals; samples of other metrics are ignored. */
export function addSample(t: TargetTotals, name: string, labels: Readonly<Record<string, string>>, value: number): void {
  const role = totalsRole(name, labels);
  if (role !== undefined) addByRole(t, role, value);
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
