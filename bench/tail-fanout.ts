/**
 * Live-tail fan-out: subscribers on the real WebSocket endpoint, each following one function, while
 * lines are offered into the collector's log pipeline at a fixed rate. Measured per variant of the hub:
 * records delivered per second against those expected, drops (reported to subscribers, and subscribers
 * closed as too slow), latency from the line entering the collector (its `lines()` call) to a client
 * receiving it, and the collector process's CPU and RSS. Two variants run in the same invocation:
 * the hub as configured (DEFAULT_HUB_LIMITS: batched frames) and the reference, one send() per line per
 * subscriber (flushIntervalMs 0, maxRecordsPerFrame 1), and the ratio of their CPU cost is printed.
 *
 *   node bench/tail-fanout.ts [--subscribers 1000] [--functions 100] [--rate 20000] [--seconds 20]
 *                             [--warmup 3] [--client-processes 2] [--only batched|per-line] [--flush-ms N]
 *                             [--buffer-records N] [--collector-flags=--max-semi-space-size=4]
 *
 * Processes: the collector (bench/lib/fanout-collector.ts: the log half as wired, attachTailEndpoint
 * on an HTTP server on an ephemeral port, and the line generator) and the subscribers
 * (bench/lib/fanout-clients.ts, `ws` clients, split over --client-processes) run as children, so the
 * clients' CPU is not the collector's; this process only starts them and reads their numbers. One
 * machine, one clock: the latency is the receive time minus the `sent=` stamp in the line.
 * Goal: p99 < 50 ms and no drops at 1,000 subscribers, 100 functions, 20,000 lines/s.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_HUB_LIMITS, type HubLimits } from '../collector/src/live/index.ts';
import type { ClientsResult } from './lib/fanout-clients.ts';
import type { CollectorResult, RunSpec } from './lib/fanout-collector.ts';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    functions: { type: 'string', default: '100' },
    rate: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    'client-processes': { type: 'string', default: '2' },
    only: { type: 'string' },
    /** Records the collector's log buffer keeps (default: the collector's default). */
    'buffer-records': { type: 'string' },
    /** Node.js flags for the collector process, e.g. "--max-semi-space-size=4". */
    'collector-flags': { type: 'string', default: '' },
    /** flushIntervalMs of the batched variant (default: DEFAULT_HUB_LIMITS'), to tune it. */
    'flush-ms': { type: 'string' },
  },
});
const subscribers = Number(values.subscribers);
const functions = Number(values.functions);
const clientProcesses = Math.max(1, Math.min(subscribers, Number(values['client-processes'])));
const spec: RunSpec = { rate: Number(values.rate), functions, warmupMs: Number(values.warmup) * 1000, measureMs: Number(values.seconds) * 1000 };

interface Variant {
  name: string;
  limits: Partial<HubLimits>;
}

const flushMs = values['flush-ms'] === undefined ? undefined : Number(values['flush-ms']);
const VARIANTS: Variant[] = [
  flushMs === undefined
    ? { name: `batched (hub defaults: flush ${DEFAULT_HUB_LIMITS.flushIntervalMs} ms)`, limits: {} }
    : { name: `batched (flush ${flushMs} ms)`, limits: { flushIntervalMs: flushMs } },
  { name: 'one send() per line per client', limits: { flushIntervalMs: 0, maxRecordsPerFrame: 1 } },
].filter((v) => values.only === undefined || (values.only === 'batched') === v.name.startsWith('batched'));

interface Child {
  proc: ChildProcess;
  next(type: string): Promise<Record<string, unknown>>;
}

/** A child process speaking the IPC messages of bench/lib/fanout-*.ts. */
function child(file: string, args: string[]): Child {
  // FANOUT_CPU_PROF=<dir>: a CPU profile of the collector process (node --cpu-prof), to see where its time goes
  const prof = process.env['FANOUT_CPU_PROF'];
  const execArgv = file.includes('collector') ? [...(prof ? ['--cpu-prof', '--cpu-prof-dir', prof] : []), ...values['collector-flags'].split(' ').filter((f) => f !== '')] : [];
  const proc = fork(join(import.meta.dirname, 'lib', file), args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const waiting = new Map<string, (m: Record<string, unknown>) => void>();
  const early = new Map<string, Record<string, unknown>>();
  proc.on('message', (m: Record<string, unknown>) => {
    const type = String(m['type']);
    if (type === 'failed') throw new Error(`${file}: ${String(m['error'])}`);
    const w = waiting.get(type);
    if (w) {
      waiting.delete(type);
      w(m);
    } else {
      early.set(type, m);
    }
  });
  proc.on('exit', (code) => {
    if (code !== 0 && code !== null) for (const w of waiting.values()) w({ type: 'exit', code });
  });
  return {
    proc,
    next: (type) => {
      const m = early.get(type);
      if (m) {
        early.delete(type);
        return Promise.resolve(m);
      }
      return new Promise((resolve) => waiting.set(type, resolve));
    },
  };
}

interface Outcome {
  variant: Variant;
  collector: CollectorResult;
  clients: ClientsResult;
  expected: number;
}

async function runVariant(variant: Variant): Promise<Outcome> {
  const collector = child('fanout-collector.ts', [JSON.stringify(variant.limits), values['buffer-records'] ?? '']);
  const clients: Child[] = [];
  try {
    const { port } = (await collector.next('listening')) as { port: number };
    const per = Math.ceil(subscribers / clientProcesses);
    for (let p = 0; p < clientProcesses; p++) {
      const first = p * per;
      const n = Math.min(per, subscribers - first);
      if (n > 0) clients.push(child('fanout-clients.ts', [`ws://127.0.0.1:${port}`, String(first), String(n), String(functions)]));
    }
    await Promise.all(clients.map((c) => c.next('ready')));
    collector.proc.send({ type: 'run', ...spec });
    const { from } = (await collector.next('measuring')) as { from: number };
    for (const c of clients) c.proc.send({ type: 'measure', from });
    const result = (await collector.next('result')) as unknown as CollectorResult;
    const reports = await Promise.all(
      clients.map((c) => {
        c.proc.send({ type: 'report' });
        return c.next('report') as unknown as Promise<ClientsResult>;
      }),
    );
    const merged: ClientsResult = { received: 0, frames: 0, dropped: 0, closes: {}, latency: [] };
    const hist = new Map<number, number>();
    for (const r of reports) {
      merged.received += r.received;
      merged.frames += r.frames;
      merged.dropped += r.dropped;
      for (const [code, n] of Object.entries(r.closes)) merged.closes[code] = (merged.closes[code] ?? 0) + n;
      for (const [b, n] of r.latency) hist.set(b, (hist.get(b) ?? 0) + n);
    }
    merged.latency = [...hist].sort((a, b) => a[0] - b[0]);
    // lines go to the functions in turn, subscribers follow them in turn
    let expected = 0;
    for (let f = 0; f < functions; f++) {
      const followers = Math.floor(subscribers / functions) + (f < subscribers % functions ? 1 : 0);
      const lines = Math.floor(result.offered / functions) + (f < result.offered % functions ? 1 : 0);
      expected += followers * lines;
    }
    return { variant, collector: result, clients: merged, expected };
  } finally {
    await Promise.all(
      [...clients, collector].map(async (c) => {
        if (c.proc.exitCode !== null || c.proc.signalCode !== null) return;
        const exited = new Promise((r) => c.proc.once('exit', r));
        if (c.proc.connected) c.proc.send({ type: 'exit' });
        const timer = setTimeout(() => c.proc.kill(), 5000); // bounded: a child that does not leave is killed
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

function quantile(hist: Array<[number, number]>, q: number): number {
  const total = hist.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return Number.NaN;
  let seen = 0;
  for (const [b, c] of hist) {
    seen += c;
    if (seen >= q * total) return (b + 1) / 10; // the bucket's upper edge, ms
  }
  return Number.NaN;
}

console.log(`load average before the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} CPUs`);
console.log(
  `fan-out: ${subscribers} subscribers (ws clients in ${clientProcesses} child process${clientProcesses > 1 ? 'es' : ''}) following ${functions} functions ` +
    `(${(subscribers / functions).toFixed(1)} each); ${spec.rate} lines/s offered into the collector's LogPipeline (CRI lines, RawLogSink lines()); ` +
    `${values.seconds} s measured after ${values.warmup} s warm-up; latency from lines() to the client's receipt`,
);
const outcomes: Outcome[] = [];
for (const v of VARIANTS) outcomes.push(await runVariant(v));

console.log(`load average after the run: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(
  'delivered/s: records stamped in the measured part that reached a client; sent/s: records the hub sent in the measured part ' +
    '(also older ones); CPU %: of one core, the collector process alone',
);
const header = `${'variant'.padEnd(40)} ${'offered/s'.padStart(9)} ${'delivered/s'.padStart(11)} ${'of expected'.padStart(11)} ${'drops'.padStart(7)} ${'closed'.padStart(6)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(8)} ${'sent/s'.padStart(8)} ${'frames/s'.padStart(9)} ${'CPU %'.padStart(6)} ${'µs/sent'.padStart(8)} ${'RSS MB'.padStart(7)}`;
console.log(`\n${header}`);
for (const o of outcomes) {
  const s = spec.measureMs / 1000;
  const closed = Object.values(o.clients.closes).reduce((n, c) => n + c, 0);
  const drops = Math.max(o.collector.dropped, o.clients.dropped);
  console.log(
    `${o.variant.name.padEnd(40)} ${(o.collector.offered / s).toFixed(0).padStart(9)} ${(o.clients.received / s).toFixed(0).padStart(11)} ` +
      `${((100 * o.clients.received) / Math.max(1, o.expected)).toFixed(1).padStart(10)}% ${String(drops).padStart(7)} ${String(closed).padStart(6)} ` +
      `${quantile(o.clients.latency, 0.5).toFixed(1).padStart(7)} ${quantile(o.clients.latency, 0.99).toFixed(1).padStart(7)} ${quantile(o.clients.latency, 1).toFixed(1).padStart(8)} ` +
      `${(o.collector.delivered / s).toFixed(0).padStart(8)} ${(o.collector.frames / s).toFixed(0).padStart(9)} ${((100 * o.collector.cpuMs) / o.collector.wallMs).toFixed(1).padStart(6)} ` +
      `${((1000 * o.collector.cpuMs) / Math.max(1, o.collector.delivered)).toFixed(2).padStart(8)} ${o.collector.rssMaxMb.toFixed(0).padStart(7)}`,
  );
}
const [batched, perLine] = outcomes;
if (batched && perLine) {
  const cost = (o: Outcome): number => o.collector.cpuMs / Math.max(1, o.collector.delivered);
  console.log(
    `\nratio (one send per line / batched), collector CPU per record sent: ${(cost(perLine) / cost(batched)).toFixed(1)}x; ` +
      `collector CPU: ${((100 * perLine.collector.cpuMs) / perLine.collector.wallMs).toFixed(1)} % vs ${((100 * batched.collector.cpuMs) / batched.collector.wallMs).toFixed(1)} % of a core`,
  );
}
for (const o of outcomes) {
  const ok = quantile(o.clients.latency, 0.99) < 50 && o.collector.dropped === 0 && o.clients.dropped === 0 && Object.keys(o.clients.closes).length === 0;
  console.log(
    `goal (p99 < 50 ms, no drops) for ${o.variant.name}: ${ok ? 'met' : 'NOT met'}; collector event-loop delay p99 ${o.collector.loopDelayP99Ms.toFixed(1)} ms, ` +
      `max ${o.collector.loopDelayMaxMs.toFixed(1)} ms; GC pauses ${o.collector.gcPauseMs.toFixed(0)} ms in all, longest ${o.collector.gcMaxPauseMs.toFixed(1)} ms; ` +
      `heap used ${o.collector.heapUsedMb.toFixed(0)} MB`,
  );
}
