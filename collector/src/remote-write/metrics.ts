/**
 * The remote-write queue's own metrics, through a small interface the wiring backs with prom-client
 * (register every entry of `remoteWriteMetricDefs`, forward inc/set by name), like discovery's.
 */

export interface RemoteWriteMetricDef {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  labelNames: readonly string[];
}

export const remoteWriteMetricDefs = [
  { name: 'fnscope_remote_write_samples_total', type: 'counter', labelNames: ['result'],
    help: 'Samples handed to remote write, by result: sent; failed (the endpoint refused them with a 4xx); dropped (the queue was full, or the collector stopped before they went).' },
  { name: 'fnscope_remote_write_requests_total', type: 'counter', labelNames: ['code'],
    help: 'Remote-write requests by HTTP status code ("error" when no answer came).' },
  { name: 'fnscope_remote_write_retries_total', type: 'counter', labelNames: [],
    help: 'Requests retried after a 5xx, a 429 or a network error.' },
  { name: 'fnscope_remote_write_sent_bytes_total', type: 'counter', labelNames: [],
    help: 'Bytes of compressed request bodies sent.' },
  { name: 'fnscope_remote_write_send_duration_seconds_total', type: 'counter', labelNames: [],
    help: 'Time spent in remote-write requests (divide by requests for the mean).' },
  { name: 'fnscope_remote_write_queue_samples', type: 'gauge', labelNames: [],
    help: 'Samples waiting in the remote-write queue (pending batches and batches being sent).' },
  { name: 'fnscope_remote_write_highest_sent_timestamp_seconds', type: 'gauge', labelNames: [],
    help: 'Newest sample timestamp sent successfully; compare with time() for the lag.' },
] as const satisfies readonly RemoteWriteMetricDef[];

export type RemoteWriteCounter = Extract<(typeof remoteWriteMetricDefs)[number], { type: 'counter' }>['name'];
export type RemoteWriteGauge = Extract<(typeof remoteWriteMetricDefs)[number], { type: 'gauge' }>['name'];

export interface RemoteWriteMetrics {
  inc(name: RemoteWriteCounter, labels: Record<string, string>, value?: number): void;
  set(name: RemoteWriteGauge, labels: Record<string, string>, value: number): void;
}

export const noopRemoteWriteMetrics: RemoteWriteMetrics = {
  inc() {},
  set() {},
};

/** Keeps values in memory, keyed `name{k="v",...}`: for tests. */
export class MemoryRemoteWriteMetrics implements RemoteWriteMetrics {
  readonly values = new Map<string, number>();

  inc(name: RemoteWriteCounter, labels: Record<string, string>, value = 1): void {
    const k = key(name, labels);
    this.values.set(k, (this.values.get(k) ?? 0) + value);
  }

  set(name: RemoteWriteGauge, labels: Record<string, string>, value: number): void {
    this.values.set(key(name, labels), value);
  }

  get(name: string, labels: Record<string, string> = {}): number {
    return this.values.get(key(name, labels)) ?? 0;
  }
}

function key(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels).sort().map((k) => `${k}="${labels[k]}"`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}
