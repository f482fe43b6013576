import type { FunctionDetail, FunctionView, SeriesQuery, SeriesResult, TargetsView } from './types.ts';

/** What the HTTP API reads from the collector. The wiring implements it over the stages. */
export interface ApiBackend {
  /** True once discovery has synced. */
  ready(): boolean;
  functions(now: number): FunctionView[];
  functionDetail(namespace: string, name: string, q: { since: number; step: number; window: number }, now: number): FunctionDetail | undefined;
  targets(): TargetsView;
  /** Throws ApiError('bad_data') for an invalid matcher. */
  series(q: SeriesQuery, limit: number): { series: SeriesResult[]; truncated: boolean };
  /** The collector's own metrics and every scraped function series, in Prometheus text format. */
  metrics(): Promise<{ contentType: string; body: string }>;
}
