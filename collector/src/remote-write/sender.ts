import type { Logger } from 'pino';
import type { Clock } from '../util/clock.ts';
import type { RemoteWriteMetrics } from './metrics.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface SenderOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  fetch: FetchLike;
  clock: Clock;
  logger: Logger;
  metrics: RemoteWriteMetrics;
  /** Aborts requests and backoff waits (the queue is closing). */
  signal: AbortSignal;
}

/** Longest Retry-After honoured (a 429 asking for more waits this long). */
export const MAX_RETRY_AFTER_MS = 300_000;

/** How a batch ended: sent (2xx), failed (refused with a 4xx other than 429: never retried), aborted. */
export type SendOutcome = 'sent' | 'failed' | 'aborted';

/** Seconds or an HTTP date, to milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(h: string | null, now: number): number | undefined {
  if (h === null || h.trim() === '') return undefined;
  if (/^\d+$/.test(h.trim())) return Number(h.trim()) * 1000;
  const t = Date.parse(h);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

/**
 * POSTs one snappy-compressed WriteRequest, retrying with exponential backoff (min → max, doubling)
 * after a 5xx, a 429 (waiting its Retry-After, at most MAX_RETRY_AFTER_MS) or a network
 * error / timeout, for as long as it takes: the shard waits, which keeps each series in time order.
 * Any other 4xx means the endpoint will never take this batch: it is dropped and counted.
 */
export async function sendWithRetry(body: Uint8Array, o: SenderOptions): Promise<SendOutcome> {
  let backoff = o.minBackoffMs;
  for (let attempt = 1; ; attempt++) {
    if (o.signal.aborted) return 'aborted';
    let status: number | undefined;
    let detail = '';
    let retryAfter: number | undefined;
    const t0 = performance.now();
    try {
      const res = await o.fetch(o.url, {
        method: 'POST',
        headers: o.headers,
        body: body as Uint8Array<ArrayBuffer>,
        signal: AbortSignal.any([o.signal, AbortSignal.timeout(o.timeoutMs)]),
      });
      status = res.status;
      if (status >= 300) detail = (await res.text()).slice(0, 256).trim();
      else await res.arrayBuffer();
      retryAfter = parseRetryAfter(res.headers.get('retry-after'), o.clock.now());
    } catch (e) {
      if (o.signal.aborted) return 'aborted';
      detail = (e as Error).name === 'TimeoutError' ? `no answer within ${o.timeoutMs} ms` : (e as Error).message;
    }
    o.metrics.inc('fnscope_remote_write_send_duration_seconds_total', {}, (performance.now() - t0) / 1000);
    o.metrics.inc('fnscope_remote_write_requests_total', { code: status === undefined ? 'error' : String(status) });
    if (status !== undefined && status >= 200 && status < 300) return 'sent';
    if (status !== undefined && status < 500 && status !== 429) {
      o.logger.warn({ status, detail }, 'remote write refused a batch; dropping it (not retried)');
      return 'failed';
    }
    const wait = status === 429 && retryAfter !== undefined ? Math.max(backoff, Math.min(retryAfter, MAX_RETRY_AFTER_MS)) : backoff;
    const log = { status: status ?? 'error', detail, attempt, retryInMs: wait };
    if (attempt === 1) o.logger.warn(log, 'remote write failed; retrying');
    else o.logger.debug(log, 'remote write failed again; retrying');
    o.metrics.inc('fnscope_remote_write_retries_total', {});
    try {
      await o.clock.sleep(wait, o.signal);
    } catch {
      return 'aborted';
    }
    backoff = Math.min(backoff * 2, o.maxBackoffMs);
  }
}
