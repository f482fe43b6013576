import type { Clock } from '../util/clock.ts';
import type { MemStore } from '../store/index.ts';
import type { FunctionStats } from '../aggregate/index.ts';
import type { TargetGroup } from '../discovery/types.ts';
import type { FetchLike, MetricsSource } from './fetch-body.ts';
import { DEFAULT_SCRAPE_LIMITS, type ScrapeLimits } from './limits.ts';
import { ScrapeLoop, type ScrapeMetrics } from './loop.ts';
import { Semaphore } from './semaphore.ts';
import type { ScrapeTarget } from './target.ts';

export interface ScrapeConfig {
  /** Default 15 s. */
  intervalMs: number;
  /** Default 10 s. */
  timeoutMs: number;
  /** Most scrapes in flight at once (default 64). */
  concurrency: number;
  limits: ScrapeLimits;
}

export const DEFAULT_SCRAPE_CONFIG: Readonly<ScrapeConfig> = { intervalMs: 15_000, timeoutMs: 10_000, concurrency: 64, limits: DEFAULT_SCRAPE_LIMITS };

export interface ScrapeManagerOptions {
  config: ScrapeConfig;
  fetch: FetchLike;
  /** Gets bodies instead of `fetch` when set (see ScrapeHttpClient). */
  http?: MetricsSource;
  clock: Clock;
  store: MemStore;
  stats: FunctionStats;
  metrics: ScrapeMetrics;
  watchStart: number;
}

/** Target labels fnscope adds to every scraped series. */
const GROUP_LABELS = ['namespace', 'function', 'runtime'];

export function toScrapeTargets(g: TargetGroup): ScrapeTarget[] {
  return g.targets.map((t) => {
    const labels = new Map<string, string>();
    for (const [k, v] of Object.entries(g.labels)) if (!k.startsWith('__')) labels.set(k, v);
    for (const k of GROUP_LABELS) if (g.labels[k] === undefined) labels.delete(k);
    if (t.labels['pod']) labels.set('pod', t.labels['pod']);
    const start = t.pod?.startTime ? Date.parse(t.pod.startTime) : Number.NaN;
    return {
      key: `${g.source}/${t.address}`,
      url: `${t.scheme}://${t.address}${t.metricsPath.startsWith('/') ? '' : '/'}${t.metricsPath}`,
      labels: [...labels.entries()].filter(([, v]) => v !== '').sort((a, b) => (a[0] < b[0] ? -1 : 1)),
      namespace: g.labels['namespace'] ?? '',
      function: g.labels['function'] ?? '',
      podStartMs: Number.isNaN(start) ? null : start,
      terminating: t.pod?.terminating ?? false,
    };
  });
}

/** Runs one ScrapeLoop per target of the current target groups. */
export class ScrapeManager {
  readonly #o: ScrapeManagerOptions;
  readonly #semaphore: Semaphore;
  readonly #groups = new Map<string, Map<string, ScrapeLoop>>();

  constructor(o: ScrapeManagerOptions) {
    this.#o = o;
    this.#semaphore = new Semaphore(o.config.concurrency);
  }

  /** Apply whole-group updates: an empty group stops its loops. */
  sync(groups: readonly TargetGroup[]): void {
    for (const g of groups) {
      const loops = this.#groups.get(g.source) ?? new Map<string, ScrapeLoop>();
      const wanted = new Map(toScrapeTargets(g).map((t) => [t.key, t]));
      for (const [key, loop] of loops) {
        if (!wanted.has(key)) {
          loops.delete(key);
          void loop.stop();
        }
      }
      for (const [key, t] of wanted) {
        const loop = loops.get(key);
        if (loop) {
          loop.update(t);
          continue;
        }
        const fresh = new ScrapeLoop({ ...this.#o, target: t, intervalMs: this.#o.config.intervalMs, timeoutMs: this.#o.config.timeoutMs, limits: this.#o.config.limits, semaphore: this.#semaphore });
        loops.set(key, fresh);
        fresh.start();
      }
      if (loops.size === 0) this.#groups.delete(g.source);
      else this.#groups.set(g.source, loops);
    }
  }

  loops(): ScrapeLoop[] {
    return [...this.#groups.values()].flatMap((m) => [...m.values()]);
  }

  async stop(): Promise<void> {
    const all = this.loops();
    this.#groups.clear();
    await Promise.all(all.map((l) => l.stop()));
  }
}
