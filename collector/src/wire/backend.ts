import type { FunctionStats } from '../aggregate/index.ts';
import type { ApiBackend } from '../api/backend.ts';
import { ApiError } from '../api/envelope.ts';
import type { SeriesResult } from '../api/types.ts';
import type { DiscoveryManager } from '../discovery/index.ts';
import { labelsToRecord, parseSelector, type MemStore } from '../store/index.ts';
import type { ScrapeManager } from '../scrape/manager.ts';
import { renderScraped } from '../scrape/exposition.ts';
import { isFnscopeError } from '../util/errors.ts';
import { discoveryViews, functionDetail, functionViews, targetViews } from './views.ts';
import type { CollectorMetrics } from './metrics.ts';

export interface BackendParts {
  discovery: DiscoveryManager;
  scrape: ScrapeManager;
  stats: FunctionStats;
  store: MemStore;
  metrics: CollectorMetrics;
}

function fmt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The API backend over the running stages. */
export function createBackend(p: BackendParts): ApiBackend {
  return {
    ready: () => p.discovery.isReady(),
    functions: (now) => functionViews(p.discovery.inventory().functions, p.scrape.loops(), p.stats, now),
    functionDetail: (ns, name, q, now) => {
      const fn = p.discovery.inventory().functions.find((f) => f.namespace === ns && f.name === name);
      return fn ? functionDetail(fn, p.scrape.loops(), p.stats, q, now) : undefined;
    },
    targets: () => ({ activeTargets: targetViews(p.scrape.loops()), discovery: discoveryViews(p.discovery.state().providers) }),
    series: (q, limit) => {
      const querier = p.store.querier();
      const seen = new Set<unknown>();
      const series: SeriesResult[] = [];
      let truncated = false;
      for (const m of q.matchers) {
        let matchers;
        try {
          matchers = parseSelector(m);
        } catch (e) {
          if (isFnscopeError(e)) throw new ApiError('bad_data', e.message);
          throw e;
        }
        for (const ref of querier.select(matchers, q.start, q.end)) {
          if (seen.has(ref)) continue;
          seen.add(ref);
          if (series.length >= limit) {
            truncated = true;
            break;
          }
          const buf = querier.samples(ref, q.start, q.end);
          const values: Array<[number, string]> = [];
          for (let i = 0; i < buf.length; i++) values.push([buf.t[i]! / 1000, fmt(buf.v[i]!)]);
          series.push({ labels: labelsToRecord(ref.labels), values });
        }
      }
      return { series, truncated };
    },
    metrics: async () => {
      const own = await p.metrics.registry.metrics();
      return { contentType: 'text/plain; version=0.0.4; charset=utf-8', body: own + renderScraped(p.scrape.loops()) };
    },
  };
}
