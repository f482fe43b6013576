import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { discoveryMetricDefs, type DiscoveryMetrics } from '../discovery/index.ts';
import { remoteWriteMetricDefs, type RemoteWriteMetrics } from '../remote-write/index.ts';
import type { FunctionInfo } from '../discovery/types.ts';
import type { ResponseMetrics } from '../logs/stages/access/metrics.ts';
import type { ScrapeMetrics } from '../scrape/loop.ts';
import type { ScrapeTarget } from '../scrape/target.ts';
import { DurationHistogram } from './duration-histogram.ts';
import { ResponseTally } from './response-tally.ts';
import type { ErrorGroupView } from '../errors/index.ts';
import { sloObjectiveSamples } from '../generate/index.ts';

/** Buckets of the Kubeless python runtime's function_duration_seconds, reused for access-line durations. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Live numbers the registry reads at scrape time. */
export interface MetricsSources {
  inventory(): readonly FunctionInfo[];
  hub(): { subscribers: number; delivered: number; dropped: number; closedSlow: number };
  /** appended: samples ever appended (absent: 0). */
  store(): { series: number; bytes: number; samples: number; appended?: number };
  errorGroups(): number;
  /** The most recently seen error groups (bounded). */
  recentErrorGroups(): readonly ErrorGroupView[];
  logStreams(): Array<{ state: string }>;
}

function labelOf(t: ScrapeTarget, name: string): string {
  return t.labels.find(([k]) => k === name)?.[1] ?? '';
}

/**
 * The collector's own metrics (docs/metrics.md), registered in one prom-client Registry. Process and
 * Node.js metrics carry the fnscope_ prefix so they never collide with a function's own process_*
 * series, which /metrics serves beside them.
 */
export class CollectorMetrics {
  readonly registry = new Registry();
  readonly responses: Counter<'namespace' | 'function' | 'method' | 'code'>;
  readonly responseDuration: DurationHistogram;
  readonly exceptions: Counter<'namespace' | 'function' | 'type'>;
  readonly logLines: Counter<'namespace' | 'function'>;
  readonly scrapeBadLines: Counter<'namespace' | 'function' | 'pod'>;
  readonly scrapes: Counter<'namespace' | 'function' | 'pod' | 'result'>;
  readonly scrapeFailures: Counter<'namespace' | 'function' | 'pod'>;
  /** Metrics other stages define as data (discovery, remote write), by name. */
  readonly #byName = new Map<string, Counter | Gauge>();
  /** Responses counted since the registry was last read. */
  readonly #responses = new ResponseTally();

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'fnscope_' });
    const responses = this.#responses;
    this.responses = new Counter({
      name: 'fnscope_function_responses_total', help: 'Responses of functions, read from their access lines.', labelNames: ['namespace', 'function', 'method', 'code'], registers,
      collect() {
        responses.drain((labels, n) => this.inc(labels, n));
      },
    });
    this.responseDuration = new DurationHistogram({ name: 'fnscope_function_response_duration_seconds', help: 'Response durations printed in access lines.', buckets: DURATION_BUCKETS, registers });
    this.exceptions = new Counter({ name: 'fnscope_function_exceptions_total', help: 'Exceptions parsed from function logs, by type.', labelNames: ['namespace', 'function', 'type'], registers });
    this.logLines = new Counter({ name: 'fnscope_log_lines_total', help: 'Log lines read from function containers.', labelNames: ['namespace', 'function'], registers });
    this.scrapeBadLines = new Counter({ name: 'fnscope_scrape_bad_lines_total', help: 'Malformed exposition lines skipped while scraping.', labelNames: ['namespace', 'function', 'pod'], registers });
    this.scrapes = new Counter({ name: 'fnscope_scrapes_total', help: 'Scrapes of function pods, by result.', labelNames: ['namespace', 'function', 'pod', 'result'], registers });
    this.scrapeFailures = new Counter({ name: 'fnscope_scrape_failures_total', help: 'Failed scrapes of function pods.', labelNames: ['namespace', 'function', 'pod'], registers });

    const inventoryGauge = (name: string, help: string, labelNames: string[], fill: (g: Gauge, fns: readonly FunctionInfo[]) => void): void => {
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        collect() {
          this.reset();
          fill(this, sources.inventory());
        },
      });
    };
    inventoryGauge('fnscope_function_pods', 'Pods running a function.', ['namespace', 'function'], (g, fns) => {
      for (const f of fns) g.set({ namespace: f.namespace, function: f.name }, f.pods.length);
    });
    inventoryGauge('fnscope_function_pods_ready', 'Ready pods of a function.', ['namespace', 'function'], (g, fns) => {
      for (const f of fns) g.set({ namespace: f.namespace, function: f.name }, f.pods.filter((p) => p.ready).length);
    });
    inventoryGauge('fnscope_function_info', 'One series per function with its runtime, handler and SLO targets.', ['namespace', 'function', 'runtime', 'handler', 'framework', 'slo_availability', 'slo_latency'], (g, fns) => {
      for (const f of fns) {
        g.set({ namespace: f.namespace, function: f.name, runtime: f.runtime ?? '', handler: f.handler ?? '', framework: f.framework, slo_availability: f.slo['availability'] ?? '', slo_latency: f.slo['latency'] ?? '' }, 1);
      }
    });
    inventoryGauge('fnscope_function_slo_objective', 'SLO targets from Function annotations, as numbers (docs/metrics.md).', ['namespace', 'function', 'slo', 'le'], (g, fns) => {
      for (const f of fns) {
        for (const s of sloObjectiveSamples({ namespace: f.namespace, name: f.name, runtime: f.runtime ?? '', handler: f.handler ?? '', annotations: f.annotations })) {
          g.set({ ...s.labels, le: s.labels.le ?? '' }, s.value);
        }
      }
    });
    new Gauge({
      name: 'fnscope_error_group_last_seen_timestamp_seconds',
      help: 'Unix time of the last occurrence of each error group, per function it was seen in.',
      labelNames: ['namespace', 'function', 'group', 'type'],
      registers,
      collect() {
        this.reset();
        for (const g of sources.recentErrorGroups()) {
          for (const key of Object.keys(g.functions)) {
            const slash = key.indexOf('/');
            if (slash < 0) continue; // the "other" bucket of a very widespread group
            this.set({ namespace: key.slice(0, slash), function: key.slice(slash + 1), group: g.id, type: g.type }, g.lastSeen / 1000);
          }
        }
      },
    });
    new Counter({
      name: 'fnscope_pod_container_restarts_total',
      help: 'Restarts of the function container of each pod (from the pod status).',
      labelNames: ['namespace', 'function', 'pod'],
      registers,
      collect() {
        this.reset();
        for (const f of sources.inventory()) for (const p of f.pods) this.inc({ namespace: f.namespace, function: f.name, pod: p.name }, p.restarts);
      },
    });
    const simple = (name: string, help: string, read: () => number, type: 'gauge' | 'counter' = 'gauge'): void => {
      if (type === 'gauge') {
        new Gauge({ name, help, registers, collect() { this.set(read()); } });
      } else {
        new Counter({ name, help, registers, collect() { this.reset(); this.inc(read()); } });
      }
    };
    simple('fnscope_live_subscribers', 'Live-tail subscribers connected.', () => sources.hub().subscribers);
    simple('fnscope_live_delivered_total', 'Records delivered to live-tail subscribers.', () => sources.hub().delivered, 'counter');
    simple('fnscope_live_dropped_total', 'Records dropped for live-tail subscribers that could not keep up.', () => sources.hub().dropped, 'counter');
    simple('fnscope_live_closed_slow_total', 'Live-tail subscribers closed for being too slow.', () => sources.hub().closedSlow, 'counter');
    simple('fnscope_store_series', 'Series in the in-memory store.', () => sources.store().series);
    simple('fnscope_store_bytes', 'Approximate bytes held by the in-memory store.', () => sources.store().bytes);
    simple('fnscope_store_samples_appended_total', 'Samples appended to the in-memory store.', () => sources.store().appended ?? 0, 'counter');
    simple('fnscope_error_groups', 'Error groups known.', () => sources.errorGroups());
    new Gauge({
      name: 'fnscope_log_streams',
      help: 'Function container log streams, by state.',
      labelNames: ['state'],
      registers,
      collect() {
        this.reset();
        for (const s of sources.logStreams()) this.inc({ state: s.state });
      },
    });
    for (const d of [...discoveryMetricDefs, ...remoteWriteMetricDefs]) {
      const opts = { name: d.name, help: d.help, labelNames: [...d.labelNames], registers };
      this.#byName.set(d.name, d.type === 'counter' ? new Counter(opts) : new Gauge(opts));
    }
  }

  /** inc/set by name over the metrics other stages define as data. */
  #named(): DiscoveryMetrics & RemoteWriteMetrics {
    return {
      inc: (name: string, labels: Record<string, string>, value = 1) => (this.#byName.get(name))?.inc(labels, value),
      set: (name: string, labels: Record<string, string>, value: number) => (this.#byName.get(name) as Gauge | undefined)?.set(labels, value),
    };
  }

  discoveryMetrics(): DiscoveryMetrics {
    return this.#named();
  }

  remoteWriteMetrics(): RemoteWriteMetrics {
    return this.#named();
  }

  responseMetrics(): ResponseMetrics {
    return {
      responses: (namespace, fn, method, code) => this.#responses.add(namespace, fn, method, code),
      duration: (namespace, fn, method, seconds) => this.responseDuration.observe(namespace, fn, method, seconds),
    };
  }

  scrapeMetrics(): ScrapeMetrics {
    return {
      scrape: (t, ok) => {
        const l = { namespace: t.namespace, function: t.function, pod: labelOf(t, 'pod') };
        this.scrapes.inc({ ...l, result: ok ? 'success' : 'failure' });
        if (!ok) this.scrapeFailures.inc(l);
      },
      badLines: (t, n) => this.scrapeBadLines.inc({ namespace: t.namespace, function: t.function, pod: labelOf(t, 'pod') }, n),
    };
  }
}
