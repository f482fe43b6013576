import type { TailRecord } from '../../events/records.ts';
import type { TailFilterSpec } from '../../live/index.ts';

/** What `fnscope logs` asks for. */
export interface LogsQuery {
  filter: TailFilterSpec;
  follow: boolean;
  /** Look back this far (ms); default: everything the source has (bounded by tail). */
  sinceMs: number | undefined;
  /** Only the last N records before following. */
  tail: number | undefined;
}

/** Where `fnscope logs` reads from: a running collector, or the cluster directly. */
export interface LogsSource {
  /** Calls onRecord for each record; resolves when done (not following) or when signal aborts. */
  run(q: LogsQuery, onRecord: (r: TailRecord) => void, signal: AbortSignal): Promise<void>;
}
