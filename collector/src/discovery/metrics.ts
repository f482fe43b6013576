/**
 * The collector's own discovery metrics, written through a small interface so that the wiring can back
 * it with prom-client (register every entry of `discoveryMetricDefs`, then forward inc/set by name).
 */

export interface MetricDef {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labelNames: readonly string[];
}

export const discoveryMetricDefs = [
  { name: 'fnscope_discovery_restarts_total', type: 'counter', labelNames: ['provider', 'resource', 'reason'],
    help: 'Informer restarts by discovery (reason: error, or stalled when a watch showed no sign of life).' },
  { name: 'fnscope_discovery_watch_restarts_total', type: 'counter', labelNames: ['provider', 'resource'],
    help: 'Watch reconnections inside a running informer.' },
  { name: 'fnscope_discovery_errors_total', type: 'counter', labelNames: ['provider', 'resource'],
    help: 'Failed lists, watches and file reads.' },
  { name: 'fnscope_discovery_lists_total', type: 'counter', labelNames: ['provider', 'resource'],
    help: 'Completed full lists (initial, after 410 Gone, after a restart).' },
  { name: 'fnscope_discovery_events_total', type: 'counter', labelNames: ['provider', 'resource', 'type'],
    help: 'Watch events received (ADDED, MODIFIED, DELETED, BOOKMARK, ERROR).' },
  { name: 'fnscope_discovery_synced', type: 'gauge', labelNames: ['provider'],
    help: '1 once every resource of the provider has synced.' },
  { name: 'fnscope_discovery_last_sync_timestamp_seconds', type: 'gauge', labelNames: ['provider'],
    help: 'Time up to which every resource of the provider was known current.' },
  { name: 'fnscope_discovery_functions', type: 'gauge', labelNames: ['provider'],
    help: 'Functions known to the provider.' },
  { name: 'fnscope_discovery_pods', type: 'gauge', labelNames: ['provider'],
    help: 'Function pods known to the provider.' },
  { name: 'fnscope_discovery_targets', type: 'gauge', labelNames: ['provider'],
    help: 'Scrape targets the provider currently sends.' },
] as const satisfies readonly MetricDef[];

export type DiscoveryCounter = Extract<(typeof discoveryMetricDefs)[number], { type: 'counter' }>['name'];
export type DiscoveryGauge = Extract<(typeof discoveryMetricDefs)[number], { type: 'gauge' }>['name'];

export interface DiscoveryMetrics {
  inc(name: DiscoveryCounter, labels: Record<string, string>, value?: number): void;
  set(name: DiscoveryGauge, labels: Record<string, string>, value: number): void;
}

export const noopDiscoveryMetrics: DiscoveryMetrics = {
  inc() {},
  set() {},
};

/** Keeps values in memory, keyed `name{k="v",...}`: for tests and for a collector without prom-client. */
export class MemoryDiscoveryMetrics implements DiscoveryMetrics {
  readonly values = new Map<string, number>();

  inc(name: DiscoveryCounter, labels: Record<string, string>, value = 1): void {
    const k = metricKey(name, labels);
    this.values.set(k, (this.values.get(k) ?? 0) + value);
  }

  set(name: DiscoveryGauge, labels: Record<string, string>, value: number): void {
    this.values.set(metricKey(name, labels), value);
  }

  get(name: string, labels: Record<string, string>): number | undefined {
    return this.values.get(metricKey(name, labels));
  }
}

export function metricKey(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`);
  return `${name}{${parts.join(',')}}`;
}
