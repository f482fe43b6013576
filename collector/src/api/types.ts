import type { FunctionRates } from '../aggregate/index.ts';

/** One function as the API shows it: inventory joined with live rates. */
export interface FunctionView {
  namespace: string;
  name: string;
  framework: string;
  runtime: string;
  handler: string;
  timeoutSeconds: number | null;
  /** False for pods whose Function object is gone (or never existed). */
  hasFunctionObject: boolean;
  annotations: Record<string, string>;
  pods: { ready: number; total: number; restarts: number };
  targets: { up: number; total: number };
  rates: FunctionRates;
}

export interface FunctionPoint extends FunctionRates {
  /** Seconds since the epoch. */
  t: number;
}

export interface FunctionDetail extends FunctionView {
  podList: Array<{ name: string; uid: string; node: string; phase: string; ready: boolean; restarts: number; up: boolean | null; rates: FunctionRates }>;
  history: { since: number; step: number; window: number; points: FunctionPoint[] };
}

export interface TargetView {
  scrapeUrl: string;
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastScrape: string | null;
  lastScrapeDurationSeconds: number | null;
  lastError: string;
  samples: number | null;
  badLines: number;
}

export interface DiscoveryProviderView {
  name: string;
  synced: boolean;
  lastSync: string | null;
  lastError: string;
  restarts: number;
}

export interface TargetsView {
  activeTargets: TargetView[];
  discovery: DiscoveryProviderView[];
}

export interface SeriesQuery {
  matchers: string[];
  start: number;
  end: number;
}

export interface SeriesResult {
  labels: Record<string, string>;
  /** [seconds, value as string] like Prometheus. */
  values: Array<[number, string]>;
}
