/**
 * histogram_quantile over cumulative buckets, with Prometheus's interpolation: linear within the
 * bucket that holds the rank, the lowest bucket interpolated from 0 (when its bound is positive),
 * and the +Inf bucket answered with the highest finite bound. Buckets must be sorted by bound.
 */
export function bucketQuantile(q: number, bounds: readonly number[], cumulative: readonly number[]): number {
  const n = bounds.length;
  if (n < 2 || bounds[n - 1] !== Number.POSITIVE_INFINITY) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  // Ensure monotonic counts, as Prometheus does for slightly inconsistent scrapes.
  const counts = new Array<number>(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    max = Math.max(max, cumulative[i] ?? 0);
    counts[i] = max;
  }
  const total = counts[n - 1]!;
  if (total === 0) return Number.NaN;
  const rank = q * total;
  let b = 0;
  while (b < n - 1 && counts[b]! < rank) b++;
  if (b === n - 1) return bounds[n - 2]!;
  const upper = bounds[b]!;
  let lower = 0;
  let countBelow = 0;
  if (b > 0) {
    lower = bounds[b - 1]!;
    countBelow = counts[b - 1]!;
  } else if (upper <= 0) {
    return upper;
  }
  const inBucket = counts[b]! - countBelow;
  if (inBucket === 0) return upper;
  return lower + (upper - lower) * ((rank - countBelow) / inBucket);
}
