import { ApiError } from './envelope.ts';

/** Query-parameter parsing shared by the API routes, with the limits named in docs/api.md. */
export const API_LIMITS = {
  /** Longest range a history or series query may span. */
  maxRangeMs: 24 * 3600_000,
  /** Most points one history answer holds (range / step). */
  maxPoints: 11_000,
  /** Most series one /api/v1/series answer holds. */
  maxSeries: 10_000,
  /** Longest matcher expression accepted. */
  maxMatcherLength: 1024,
  /** Most match[] parameters per request. */
  maxMatchers: 20,
} as const;

/**
 * A duration like "5m", "30s", "1h", "250ms" or plain seconds ("90") to milliseconds.
 */
export function parseDuration(s: string, name: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(s.trim());
  if (!m) throw new ApiError('bad_data', `invalid duration for ${name}: "${s}" (use e.g. 30s, 5m, 1h)`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1000;
  return n * mult;
}

/** A time: RFC 3339, or seconds since the epoch (fractions allowed), to milliseconds. */
export function parseTime(s: string, name: string): number {
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw new ApiError('bad_data', `invalid time for ${name}: "${s}" (RFC 3339 or Unix seconds)`);
  return t;
}

export function oneParam(v: unknown, name: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
    if (v.length === 1) return v[0];
  }
  throw new ApiError('bad_data', `parameter ${name} given more than once`);
}

export function manyParams(v: unknown): string[] {
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}
