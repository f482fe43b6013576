/**
 * Merging what several replicas answered into one answer for the whole cluster. Each replica owns a
 * disjoint set of pods, so counts and rates add up; latency quantiles cannot be added, and the merge
 * keeps the highest replica's value, an upper bound of the true quantile.
 */
import type { FunctionRates } from '../aggregate/index.ts';
import type { FunctionDetail, FunctionView } from '../api/types.ts';
import type { ErrorGroupView } from '../errors/index.ts';
import type { TailRecord } from '../events/records.ts';

const SOURCE_RANK: Record<FunctionRates['source'], number> = { none: 0, 'access-log': 1, runtime: 2 };

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Rates of disjoint sets of pods, combined. */
export function mergeRates(a: FunctionRates, b: FunctionRates): FunctionRates {
  const calls = a.callsPerSecond + b.callsPerSecond;
  const errors = a.errorsPerSecond + b.errorsPerSecond;
  return {
    windowSeconds: a.windowSeconds,
    callsPerSecond: calls,
    errorsPerSecond: errors,
    errorRatio: calls > 0 ? errors / calls : a.errorRatio ?? b.errorRatio,
    timeoutsPerSecond: a.timeoutsPerSecond + b.timeoutsPerSecond,
    exceptionsPerSecond: a.exceptionsPerSecond + b.exceptionsPerSecond,
    p50: maxOrNull(a.p50, b.p50),
    p95: maxOrNull(a.p95, b.p95),
    p99: maxOrNull(a.p99, b.p99),
    source: SOURCE_RANK[a.source] >= SOURCE_RANK[b.source] ? a.source : b.source,
  };
}

function mergeFunction<T extends FunctionView>(a: T, b: T): FunctionView {
  // The Function object's facts come from a replica that saw it; pod-only views lack them.
  const main = a.hasFunctionObject || !b.hasFunctionObject ? a : b;
  return {
    ...main,
    hasFunctionObject: a.hasFunctionObject || b.hasFunctionObject,
    annotations: { ...(main === a ? b : a).annotations, ...main.annotations },
    pods: { ready: a.pods.ready + b.pods.ready, total: a.pods.total + b.pods.total, restarts: a.pods.restarts + b.pods.restarts },
    targets: { up: a.targets.up + b.targets.up, total: a.targets.total + b.targets.total },
    rates: mergeRates(a.rates, b.rates),
  };
}

/** /api/v1/functions of every replica → one list, by namespace and name. */
export function mergeFunctions(lists: readonly FunctionView[][]): FunctionView[] {
  const by = new Map<string, FunctionView>();
  for (const list of lists) {
    for (const f of list) {
      const k = `${f.namespace}/${f.name}`;
      const have = by.get(k);
      by.set(k, have ? mergeFunction(have, f) : f);
    }
  }
  return [...by.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

/**
 * /api/v1/functions/{namespace}/{name} of every replica that has the function → one detail: the
 * summary merged as in the list, every replica's pods, and the history added up point by point (each
 * replica computes the same number of points, `since / step + 1`, ending at its own "now").
 */
export function mergeFunctionDetails(details: readonly FunctionDetail[]): FunctionDetail | undefined {
  const [first, ...rest] = details;
  if (!first) return undefined;
  let out: FunctionDetail = first;
  for (const d of rest) {
    const points = out.history.points.map((p, i) => {
      const q = d.history.points[i];
      return q ? { ...mergeRates(p, q), t: p.t } : p;
    });
    out = {
      ...mergeFunction(out, d),
      podList: [...out.podList, ...d.podList].sort((a, b) => a.name.localeCompare(b.name)),
      history: { ...out.history, points },
    };
  }
  return out;
}

function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** Most samples a merged group keeps: the first occurrence and the most recent ones. */
export const MERGED_SAMPLES = 5;

function mergeGroup(a: ErrorGroupView, b: ErrorGroupView): ErrorGroupView {
  const latest = b.lastSeen > a.lastSeen ? b : a;
  const minutes = new Map<number, number>();
  for (const [m, c] of [...a.minutes, ...b.minutes]) minutes.set(m, (minutes.get(m) ?? 0) + c);
  const status = a.status === 'new' && b.status === 'new' ? 'new' : a.status === 'regressed' || b.status === 'regressed' ? 'regressed' : 'ongoing';
  const regressedAt = a.regressedAt === null ? b.regressedAt : b.regressedAt === null ? a.regressedAt : Math.max(a.regressedAt, b.regressedAt);
  const out: ErrorGroupView = {
    ...latest,
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
    count: a.count + b.count,
    functions: addCounts(a.functions, b.functions),
    pods: addCounts(a.pods, b.pods),
    minutes: [...minutes.entries()].sort((x, y) => x[0] - y[0]),
    regressedAt,
    status,
    ratePerSecond: a.ratePerSecond + b.ratePerSecond,
  };
  if (a.samples || b.samples) {
    const all = [...(a.samples ?? []), ...(b.samples ?? [])].sort((x, y) => x.time - y.time);
    out.samples = all.length <= MERGED_SAMPLES ? all : [all[0]!, ...all.slice(all.length - (MERGED_SAMPLES - 1))];
  }
  return out;
}

/** Error groups of every replica → one list: same id, one group; newest first. */
export function mergeErrorGroups(lists: readonly ErrorGroupView[][]): ErrorGroupView[] {
  const by = new Map<string, ErrorGroupView>();
  for (const list of lists) {
    for (const g of list) {
      const have = by.get(g.id);
      by.set(g.id, have ? mergeGroup(have, g) : g);
    }
  }
  return [...by.values()].sort((a, b) => b.lastSeen - a.lastSeen);
}

/** Log records of every replica → one list in time order, the newest `limit` of them. */
export function mergeLogRecords(lists: readonly TailRecord[][], limit: number): TailRecord[] {
  const all = lists.flat();
  // Stable: records of one time keep each replica's own order.
  all.sort((a, b) => a.time - b.time);
  return all.length > limit ? all.slice(all.length - limit) : all;
}
