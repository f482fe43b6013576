import { labelsKey, METRIC_NAME, onlyLabels, sortLabels, withoutLabels, type Labels } from '../labels.ts';
import { bucketQuantile, type Bucket } from './quantile.ts';
import type { Vector } from './types.ts';

/** `sum by (labels) (vector)`: one sample per distinct value combination of `by`. */
export function sumBy(vec: Vector, by: readonly string[]): Vector {
  return sumGrouped(vec, (l) => sortLabels(onlyLabels(l, by)));
}

/** `sum without (labels) (vector)`: the metric name is dropped as well. */
export function sumWithout(vec: Vector, without: readonly string[]): Vector {
  return sumGrouped(vec, (l) => withoutLabels(l, [...without, METRIC_NAME]));
}

function sumGrouped(vec: Vector, group: (l: Labels) => string[]): Vector {
  const out = new Map<string, { labels: Labels; value: number }>();
  for (const s of vec) {
    const labels = group(s.labels);
    const key = labelsKey(labels);
    const g = out.get(key);
    if (g === undefined) out.set(key, { labels, value: s.value });
    else g.value += s.value;
  }
  return [...out.values()];
}

/**
 * `histogram_quantile(q, vector)` over classic buckets: samples are grouped by their labels without
 * `le` and the metric name; each group's `le` values are the bucket bounds. Samples whose `le` is
 * missing or not a number are ignored, as Prometheus does.
 */
export function histogramQuantile(q: number, vec: Vector): Vector {
  const groups = new Map<string, { labels: Labels; buckets: Bucket[] }>();
  for (const s of vec) {
    let le: string | undefined;
    const rest: string[] = [];
    for (let i = 0; i < s.labels.length; i += 2) {
      const n = s.labels[i]!;
      if (n === 'le') le = s.labels[i + 1];
      else if (n !== METRIC_NAME) rest.push(n, s.labels[i + 1]!);
    }
    if (le === undefined) continue;
    const upperBound = parseBound(le);
    if (upperBound === undefined) continue;
    const key = labelsKey(rest);
    let g = groups.get(key);
    if (g === undefined) {
      g = { labels: rest, buckets: [] };
      groups.set(key, g);
    }
    g.buckets.push({ upperBound, count: s.value });
  }
  const out: Vector = [];
  for (const g of groups.values()) out.push({ labels: g.labels, value: bucketQuantile(q, g.buckets) });
  return out;
}

/** A bucket bound as Go's strconv.ParseFloat reads it (`+Inf`, `1e0`, `.2`). */
function parseBound(s: string): number | undefined {
  const t = s.trim();
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}
