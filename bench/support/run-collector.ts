/**
 * Child process of bench/side-by-side.ts: the fnscope collector with file targets only (no
 * Kubernetes, no logs), in its own process so that its CPU and memory can be read from /proc.
 *
 * argv[2]: JSON {targetFile, dataDir, intervalMs, timeoutMs}. Sends {type:'ready', url} over IPC, answers
 * {type:'stats'} with the store's own counters, and {type:'stop'} by stopping and exiting.
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { Collector } from '../../collector/src/wire/collector.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';

export interface RunnerConfig {
  targetFile: string;
  dataDir: string;
  intervalMs: number;
  timeoutMs: number;
}

export interface RunnerStats {
  series: number;
  /** Samples ever committed to the store. */
  appended: number;
  /** Samples held now, and their compressed bytes. */
  samples: number;
  chunkBytes: number;
  totalBytes: number;
  /** process.memoryUsage() of the collector. */
  memory: NodeJS.MemoryUsage;
  /** V8 heap spaces: name → committed bytes. */
  spaces: Record<string, number>;
}

async function main(): Promise<void> {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;
  const collector = new Collector({
    logger: silentLogger(),
    clock: systemClock,
    listen: { host: '127.0.0.1', port: 0 },
    dataDir: cfg.dataDir,
    targetFiles: [cfg.targetFile],
    logs: { source: 'off' },
    scrape: { intervalMs: cfg.intervalMs, timeoutMs: cfg.timeoutMs },
  });
  const url = await collector.start();
  process.send?.({ type: 'ready', url });
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'stats') {
      const s = collector.store.stats();
      const stats: RunnerStats = {
        series: s.series,
        appended: s.appendedSamples,
        samples: s.samples,
        chunkBytes: s.memory.chunkBytes,
        totalBytes: s.memory.totalBytes,
        memory: process.memoryUsage(),
        spaces: Object.fromEntries(getHeapSpaceStatistics().map((x) => [x.space_name, x.physical_space_size])),
      };
      process.send?.({ type: 'stats', stats });
    } else if (m.type === 'stop') {
      void collector.stop().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
}

void main();
