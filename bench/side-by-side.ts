/**
 * fnscope and a real Prometheus scraping the same Kubeless-shaped targets at the same time, measured
 * side by side: CPU per sample ingested, resident bytes per active series, bytes per stored sample,
 * query latency of /api/v1/functions against the equivalent PromQL, and one function's rates from
 * both (they must agree). See docs/performance.md.
 *
 *   node bench/side-by-side.ts [--targets 200 --series 500 --interval 1s --duration 60s --queries 50]
 *   node bench/side-by-side.ts --scale [--interval 15s --duration 60s --steps 100,1000,10000]
 *     (targets of ~104 series each per step: 10k → 100k → 1M series)
 *
 * Flags: --per-port N (targets per listening port), --query-budget 20s (time cap of each latency
 * measurement), --fnscope-only, --cpu-prof DIR (profile the fnscope process), --node-flags "..."
 * (extra Node.js flags for the fnscope process, e.g. --node-flags=--trace-gc).
 */
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { measure, type RunConfig, type RunResult } from './support/measure.ts';
import { methodsFor, seriesFor } from './support/python-payload.ts';
import { crossCheckLine, growthTable, latencyTable, sidesTable } from './support/report.ts';

function duration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(s);
  if (!m) throw new Error(`invalid duration "${s}" (e.g. 500ms, 15s, 2m)`);
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
}

const { values: a } = parseArgs({
  options: {
    targets: { type: 'string' },
    series: { type: 'string' },
    interval: { type: 'string' },
    duration: { type: 'string' },
    queries: { type: 'string' },
    'query-budget': { type: 'string' },
    'per-port': { type: 'string' },
    scale: { type: 'boolean', default: false },
    'fnscope-only': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    'node-flags': { type: 'string' },
    steps: { type: 'string' },
  },
});

// Interrupted: exit, so that the 'exit' handlers take Prometheus down (the Node.js children follow their IPC channel).
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(sig, () => process.exit(130));

const scale = a.scale;
const base: Omit<RunConfig, 'targets' | 'methods' | 'perPort'> = {
  intervalMs: duration(a.interval ?? (scale ? '15s' : '1s')),
  durationMs: duration(a.duration ?? '60s'),
  queries: Number(a.queries ?? (scale ? 10 : 50)),
  queryBudgetMs: duration(a['query-budget'] ?? '20s'),
  prometheus: !a['fnscope-only'],
  // A million series may need more than Node.js's default old-space limit (4.5 GB on this machine).
  nodeFlags: [
    ...(scale ? ['--max-old-space-size=16384'] : []),
    ...(a['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${a['cpu-prof']}`] : []),
    ...(a['node-flags']?.split(/\s+/).filter((f) => f !== '') ?? []),
  ],
  log: (line) => console.log(line),
};

function promVersion(): string {
  try {
    return execFileSync('prometheus', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  } catch {
    return 'prometheus not found';
  }
}

function printRun(r: RunResult): void {
  console.log('');
  console.log(sidesTable(r));
  console.log('');
  console.log(latencyTable(r.latency));
  if (r.check) {
    console.log('');
    console.log(crossCheckLine(r.check));
  }
  console.log('');
}

console.log(`side-by-side: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node.js ${process.version}, ${promVersion()}`);
console.log('CPU and RSS from /proc/<pid> of each process over the steady window; samples from each side\'s own counter');
console.log('(fnscope store stats, Prometheus prometheus_tsdb_head_samples_appended_total); series: fnscope store,');
console.log('Prometheus prometheus_tsdb_head_series; bytes/sample: compressed chunk bytes / samples held (Prometheus: a');
console.log('TSDB snapshot of its head; XOR chunk data without the per-chunk sample count and first timestamp, which');
console.log('fnscope keeps beside its chunk bytes). RSS: mean of 1 s samples over the window; idle: before any target.');
console.log('Both scrape the same targets at the same time.');

if (!scale) {
  const series = Number(a.series ?? 500);
  const targets = Number(a.targets ?? 200);
  const methods = methodsFor(series);
  console.log(`\n== ${targets} targets × ${seriesFor(methods)} series, interval ${base.intervalMs / 1000} s, window ${base.durationMs / 1000} s`);
  const r = await measure({ ...base, targets, methods, perPort: Number(a['per-port'] ?? 1) });
  printRun(r);
} else {
  const methods = methodsFor(Number(a.series ?? 100));
  const runs: RunResult[] = [];
  for (const targets of (a.steps ?? '100,1000,10000').split(',').map(Number)) {
    console.log(`\n== scale: ${targets} targets × ${seriesFor(methods)} series, interval ${base.intervalMs / 1000} s, window ${base.durationMs / 1000} s`);
    const r = await measure({ ...base, targets, methods, perPort: Number(a['per-port'] ?? 50) });
    printRun(r);
    runs.push(r);
  }
  console.log('== how cost grows with series');
  console.log(growthTable(runs));
}
