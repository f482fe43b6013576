/**
 * The collector's log half for the benchmarks, wired as collector/src/wire/collector.ts wires it: one
 * LogPipeline (redaction with the default rules, access-log parsing with the function's runtime, all
 * seven stack-trace parsers) feeding a LogBuffer, a TailHub, ErrorGroups (persisted to SQLite when a
 * data dir is given), FunctionStats and the collector's metrics. Only the runtime lookup differs: a
 * map given here instead of the discovery inventory.
 */
import { join } from 'node:path';
import { FunctionStats } from '../../collector/src/aggregate/index.ts';
import { ErrorGroups, SqliteGroupPersistence } from '../../collector/src/errors/index.ts';
import { LogBuffer, TailHub, type HubLimits } from '../../collector/src/live/index.ts';
import { AccessLogStage, RedactStage, StagePipeline, createSequence, resolveRedactionRules } from '../../collector/src/logs/index.ts';
import { createParsers } from '../../collector/src/stacktrace/index.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { LogPipeline } from '../../collector/src/wire/log-pipeline.ts';
import { CollectorMetrics } from '../../collector/src/wire/metrics.ts';

export interface LogHalfOptions {
  /** namespace/function → runtime id (e.g. python3.11). */
  runtimes: ReadonlyMap<string, string>;
  hubLimits?: Partial<HubLimits>;
  /** Records the buffer keeps (default: the collector's default). */
  bufferRecords?: number;
  /** Persist error groups under this folder (as the collector does); in memory without. */
  dataDir?: string;
}

export interface LogHalf {
  pipeline: LogPipeline;
  hub: TailHub;
  buffer: LogBuffer;
  errors: ErrorGroups;
  metrics: CollectorMetrics;
}

export function createLogHalf(o: LogHalfOptions): LogHalf {
  const clock = systemClock;
  const hub = new TailHub({ clock, ...(o.hubLimits ? { limits: o.hubLimits } : {}) });
  const buffer = new LogBuffer(o.bufferRecords !== undefined ? { maxRecords: o.bufferRecords } : {});
  const errors = new ErrorGroups({ clock, logger: silentLogger(), ...(o.dataDir !== undefined ? { persistence: new SqliteGroupPersistence(join(o.dataDir, 'errors.db')) } : {}) });
  const metrics = new CollectorMetrics({
    inventory: () => [], hub: () => hub.stats(), store: () => ({ series: 0, bytes: 0, samples: 0 }),
    errorGroups: () => errors.size, recentErrorGroups: () => [], logStreams: () => [],
  });
  const runtimeOf = (ns: string, fn: string): string | null => o.runtimes.get(`${ns}/${fn}`) ?? null;
  const pipeline = new LogPipeline({
    clock,
    sequence: createSequence(),
    stages: new StagePipeline([new RedactStage({ rules: resolveRedactionRules(undefined) }), new AccessLogStage({ runtimeOf, recorder: metrics.responseMetrics() })]),
    parsers: createParsers(),
    hub,
    buffer,
    errors,
    stats: new FunctionStats(),
    metrics,
  });
  return { pipeline, hub, buffer, errors, metrics };
}
