/** Prometheus remote write 1.0 of the samples the collector stores. See docs/remote-write.md. */
export type { SampleTap } from './sample-tap.ts';
export { RemoteWriteQueue, DEFAULT_REMOTE_WRITE_LIMITS, withExternalLabels } from './queue.ts';
export type { RemoteWriteLimits, RemoteWriteOptions } from './queue.ts';
export { encodeLabels, encodeWriteRequest, decodeWriteRequest } from './write-request.ts';
export type { DecodedSample, DecodedSeries, SampleColumns, SeriesRows } from './write-request.ts';
export { sendWithRetry, parseRetryAfter, MAX_RETRY_AFTER_MS } from './sender.ts';
export type { FetchLike, SendOutcome, SenderOptions } from './sender.ts';
export { remoteWriteMetricDefs, noopRemoteWriteMetrics, MemoryRemoteWriteMetrics } from './metrics.ts';
export type { RemoteWriteCounter, RemoteWriteGauge, RemoteWriteMetricDef, RemoteWriteMetrics } from './metrics.ts';
