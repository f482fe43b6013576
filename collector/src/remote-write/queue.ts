import { compress } from 'snappyjs';
import type { Logger } from 'pino';
import type { Labels } from '../store/index.ts';
import type { Clock, Timer } from '../util/clock.ts';
import { ErrorCodes, FnscopeError } from '../util/errors.ts';
import { Batch, type SeriesInfo } from './batch.ts';
import { noopRemoteWriteMetrics, type RemoteWriteMetrics } from './metrics.ts';
import type { SampleTap } from './sample-tap.ts';
import { sendWithRetry, type FetchLike } from './sender.ts';
import { encodeLabels, encodeWriteRequest } from './write-request.ts';

/** Named settings of remote write, with their defaults (docs/remote-write.md, docs/limits.md). */
export interface RemoteWriteLimits {
  /** Parallel senders; each series always goes through the same one, so its samples stay in order. */
  shards: number;
  /** Most samples in one request. */
  maxSamplesPerSend: number;
  /** A batch that has not filled up goes out this long after its first sample. */
  batchSendDeadlineMs: number;
  /** Most samples waiting in cut batches; beyond it the oldest batch is dropped (and counted). */
  maxQueuedSamples: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** Per request. */
  timeoutMs: number;
}

export const DEFAULT_REMOTE_WRITE_LIMITS: Readonly<RemoteWriteLimits> = {
  shards: 4,
  maxSamplesPerSend: 2_000,
  batchSendDeadlineMs: 5_000,
  maxQueuedSamples: 500_000,
  minBackoffMs: 30,
  maxBackoffMs: 5_000,
  timeoutMs: 30_000,
};

export interface RemoteWriteOptions {
  /** e.g. http://prometheus:9090/api/v1/write */
  url: string;
  clock: Clock;
  logger: Logger;
  fetch?: FetchLike;
  metrics?: RemoteWriteMetrics;
  /** Extra request headers (e.g. Authorization, X-Scope-OrgID). Never logged. */
  headers?: Record<string, string>;
  /** Added to every series that lacks the label (e.g. {collector: "fnscope-0"}). */
  externalLabels?: Record<string, string>;
  limits?: Partial<RemoteWriteLimits>;
}

interface Shard {
  pending: Batch | undefined;
  deadline: Timer | undefined;
  queue: Batch[];
  inFlight: Batch | undefined;
  running: boolean;
  idle: Array<() => void>;
}

const PROTOCOL_HEADERS = {
  'Content-Encoding': 'snappy',
  'Content-Type': 'application/x-protobuf',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
  'User-Agent': 'fnscope-remote-write',
};

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Series labels plus external labels the series does not have, sorted by name. */
export function withExternalLabels(labels: Labels, ext: ReadonlyArray<readonly [string, string]>): Labels {
  if (ext.length === 0) return labels;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < labels.length; i += 2) pairs.push([labels[i]!, labels[i + 1]!]);
  for (const [k, v] of ext) if (!pairs.some(([n]) => n === k)) pairs.push([k, v]);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return pairs.flat();
}

/**
 * Prometheus remote write 1.0: samples arrive through the SampleTap (from the store's commits), are
 * sharded by series, cut into batches of maxSamplesPerSend (or after batchSendDeadlineMs), encoded as
 * a protobuf WriteRequest, snappy-compressed and POSTed, one request at a time per shard, retried with
 * backoff on 5xx / 429 / network errors. Ingest never blocks: when more than maxQueuedSamples wait,
 * the oldest batch is dropped and counted. Memory is bounded by that plus one pending and one in-flight
 * batch per shard.
 */
export class RemoteWriteQueue implements SampleTap {
  readonly limits: RemoteWriteLimits;
  readonly #o: RemoteWriteOptions;
  readonly #metrics: RemoteWriteMetrics;
  readonly #shards: Shard[];
  readonly #info = new WeakMap<Labels, SeriesInfo>();
  readonly #ext: Array<[string, string]>;
  readonly #abort = new AbortController();
  readonly #headers: Record<string, string>;
  #seq = 0;
  #queued = 0;
  #closed = false;
  /** Totals since start (also in the metrics): for tests and the status view. */
  readonly totals = { sent: 0, failed: 0, dropped: 0, requests: 0 };

  constructor(o: RemoteWriteOptions) {
    let url: URL;
    try {
      url = new URL(o.url);
    } catch {
      throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `--remote-write-url is not a URL: ${o.url}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FnscopeError(ErrorCodes.CONFIG_INVALID, '--remote-write-url must be http:// or https://');
    this.#o = o;
    this.limits = { ...DEFAULT_REMOTE_WRITE_LIMITS, ...o.limits };
    if (!(this.limits.shards >= 1 && this.limits.maxSamplesPerSend >= 1)) throw new FnscopeError(ErrorCodes.CONFIG_INVALID, 'remote write needs at least 1 shard and 1 sample per send');
    this.#metrics = o.metrics ?? noopRemoteWriteMetrics;
    this.#ext = Object.entries(o.externalLabels ?? {}).filter(([, v]) => v !== '');
    this.#headers = { ...o.headers, ...PROTOCOL_HEADERS };
    this.#shards = Array.from({ length: this.limits.shards }, () => ({ pending: undefined, deadline: undefined, queue: [], inFlight: undefined, running: false, idle: [] }));
  }

  sample(labels: Labels, t: number, v: number): void {
    this.#add(labels, t, v, 0);
  }

  stale(labels: Labels, t: number): void {
    this.#add(labels, t, Number.NaN, 1);
  }

  /** Samples accepted and not yet sent, failed or dropped. */
  get backlog(): number {
    let n = this.#queued;
    for (const s of this.#shards) n += (s.pending?.n ?? 0) + (s.inFlight?.n ?? 0);
    return n;
  }

  /** Send every pending sample now; resolves when every shard is idle (all sent, failed or dropped). */
  async flush(): Promise<void> {
    for (const s of this.#shards) this.#cut(s);
    await Promise.all(this.#shards.map((s) => this.#whenIdle(s)));
  }

  /**
   * Stop taking samples, send what is queued for up to `drainMs`, then abort what is left (counted as
   * dropped). Resolves once every shard has stopped.
   */
  async close(drainMs = 10_000): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    let timer: Timer | undefined;
    const deadline = new Promise<void>((r) => (timer = this.#o.clock.setTimeout(r, drainMs)));
    await Promise.race([this.flush(), deadline]);
    timer?.cancel();
    this.#abort.abort();
    await Promise.all(this.#shards.map((s) => this.#whenIdle(s)));
    for (const s of this.#shards) {
      for (const b of s.queue) this.#dropped(b.n);
      this.#queued = 0;
      s.queue = [];
    }
    this.#gauge();
  }

  #add(labels: Labels, t: number, v: number, stale: number): void {
    if (this.#closed) {
      this.#dropped(1);
      return;
    }
    let info = this.#info.get(labels);
    if (info === undefined) {
      const key = labels.join('\xff');
      info = { labels, key, shard: fnv1a(key) % this.#shards.length, bytes: undefined };
      this.#info.set(labels, info);
    }
    const s = this.#shards[info.shard]!;
    let b = s.pending;
    if (b === undefined) {
      b = s.pending = new Batch(this.limits.maxSamplesPerSend, this.#o.clock.now());
      s.deadline = this.#o.clock.setTimeout(() => this.#cut(s), this.limits.batchSendDeadlineMs);
    }
    b.push(info, t, v, stale);
    if (b.full) this.#cut(s);
  }

  #cut(s: Shard): void {
    const b = s.pending;
    s.deadline?.cancel();
    s.deadline = undefined;
    s.pending = undefined;
    if (b === undefined || b.n === 0) return;
    b.seq = this.#seq++;
    s.queue.push(b);
    this.#queued += b.n;
    while (this.#queued > this.limits.maxQueuedSamples) {
      let oldest: Shard | undefined;
      for (const x of this.#shards) if (x.queue.length > 0 && (oldest === undefined || x.queue[0]!.seq < oldest.queue[0]!.seq)) oldest = x;
      if (oldest === undefined) break;
      const gone = oldest.queue.shift()!;
      this.#queued -= gone.n;
      this.#dropped(gone.n);
      this.#o.logger.warn({ samples: gone.n, maxQueuedSamples: this.limits.maxQueuedSamples }, 'remote-write queue full; dropped its oldest batch');
    }
    this.#gauge();
    if (!s.running) {
      s.running = true;
      void this.#run(s);
    }
  }

  async #run(s: Shard): Promise<void> {
    try {
      while (s.queue.length > 0 && !this.#abort.signal.aborted) {
        const b = s.queue.shift()!;
        this.#queued -= b.n;
        s.inFlight = b;
        const body = compress(encodeWriteRequest(b.series((i) => this.#labelBytes(i)), b));
        const outcome = await sendWithRetry(body, {
          url: this.#o.url,
          headers: this.#headers,
          timeoutMs: this.limits.timeoutMs,
          minBackoffMs: this.limits.minBackoffMs,
          maxBackoffMs: this.limits.maxBackoffMs,
          fetch: this.#o.fetch ?? fetch,
          clock: this.#o.clock,
          logger: this.#o.logger,
          metrics: this.#metrics,
          signal: this.#abort.signal,
        });
        s.inFlight = undefined;
        this.totals.requests++;
        if (outcome === 'sent') {
          this.totals.sent += b.n;
          this.#metrics.inc('fnscope_remote_write_samples_total', { result: 'sent' }, b.n);
          this.#metrics.inc('fnscope_remote_write_sent_bytes_total', {}, body.length);
          this.#metrics.set('fnscope_remote_write_highest_sent_timestamp_seconds', {}, b.maxT() / 1000);
        } else if (outcome === 'failed') {
          this.totals.failed += b.n;
          this.#metrics.inc('fnscope_remote_write_samples_total', { result: 'failed' }, b.n);
        } else this.#dropped(b.n);
        this.#gauge();
      }
    } catch (e) {
      this.#o.logger.error({ err: e }, 'remote-write shard stopped');
      if (s.inFlight) this.#dropped(s.inFlight.n);
      s.inFlight = undefined;
    } finally {
      s.running = false;
      for (const w of s.idle.splice(0)) w();
    }
  }

  #whenIdle(s: Shard): Promise<void> {
    if (!s.running) return Promise.resolve();
    return new Promise((r) => s.idle.push(r));
  }

  #labelBytes(info: SeriesInfo): Uint8Array {
    info.bytes ??= encodeLabels(withExternalLabels(info.labels, this.#ext));
    return info.bytes;
  }

  #dropped(n: number): void {
    this.totals.dropped += n;
    this.#metrics.inc('fnscope_remote_write_samples_total', { result: 'dropped' }, n);
  }

  #gauge(): void {
    this.#metrics.set('fnscope_remote_write_queue_samples', {}, this.backlog);
  }
}
