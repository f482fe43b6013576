import type { StreamIdentity } from '../types.ts';

/**
 * What a log source hands to the pipeline: raw lines of one container, in the format the source reads
 * (`timestamped`: "<RFC3339Nano> <text>" from the pod log API; `cri`: CRI log-file lines), and markers
 * where the stream had a gap or resumed, so viewers see it instead of a silent hole.
 */
export interface RawLogSink {
  lines(id: StreamIdentity, lines: readonly string[], format: 'timestamped' | 'cri'): void;
  gap(id: StreamIdentity, reason: string): void;
  /** The container's stream is over for good (pod gone): flush per-stream state. */
  end(id: StreamIdentity): void;
}

/** Per-container state shown in /api/v1/targets and metrics. */
export interface LogStreamState {
  namespace: string;
  pod: string;
  container: string;
  state: 'following' | 'reconnecting' | 'waiting' | 'stopped';
  lastLineTime: string | null;
  reconnects: number;
  lastError: string;
}
