/**
 * A small runner for Prometheus's PromQL test language (load / eval instant / clear), enough for
 * the expressions in testdata/promql/: selectors, rate/increase/delta, sum by, histogram_quantile.
 * Expressions outside that set are reported as skipped.
 */
import {
  Evaluator,
  MemStore,
  STALE_NAN,
  histogramQuantile,
  labelsFromPairs,
  parseSelector,
  sumBy,
  type Labels,
  type Matcher,
  type PromCompat,
  type Vector,
} from '../../../collector/src/store/index.ts';

export interface CaseResult {
  line: number;
  expr: string;
  status: 'pass' | 'fail' | 'skip';
  detail?: string;
}

function duration(s: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(s);
  if (!m) throw new Error(`bad duration ${s}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

function num(s: string): number {
  if (/^[+-]?inf$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(s)) return NaN;
  if (s.includes('/')) {
    const [a, b] = s.split('/');
    return Number(a) / Number(b);
  }
  return Number(s);
}

/** Expand `0+10x10`, `1 2 3`, `_`, `stale` into values (undefined: no sample). */
function expandValues(spec: string): Array<number | 'stale' | undefined> {
  const out: Array<number | 'stale' | undefined> = [];
  for (const tok of spec.trim().split(/\s+/)) {
    if (tok === '') continue;
    const m = /^([-+]?[^+\-x]+)(?:([+-])([^x]+))?x(\d+)$/.exec(tok);
    if (m) {
      const a = m[1] === '_' ? undefined : num(m[1]!);
      const b = m[3] === undefined ? 0 : num(m[3]) * (m[2] === '-' ? -1 : 1);
      for (let i = 0; i <= Number(m[4]); i++) out.push(a === undefined ? undefined : a + i * b);
    } else if (tok === '_') out.push(undefined);
    else if (tok === 'stale') out.push('stale');
    else out.push(num(tok));
  }
  return out;
}

/** `name{a="b", c="d"}` → labels (sorted, with __name__). */
function parseSeries(s: string): Labels {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(?:\{(.*)\})?$/.exec(s.trim());
  if (!m) throw new Error(`bad series ${s}`);
  const pairs: Array<[string, string]> = [];
  for (const lm of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"/g)) pairs.push([lm[1]!, lm[2]!]);
  return labelsFromPairs(pairs, m[1]);
}

type Evalf = (ev: Evaluator, t: number) => Vector;

/** The supported subset of PromQL, or undefined. */
function compile(expr: string): Evalf | undefined {
  const e = expr.trim();
  const SEL = '([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?|\\{[^}]*\\})';
  const fn = new RegExp(`^(rate|increase|delta)\\(${SEL}\\[(\\w+)\\]\\)$`).exec(e);
  if (fn) {
    const ms = parseSelector(fn[2]!);
    const r = duration(fn[3]!);
    const f = fn[1] as 'rate' | 'increase' | 'delta';
    return (ev, t) => ev[f](ms, r, t);
  }
  const sumby = /^sum\s*(?:by\s*\(([^)]*)\)\s*\((.*)\)|\((.*)\)\s*by\s*\(([^)]*)\))$/.exec(e);
  if (sumby) {
    const labels = (sumby[1] ?? sumby[4]!).split(',').map((x) => x.trim()).filter(Boolean);
    const inner = compile(sumby[2] ?? sumby[3]!);
    return inner && ((ev, t) => sumBy(inner(ev, t), labels));
  }
  const hq = /^histogram_quantile\(\s*([^,]+),\s*(.*)\)$/.exec(e);
  if (hq) {
    const q = num(hq[1]!.trim().replace(/\.$/, '').replace(/\.\//, '/'));
    const inner = compile(hq[2]!);
    return inner && ((ev, t) => histogramQuantile(q, inner(ev, t)));
  }
  if (new RegExp(`^${SEL}$`).test(e)) {
    let ms: Matcher[];
    try {
      ms = parseSelector(e);
    } catch {
      return undefined;
    }
    return (ev, t) => ev.instant(ms, t);
  }
  return undefined;
}

function close(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
}

/** Run a test file's text; each eval is one CaseResult. */
export function runPromqlTest(text: string, compat: PromCompat = 'v3'): CaseResult[] {
  const lines = text.split('\n');
  let store = new MemStore({ retentionMs: 1e12 });
  const results: CaseResult[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!.trim();
    i++;
    if (line === '' || line.startsWith('#')) continue;
    if (line === 'clear') {
      store = new MemStore({ retentionMs: 1e12 });
      continue;
    }
    const load = /^load(?:_with_nhcb)?\s+(\w+)$/.exec(line);
    if (load) {
      const step = duration(load[1]!);
      const app = store.appender();
      while (i < lines.length && /^\s+\S/.test(lines[i]!)) {
        const l = lines[i++]!.trim();
        const m = /^(\S+?(?:\{[^}]*\})?)\s+(.*)$/.exec(l)!;
        const labels = parseSeries(m[1]!);
        expandValues(m[2]!).forEach((v, k) => {
          if (v === undefined) return;
          app.append(labels, k * step, v === 'stale' ? STALE_NAN : v);
        });
      }
      app.commit();
      continue;
    }
    const ev = /^eval(?:_warn|_info|_fail)?\s+instant\s+at\s+(\w+)\s+(.*)$/.exec(line);
    if (!ev) throw new Error(`unsupported line ${i}: ${line}`);
    const at = duration(ev[1]!);
    const expr = ev[2]!;
    const expected: Array<{ labels: Labels; value: number }> = [];
    while (i < lines.length && /^\s+\S/.test(lines[i]!) && !lines[i]!.trim().startsWith('expect')) {
      const l = lines[i++]!.trim();
      const m = /^(.*\S)\s+(\S+)$/.exec(l)!;
      expected.push({ labels: parseSeries(m[1]!), value: num(m[2]!) });
    }
    const f = compile(expr);
    if (f === undefined) {
      results.push({ line: i, expr, status: 'skip' });
      continue;
    }
    const got = f(new Evaluator(store.querier(), { compat }), at);
    const key = (l: Labels): string => JSON.stringify(l);
    const gotMap = new Map(got.map((s) => [key(s.labels), s.value]));
    let detail: string | undefined;
    if (gotMap.size !== expected.length) detail = `expected ${expected.length} results, got ${JSON.stringify(got)}`;
    for (const e of expected) {
      const v = gotMap.get(key(e.labels));
      if (v === undefined || !close(v, e.value)) detail ??= `${key(e.labels)}: expected ${e.value}, got ${v}`;
    }
    results.push({ line: i, expr, status: detail === undefined ? 'pass' : 'fail', ...(detail === undefined ? {} : { detail }) });
  }
  return results;
}
