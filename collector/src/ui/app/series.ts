import type { SeriesResult } from './wire.ts';

/**
 * Per-second rates of counter series on a time grid, summed by one label (e.g. calls/s by method
 * from the runtime's function_calls_total). Each grid point t uses the samples in (t - window, t]:
 * the increase between the first and the last (a drop counts as a counter reset), divided by the
 * time between them, like PromQL's rate() without extrapolation. Null where a series has fewer than
 * two samples in the window.
 */
export function ratesBy(series: readonly SeriesResult[], by: string, grid: readonly number[], windowSeconds: number): Map<string, Array<number | null>> {
  const out = new Map<string, Array<number | null>>();
  for (const s of series) {
    const key = s.labels[by] ?? '';
    let sum = out.get(key);
    if (!sum) {
      sum = grid.map(() => null);
      out.set(key, sum);
    }
    const ts = s.values.map((p) => p[0]);
    const vs = s.values.map((p) => Number(p[1]));
    let lo = 0;
    let hi = 0;
    for (let g = 0; g < grid.length; g++) {
      const t = grid[g]!;
      while (hi < ts.length && ts[hi]! <= t) hi++;
      while (lo < hi && ts[lo]! <= t - windowSeconds) lo++;
      if (hi - lo < 2) continue;
      let inc = 0;
      for (let i = lo + 1; i < hi; i++) {
        const d = vs[i]! - vs[i - 1]!;
        inc += d >= 0 ? d : vs[i]!;
      }
      const span = ts[hi - 1]! - ts[lo]!;
      if (span <= 0 || !Number.isFinite(inc)) continue;
      sum[g] = (sum[g] ?? 0) + inc / span;
    }
  }
  return out;
}

/** Per-minute counts of the last hour on a full grid (minutes without occurrences are 0). */
export function minuteGrid(minutes: ReadonlyArray<[number, number]>, now: number): { xs: number[]; ys: number[] } {
  const end = Math.floor(now / 60_000) * 60_000;
  const byMinute = new Map(minutes.map(([t, n]) => [t, n]));
  const xs: number[] = [];
  const ys: number[] = [];
  for (let t = end - 59 * 60_000; t <= end; t += 60_000) {
    xs.push(t / 1000);
    ys.push(byMinute.get(t) ?? 0);
  }
  return { xs, ys };
}
