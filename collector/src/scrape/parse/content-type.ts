import type { ExpositionFormat } from './types.ts';

/**
 * The `Accept` header to send with a scrape: OpenMetrics 1.0 preferred, then OpenMetrics 0.0.1, then
 * Prometheus text 0.0.4, then anything (parsed as 0.0.4), the order Prometheus negotiates.
 */
export const EXPOSITION_ACCEPT_HEADER =
  'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.1';

/**
 * Which parser to use for a response, from its `Content-Type`: `application/openmetrics-text` (any
 * version, any parameters, any case) is OpenMetrics; everything else, including a missing header,
 * `text/plain` with or without `version=0.0.4` and unknown types, is Prometheus text 0.0.4, as
 * Prometheus itself falls back.
 */
export function formatFromContentType(contentType: string | null | undefined): ExpositionFormat {
  if (!contentType) return 'prometheus';
  const semi = contentType.indexOf(';');
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === 'application/openmetrics-text' ? 'openmetrics' : 'prometheus';
}
