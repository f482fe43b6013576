import type { TailRecord } from '../events/records.ts';

/** Named limits on user-supplied patterns (docs/live-tail.md). */
export const FILTER_LIMITS = {
  /** Longest regular expression accepted in any filter field. */
  maxPatternLength: 512,
  /** Most include or exclude patterns per filter. */
  maxPatterns: 10,
} as const;

export interface TailFilterSpec {
  namespace?: string;
  /** A function name, or a regular expression matched against the whole name. */
  function?: string;
  /** A regular expression matched against the whole pod name. */
  pod?: string;
  container?: string;
  stream?: 'stdout' | 'stderr' | 'combined';
  /** Only exceptions, error responses (5xx, 408), error-level lines and gap markers. */
  errorsOnly?: boolean;
  /** Every pattern must match somewhere in the line (or the exception's text). */
  include?: string[];
  /** No pattern may match. */
  exclude?: string[];
}

export class FilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterError';
  }
}

// Nested quantifiers such as (a+)+ or (a*)* can take exponential time on a crafted line.
const NESTED_QUANTIFIER = /\([^()]*[+*][^()]*\)\s*[+*{]/;

export function compilePattern(p: string, field: string, anchored: boolean): RegExp {
  if (p.length > FILTER_LIMITS.maxPatternLength) throw new FilterError(`${field}: pattern longer than ${FILTER_LIMITS.maxPatternLength} characters`);
  if (NESTED_QUANTIFIER.test(p)) throw new FilterError(`${field}: nested quantifiers like (a+)+ are not allowed`);
  try {
    return new RegExp(anchored ? `^(?:${p})$` : p);
  } catch (e) {
    throw new FilterError(`${field}: invalid regular expression: ${(e as Error).message}`);
  }
}

const PLAIN_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const ERROR_LEVEL = /\b(?:ERROR|Error|CRITICAL|FATAL|Fatal|panic)\b/;

function isErrorish(r: TailRecord): boolean {
  if (r.kind !== 'line') return true;
  if (r.access) return r.access.status >= 500 || r.access.status === 408;
  return ERROR_LEVEL.test(r.text);
}

function searchText(r: TailRecord): string {
  if (r.kind === 'line') return r.text;
  if (r.kind === 'gap') return r.reason;
  return r.lines.join('\n');
}

/** A compiled tail filter. `functionKey` is set when it follows exactly one function (for indexing). */
export class TailFilter {
  readonly spec: TailFilterSpec;
  readonly functionKey: string | undefined;
  readonly #fnName: string | undefined;
  readonly #fnRe: RegExp | undefined;
  readonly #podRe: RegExp | undefined;
  readonly #include: RegExp[];
  readonly #exclude: RegExp[];

  constructor(spec: TailFilterSpec) {
    this.spec = spec;
    for (const k of ['include', 'exclude'] as const) {
      if ((spec[k]?.length ?? 0) > FILTER_LIMITS.maxPatterns) throw new FilterError(`${k}: at most ${FILTER_LIMITS.maxPatterns} patterns`);
    }
    if (spec.function !== undefined && spec.function !== '') {
      if (PLAIN_NAME.test(spec.function)) this.#fnName = spec.function;
      else this.#fnRe = compilePattern(spec.function, 'function', true);
    }
    this.#podRe = spec.pod ? compilePattern(spec.pod, 'pod', true) : undefined;
    this.#include = (spec.include ?? []).map((p) => compilePattern(p, 'include', false));
    this.#exclude = (spec.exclude ?? []).map((p) => compilePattern(p, 'exclude', false));
    this.functionKey = this.#fnName !== undefined && spec.namespace ? `${spec.namespace}/${this.#fnName}` : undefined;
  }

  matches(r: TailRecord): boolean {
    const s = this.spec;
    if (s.namespace && r.namespace !== s.namespace) return false;
    if (this.#fnName !== undefined && r.function !== this.#fnName) return false;
    if (this.#fnRe && !this.#fnRe.test(r.function)) return false;
    if (this.#podRe && !this.#podRe.test(r.pod)) return false;
    if (s.container && r.container !== s.container) return false;
    if (s.stream && r.kind !== 'gap' && r.stream !== s.stream) return false;
    if (s.errorsOnly && !isErrorish(r)) return false;
    if (this.#include.length > 0 || this.#exclude.length > 0) {
      if (r.kind === 'gap') return true; // gaps always show, so a client knows
      const text = searchText(r);
      for (const re of this.#include) if (!re.test(text)) return false;
      for (const re of this.#exclude) if (re.test(text)) return false;
    }
    return true;
  }
}

/** A filter from URL query parameters (the tail WebSocket and /api/v1/logs share them). */
export function filterSpecFromQuery(q: URLSearchParams): TailFilterSpec {
  const spec: TailFilterSpec = {};
  const one = (k: string): string | undefined => q.get(k) ?? undefined;
  const ns = one('namespace');
  if (ns) spec.namespace = ns;
  const fn = one('function');
  if (fn) spec.function = fn;
  const pod = one('pod');
  if (pod) spec.pod = pod;
  const container = one('container');
  if (container) spec.container = container;
  const stream = one('stream');
  if (stream !== undefined && stream !== '') {
    if (stream !== 'stdout' && stream !== 'stderr' && stream !== 'combined') throw new FilterError('stream must be stdout, stderr or combined');
    spec.stream = stream;
  }
  const errors = one('errors');
  if (errors === 'true' || errors === '1') spec.errorsOnly = true;
  const include = q.getAll('include').concat(q.getAll('grep'));
  if (include.length > 0) spec.include = include;
  const exclude = q.getAll('exclude');
  if (exclude.length > 0) spec.exclude = exclude;
  return spec;
}
