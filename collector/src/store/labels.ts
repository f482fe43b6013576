/**
 * A label set: a flat array `[name0, value0, name1, value1, …]` sorted by name, with the metric name
 * as the label `__name__`. Flat arrays cost one allocation per series instead of one per label.
 */
export type Labels = readonly string[];

export const METRIC_NAME = '__name__';

/** Sort the pairs of a flat label array by name (in place) and return it. Empty values are dropped. */
export function sortLabels(flat: string[]): string[] {
  const n = flat.length >>> 1;
  let sorted = true;
  let empty = false;
  for (let i = 0; i < n; i++) {
    if (flat[2 * i + 1] === '') empty = true;
    if (i > 0 && flat[2 * i]! < flat[2 * i - 2]!) sorted = false;
  }
  if (sorted && !empty) return flat;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) if (flat[2 * i + 1] !== '') pairs.push([flat[2 * i]!, flat[2 * i + 1]!]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  flat.length = 0;
  for (const [k, v] of pairs) flat.push(k, v);
  return flat;
}

/** Labels from `{name: value}` (plus an optional metric name), sorted; empty values dropped. */
export function labelsFromRecord(rec: Readonly<Record<string, string>>, metricName?: string): string[] {
  const flat: string[] = [];
  if (metricName !== undefined) flat.push(METRIC_NAME, metricName);
  for (const [k, v] of Object.entries(rec)) flat.push(k, v);
  return sortLabels(flat);
}

/** Labels from `[name, value]` pairs (plus an optional metric name), sorted; empty values dropped. */
export function labelsFromPairs(pairs: ReadonlyArray<readonly [string, string]>, metricName?: string): string[] {
  const flat: string[] = [];
  if (metricName !== undefined) flat.push(METRIC_NAME, metricName);
  for (const [k, v] of pairs) flat.push(k, v);
  return sortLabels(flat);
}

/** `{name: value}` of a label set. */
export function labelsToRecord(labels: Labels): Record<string, string> {
  const rec: Record<string, string> = {};
  for (let i = 0; i < labels.length; i += 2) rec[labels[i]!] = labels[i + 1]!;
  return rec;
}

/** Value of a label, or '' when absent (the Prometheus convention). */
export function getLabel(labels: Labels, name: string): string {
  for (let i = 0; i < labels.length; i += 2) if (labels[i] === name) return labels[i + 1]!;
  return '';
}

/** A copy without the named labels. */
export function withoutLabels(labels: Labels, names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < labels.length; i += 2) if (!names.includes(labels[i]!)) out.push(labels[i]!, labels[i + 1]!);
  return out;
}

/** A copy with only the named labels. */
export function onlyLabels(labels: Labels, names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < labels.length; i += 2) if (names.includes(labels[i]!)) out.push(labels[i]!, labels[i + 1]!);
  return out;
}

const SEP = '\xff';
const ESC_RE = /[\xfe\xff]/g;

/**
 * Canonical key of a sorted label set: equal keys ⇔ equal label sets. Names cannot contain \xfe or
 * \xff; in values they are escaped, so the separator is unambiguous.
 */
export function labelsKey(labels: Labels): string {
  // join() makes one flat string; `+=` would leave a tree of concatenations behind the key.
  const parts = new Array<string>(labels.length);
  for (let i = 0; i < labels.length; i += 2) {
    let v = labels[i + 1]!;
    if (v.includes('\xff') || v.includes('\xfe')) v = v.replace(ESC_RE, (c) => (c === '\xfe' ? '\xfe\xfe' : '\xfe\x01'));
    parts[i] = labels[i]!;
    parts[i + 1] = v;
  }
  return parts.join(SEP);
}

/** Prometheus notation: `name{a="1", b="2"}`. */
export function formatLabels(labels: Labels): string {
  let name = '';
  const parts: string[] = [];
  for (let i = 0; i < labels.length; i += 2) {
    if (labels[i] === METRIC_NAME) name = labels[i + 1]!;
    else parts.push(`${labels[i]}=${JSON.stringify(labels[i + 1])}`);
  }
  return `${name}{${parts.join(', ')}}`;
}
