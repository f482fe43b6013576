import type { FunctionStats } from '../aggregate/index.ts';
import type { FunctionDetail, FunctionView, TargetView } from '../api/types.ts';
import type { FunctionInfo, ProviderState } from '../discovery/types.ts';
import type { ScrapeLoop } from '../scrape/loop.ts';

const STATS_WINDOW_MS = 60_000;

function loopsByFunction(loops: readonly ScrapeLoop[]): Map<string, ScrapeLoop[]> {
  const m = new Map<string, ScrapeLoop[]>();
  for (const l of loops) {
    const k = `${l.target.namespace}/${l.target.function}`;
    let arr = m.get(k);
    if (!arr) m.set(k, (arr = []));
    arr.push(l);
  }
  return m;
}

function podOf(l: ScrapeLoop): string {
  return l.target.labels.find(([k]) => k === 'pod')?.[1] ?? '';
}

export function functionView(fn: FunctionInfo, loops: readonly ScrapeLoop[], stats: FunctionStats, now: number): FunctionView {
  return {
    namespace: fn.namespace,
    name: fn.name,
    framework: fn.framework,
    runtime: fn.runtime ?? '',
    handler: fn.handler ?? '',
    timeoutSeconds: fn.timeoutSeconds,
    hasFunctionObject: fn.hasFunctionObject,
    annotations: fn.annotations,
    pods: {
      ready: fn.pods.filter((p) => p.ready).length,
      total: fn.pods.length,
      restarts: fn.pods.reduce((n, p) => n + p.restarts, 0),
    },
    targets: { up: loops.filter((l) => l.report().health === 'up').length, total: loops.length },
    rates: stats.rates(fn.namespace, fn.name, now, STATS_WINDOW_MS),
  };
}

/** Every function of the inventory, joined with its scrape health and rates. */
export function functionViews(inventory: readonly FunctionInfo[], loops: readonly ScrapeLoop[], stats: FunctionStats, now: number): FunctionView[] {
  const byFn = loopsByFunction(loops);
  return inventory
    .map((fn) => functionView(fn, byFn.get(`${fn.namespace}/${fn.name}`) ?? [], stats, now))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

export function functionDetail(
  fn: FunctionInfo,
  loops: readonly ScrapeLoop[],
  stats: FunctionStats,
  q: { since: number; step: number; window: number },
  now: number,
): FunctionDetail {
  const mine = loops.filter((l) => l.target.namespace === fn.namespace && l.target.function === fn.name);
  const byPod = new Map(mine.map((l) => [podOf(l), l]));
  const from = now - q.since;
  return {
    ...functionView(fn, mine, stats, now),
    podList: fn.pods.map((p) => {
      const loop = byPod.get(p.name);
      const health = loop?.report().health;
      return {
        name: p.name,
        uid: p.uid,
        node: p.node ?? '',
        phase: p.phase,
        ready: p.ready,
        restarts: p.restarts,
        up: health === undefined || health === 'unknown' ? null : health === 'up',
        rates: stats.rates(fn.namespace, fn.name, now, STATS_WINDOW_MS, p.name),
      };
    }),
    history: {
      since: q.since,
      step: q.step,
      window: q.window,
      points: stats.history(fn.namespace, fn.name, from, now, q.step, q.window).map((p) => ({ ...p, t: p.t / 1000 })),
    },
  };
}

export function targetViews(loops: readonly ScrapeLoop[]): TargetView[] {
  return loops
    .map((l) => {
      const r = l.report();
      return {
        scrapeUrl: l.target.url,
        labels: Object.fromEntries(l.target.labels),
        health: r.health,
        lastScrape: r.lastScrape === null ? null : new Date(r.lastScrape).toISOString(),
        lastScrapeDurationSeconds: r.lastDurationMs === null ? null : r.lastDurationMs / 1000,
        lastError: r.lastError,
        samples: r.samples,
        badLines: r.badLines,
      };
    })
    .sort((a, b) => a.scrapeUrl.localeCompare(b.scrapeUrl));
}

export function discoveryViews(providers: readonly ProviderState[]): Array<{ name: string; synced: boolean; lastSync: string | null; lastError: string; restarts: number }> {
  return providers.map((p) => ({ name: p.name, synced: p.synced, lastSync: p.lastSync, lastError: p.lastError, restarts: p.restarts }));
}
