/**
 * The collector side of bench/tail-fanout.ts, run as its own process: the log half as the collector
 * wires it (bench/lib/log-half.ts) behind the real live-tail endpoint (attachTailEndpoint over an HTTP
 * server on an ephemeral port), and a generator that offers CRI lines into the pipeline's RawLogSink
 * `lines()` at a fixed rate, one container per function, each line stamped with the time it entered.
 *
 * Messages (IPC): sends {type:'listening', port}; on {type:'run', ...RunSpec} offers lines for
 * warmupMs + measureMs, sends {type:'measuring', from} when the measured part begins (lines stamped
 * from then on are measured) and {type:'result', ...CollectorResult} about it once the hub drained.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { attachTailEndpoint, type HubLimits } from '../../collector/src/live/index.ts';
import type { StreamIdentity } from '../../collector/src/logs/index.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { FANOUT_NAMESPACE, functionName } from './fanout-names.ts';
import { createLogHalf } from './log-half.ts';

export interface RunSpec {
  /** Lines per second offered, all functions together. */
  rate: number;
  functions: number;
  warmupMs: number;
  measureMs: number;
}

export interface CollectorResult {
  offered: number;
  /** CPU time of the collector process over the measured part (user + system), ms. */
  cpuMs: number;
  wallMs: number;
  rssMaxMb: number;
  rssEndMb: number;
  delivered: number;
  dropped: number;
  closedSlow: number;
  frames: number;
  subscribers: number;
  /** Most the generator fell behind its schedule (the collector's event loop was busy), ms. */
  maxLagMs: number;
  /** The collector's event-loop delay over the measured part (blocked by its own work or by GC), ms. */
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  heapUsedMb: number;
  /** Garbage-collection pauses over the measured part: total and longest, ms. */
  gcPauseMs: number;
  gcMaxPauseMs: number;
}

const TICK_MS = 5;

function now(): number {
  return performance.timeOrigin + performance.now();
}

function iso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23) + '000000Z';
}

function main(): void {
  const limits = JSON.parse(process.argv[2] ?? '{}') as Partial<HubLimits>;
  const bufferRecords = process.argv[3] ? Number(process.argv[3]) : undefined;
  const send = (m: unknown): void => void process.send?.(m);
  let ids: StreamIdentity[] = [];
  const runtimes = new Map<string, string>();
  const half = createLogHalf({ runtimes, hubLimits: limits, ...(bufferRecords !== undefined ? { bufferRecords } : {}) });
  const server = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const endpoint = attachTailEndpoint(server, { hub: half.hub, buffer: half.buffer, clock: systemClock, logger: silentLogger() });
  server.listen(0, '127.0.0.1', () => send({ type: 'listening', port: (server.address() as AddressInfo).port }));

  const run = (spec: RunSpec): void => {
    ids = Array.from({ length: spec.functions }, (_, i) => {
      const fn = functionName(i);
      runtimes.set(`${FANOUT_NAMESPACE}/${fn}`, 'nodejs20');
      return { namespace: FANOUT_NAMESPACE, function: fn, pod: `${fn}-5d8c7b9f4-x2x4z`, container: fn };
    });
    const start = now();
    const measureFrom = start + spec.warmupMs;
    const end = measureFrom + spec.measureMs;
    let sent = 0;
    let offered = 0;
    let maxLag = 0;
    let measuring = false;
    let cpu0 = process.cpuUsage();
    let stats0 = half.hub.stats();
    let rssMax = 0;
    const batches: string[][] = ids.map(() => []);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    let gcPause = 0;
    let gcMax = 0;
    const gc = new PerformanceObserver((list) => {
      if (!measuring) return;
      for (const e of list.getEntries()) {
        if (process.env['FANOUT_GC_LOG']) console.error(`gc kind=${(e as unknown as { detail: { kind: number } }).detail.kind} ${e.duration.toFixed(1)} ms`);
        gcPause += e.duration;
        gcMax = Math.max(gcMax, e.duration);
      }
    });
    gc.observe({ entryTypes: ['gc'] });
    const tick = (): void => {
      const t = now();
      if (!measuring && t >= measureFrom) {
        measuring = true;
        cpu0 = process.cpuUsage();
        stats0 = half.hub.stats();
        offered = 0;
        loop.reset();
        loop.enable();
        send({ type: 'measuring', from: t });
      }
      const due = Math.min(Math.floor(((Math.min(t, end) - start) * spec.rate) / 1000), Math.ceil((spec.rate * (spec.warmupMs + spec.measureMs)) / 1000));
      // the generator's lag: how long ago the oldest line now due should have gone in
      if (due > sent) maxLag = Math.max(maxLag, measuring ? t - (start + (sent * 1000) / spec.rate) - TICK_MS : 0);
      const ts = iso(t);
      for (; sent < due; sent++) {
        const i = sent % ids.length;
        batches[i]!.push(`${ts} stdout F order processed order=${sent} items=3 sent=${now().toFixed(3)}`);
      }
      for (let i = 0; i < ids.length; i++) {
        const b = batches[i]!;
        if (b.length === 0) continue;
        if (measuring) offered += b.length;
        half.pipeline.lines(ids[i]!, b, 'cri');
        batches[i] = [];
      }
      rssMax = Math.max(rssMax, process.memoryUsage.rss());
      if (t < end) {
        setTimeout(tick, TICK_MS);
        return;
      }
      // let the hub send what it holds before reading its numbers
      setTimeout(() => {
        loop.disable();
        gc.disconnect();
        const cpu = process.cpuUsage(cpu0);
        const stats = half.hub.stats();
        const result: CollectorResult = {
          offered,
          cpuMs: (cpu.user + cpu.system) / 1000,
          wallMs: now() - measureFrom,
          rssMaxMb: rssMax / 1048576,
          rssEndMb: process.memoryUsage.rss() / 1048576,
          delivered: stats.delivered - stats0.delivered,
          dropped: stats.dropped - stats0.dropped,
          closedSlow: stats.closedSlow - stats0.closedSlow,
          frames: stats.frames - stats0.frames,
          subscribers: stats.subscribers,
          maxLagMs: maxLag,
          loopDelayP99Ms: loop.percentile(99) / 1e6,
          loopDelayMaxMs: loop.max / 1e6,
          heapUsedMb: process.memoryUsage().heapUsed / 1048576,
          gcPauseMs: gcPause,
          gcMaxPauseMs: gcMax,
        };
        send({ type: 'result', ...result });
      }, 500);
    };
    tick();
  };

  process.on('message', (m: { type: string } & RunSpec) => {
    if (m.type === 'run') run(m);
    if (m.type === 'exit') {
      endpoint.close();
      half.hub.closeAll(1001, 'bench over');
      server.close();
      half.errors.close();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
}

if (process.argv[1] === import.meta.filename) main();
