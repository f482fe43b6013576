import { ScrapeLimitError } from './limits.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The Accept header Prometheus sends: OpenMetrics 1.0 first, then text 0.0.4. */
export const SCRAPE_ACCEPT =
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.1';

export interface FetchedBody {
  text: string;
  contentType: string;
  bytes: number;
}

/** Where scrapes get bodies from: the scrape HTTP client (http-client.ts), or `fetchMetrics` over an injected fetch. */
export interface MetricsSource {
  /** GET the body within timeoutMs; throws on non-2xx, timeout (an error named TimeoutError), or more than maxBytes. */
  get(url: string, timeoutMs: number, maxBytes: number): Promise<FetchedBody>;
}

/**
 * GET a metrics endpoint with a timeout and a body-size bound (the decompressed size: fetch inflates
 * gzip itself). Throws on non-2xx, timeout, or an oversized body.
 */
export async function fetchMetrics(fetchFn: FetchLike, url: string, timeoutMs: number, maxBytes: number, signal?: AbortSignal): Promise<FetchedBody> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const res = await fetchFn(url, {
    headers: { accept: SCRAPE_ACCEPT, 'accept-encoding': 'gzip', 'user-agent': 'fnscope', 'x-prometheus-scrape-timeout-seconds': String(timeoutMs / 1000) },
    signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
    redirect: 'follow',
  });
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`server returned HTTP status ${res.status} ${res.statusText}`);
  }
  const contentType = res.headers.get('content-type') ?? '';
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (maxBytes > 0 && declared > maxBytes && !res.headers.get('content-encoding')) {
    await res.body?.cancel();
    throw new ScrapeLimitError('bodyBytes', `body of ${declared} bytes exceeds the limit of ${maxBytes}`);
  }
  if (!res.body) return { text: '', contentType, bytes: 0 };
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (maxBytes > 0 && bytes > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ScrapeLimitError('bodyBytes', `body exceeds the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks, bytes).toString('utf8'), contentType, bytes };
}
