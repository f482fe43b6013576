import type { Labels } from '../store/index.ts';

/**
 * Where the store reports each sample it accepted, at commit, in the order it stored them (so in time
 * order per series). Labels are the series' own flat array `[name, value, …]`, sorted by name, with
 * `__name__`; the same array (same identity) for every sample of a series, so a consumer may cache
 * per-series work keyed by it. Staleness markers come through `stale`, not as a NaN value, because a
 * NaN's payload may not survive being passed around as a number. Implementations must not throw and
 * must return quickly: they run inside the store's commit.
 */
export interface SampleTap {
  sample(labels: Labels, t: number, v: number): void;
  stale(labels: Labels, t: number): void;
}
