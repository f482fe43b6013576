import type { MetricType, SampleRole } from './types.ts';

/**
 * Which sample names belong to a family of a given type: the suffix after the family name decides
 * the sample's role. Returns undefined when the suffix is not one the type allows.
 */
export function suffixRole(type: MetricType, text: string, at: number, len: number): SampleRole | undefined {
  switch (type) {
    case 'counter':
      if (len === 6 && text.startsWith('_total', at)) return 'total';
      if (len === 8 && text.startsWith('_created', at)) return 'created';
      return undefined;
    case 'histogram':
      if (len === 7 && text.startsWith('_bucket', at)) return 'bucket';
      if (len === 4 && text.startsWith('_sum', at)) return 'sum';
      if (len === 6 && text.startsWith('_count', at)) return 'count';
      if (len === 8 && text.startsWith('_created', at)) return 'created';
      return undefined;
    case 'gaugehistogram':
      if (len === 7 && text.startsWith('_bucket', at)) return 'bucket';
      if (len === 5 && text.startsWith('_gsum', at)) return 'gsum';
      if (len === 7 && text.startsWith('_gcount', at)) return 'gcount';
      return undefined;
    case 'summary':
      if (len === 4 && text.startsWith('_sum', at)) return 'sum';
      if (len === 6 && text.startsWith('_count', at)) return 'count';
      if (len === 8 && text.startsWith('_created', at)) return 'created';
      return undefined;
    case 'info':
      if (len === 5 && text.startsWith('_info', at)) return 'info';
      return undefined;
    default:
      return undefined;
  }
}

/** Suffixes tried, longest first, when a sample does not belong to the family announced last. */
const SUFFIXES = ['_created', '_bucket', '_gcount', '_total', '_count', '_gsum', '_info', '_sum'];

/** Parse the type word of a `# TYPE` line. `untyped` (0.0.4) maps to `unknown`. */
export function parseTypeWord(word: string, openMetrics: boolean): MetricType | undefined {
  switch (word) {
    case 'counter':
    case 'gauge':
    case 'histogram':
    case 'summary':
      return word;
    case 'untyped':
      return openMetrics ? undefined : 'unknown';
    case 'unknown':
    case 'gaugehistogram':
    case 'stateset':
    case 'info':
      return openMetrics ? word : undefined;
    default:
      return undefined;
  }
}

export interface FamilyMatch {
  family: string;
  type: MetricType;
  role: SampleRole;
}

/**
 * Find the family of a sample name among all families typed so far in this body (the slow path,
 * taken when samples of a family are not contiguous with its TYPE line). A name that matches no
 * typed family is its own family of type `unknown`.
 */
export function findFamily(name: string, types: ReadonlyMap<string, MetricType>): FamilyMatch {
  const own = types.get(name);
  if (own !== undefined) return { family: name, type: own, role: baseRole(own, name) };
  for (const suffix of SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const family = name.slice(0, name.length - suffix.length);
    const type = types.get(family);
    if (type === undefined) continue;
    const role = suffixRole(type, name, family.length, suffix.length);
    if (role !== undefined) return { family, type, role };
  }
  return { family: name, type: 'unknown', role: 'value' };
}

/**
 * Role of a sample named exactly like its family. The Python client writes creation times in 0.0.4
 * as gauges named `<family>_created`; those are reported as `created`.
 */
export function baseRole(type: MetricType, family: string): SampleRole {
  if (type === 'gauge' && family.endsWith('_created')) return 'created';
  return 'value';
}
