/** One scrape target as the scrape manager runs it. */
export interface ScrapeTarget {
  /** Unique and stable: the group source plus the address. */
  key: string;
  url: string;
  /** Labels added to every scraped series (namespace, function, pod, runtime, file labels), sorted. */
  labels: ReadonlyArray<readonly [string, string]>;
  namespace: string;
  function: string;
  /** Pod start (ms), when known: counters of pods started while we watched begin at zero then. */
  podStartMs: number | null;
  /** The pod is shutting down: scrape it once more, now. */
  terminating: boolean;
}

export interface ScrapeReport {
  health: 'up' | 'down' | 'unknown';
  lastScrape: number | null;
  lastDurationMs: number | null;
  lastError: string;
  samples: number | null;
  seriesAdded: number;
  /** Malformed exposition lines, in total. */
  badLines: number;
  /** Scrapes that failed, in total. */
  failures: number;
}
