/**
 * The API's JSON shapes as the UI reads them (docs/api.md). The browser build cannot import the
 * collector's own modules, so these mirror collector/src/api/types.ts, collector/src/events/records.ts
 * and collector/src/errors/; test/ui/wire-types.test.ts checks they stay assignable.
 */

export interface Rates {
  windowSeconds: number;
  callsPerSecond: number;
  errorsPerSecond: number;
  errorRatio: number | null;
  timeoutsPerSecond: number;
  exceptionsPerSecond: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  source: 'runtime' | 'access-log' | 'none';
}

export interface FunctionView {
  namespace: string;
  name: string;
  framework: string;
  runtime: string;
  handler: string;
  timeoutSeconds: number | null;
  hasFunctionObject: boolean;
  pods: { ready: number; total: number; restarts: number };
  targets: { up: number; total: number };
  rates: Rates;
}

export interface FunctionPoint extends Rates {
  /** Seconds since the epoch. */
  t: number;
}

export interface PodView {
  name: string;
  node: string;
  phase: string;
  ready: boolean;
  restarts: number;
  up: boolean | null;
  rates: Rates;
}

export interface FunctionDetail extends FunctionView {
  podList: PodView[];
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

export interface DiscoveryView {
  name: string;
  synced: boolean;
  lastSync: string | null;
  lastError: string;
  restarts: number;
}

export interface TargetsView {
  activeTargets: TargetView[];
  discovery: DiscoveryView[];
}

export interface SeriesResult {
  labels: Record<string, string>;
  values: Array<[number, string]>;
}

export interface Frame {
  file: string;
  line: number | null;
  function: string;
  column?: number;
  inApp?: boolean;
}

export interface Cause {
  type: string;
  message: string;
}

export type GroupStatus = 'new' | 'ongoing' | 'regressed';

export interface ErrorSample {
  seq: number;
  time: number;
  namespace: string;
  function: string;
  pod: string;
  message: string;
  frames: Frame[];
  causes: Cause[];
  lines: string[];
}

export interface ErrorGroupView {
  id: string;
  language: string;
  type: string;
  message: string;
  firstSeen: number;
  lastSeen: number;
  count: number;
  functions: Record<string, number>;
  pods: Record<string, number>;
  /** [minuteStartMs, count] over the last hour. */
  minutes: Array<[number, number]>;
  regressedAt: number | null;
  status: GroupStatus;
  ratePerSecond: number;
  samples?: ErrorSample[];
}

interface RecordBase {
  seq: number;
  time: number;
  ts: string;
  namespace: string;
  function: string;
  pod: string;
  container: string;
  stream: string;
}

export interface LineRecord extends RecordBase {
  kind: 'line';
  text: string;
  access?: { method: string; path: string; status: number; durationSeconds?: number };
}

export interface ExceptionRecord extends RecordBase {
  kind: 'exception';
  language: string;
  type: string;
  message: string;
  frames: Frame[];
  causes: Cause[];
  fingerprint: string;
  lines: string[];
}

export interface GapRecord extends RecordBase {
  kind: 'gap';
  reason: string;
}

export type TailRecord = LineRecord | ExceptionRecord | GapRecord;

/** The live tail's filter (TailFilterSpec on the server). */
export interface TailFilterSpec {
  namespace?: string;
  function?: string;
  pod?: string;
  container?: string;
  stream?: 'stdout' | 'stderr' | 'combined';
  errorsOnly?: boolean;
  include?: string[];
  exclude?: string[];
}

export type TailMessage =
  | { type: 'subscribed'; filter: TailFilterSpec }
  | { type: 'records'; dropped: number; replay?: boolean; records: TailRecord[] }
  | { type: 'error'; error: string };

export interface InvokeResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  durationMs: number;
  pod: string;
  start: number;
  end: number;
}
