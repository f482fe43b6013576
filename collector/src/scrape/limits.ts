/**
 * Per-target scrape limits (docs/scrape.md). Going over a limit fails that scrape with a clear error
 * shown in /api/v1/targets (and `up` 0), never the collector. 0 means unlimited.
 */
export interface ScrapeLimits {
  /** Largest (decompressed) response body accepted, bytes. */
  bodyBytes: number;
  /** Most samples one scrape may return. */
  samples: number;
  /** Most labels on one series (after fnscope adds its own). */
  labelsPerSeries: number;
  /** Longest label name. */
  labelNameLength: number;
  /** Longest label value. */
  labelValueLength: number;
}

export const DEFAULT_SCRAPE_LIMITS: Readonly<ScrapeLimits> = {
  bodyBytes: 10 * 1024 * 1024,
  samples: 50_000,
  labelsPerSeries: 64,
  labelNameLength: 256,
  labelValueLength: 4096,
};

export type LimitName = keyof ScrapeLimits;

export class ScrapeLimitError extends Error {
  readonly limit: LimitName;
  constructor(limit: LimitName, message: string) {
    super(message);
    this.name = 'ScrapeLimitError';
    this.limit = limit;
  }
}
