/**
 * One side-by-side run: targets in a child process, fnscope and Prometheus scraping them at the same
 * time, CPU / memory / samples from /proc and each side's own counters over a steady window, then
 * query latency, a cross-check of one function's rates, and stored bytes per sample.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuSeconds, residentBytes } from './proc.ts';
import { seriesFor } from './python-payload.ts';
import { ipcRequest, startFnscope, startPrometheus, waitFor, type Side, type Storage } from './sides.ts';
import type { ServedTarget, TargetServerConfig } from './target-server.ts';

export interface RunConfig {
  targets: number;
  methods: number;
  perPort: number;
  intervalMs: number;
  durationMs: number;
  queries: number;
  /** Time budget of each query's latency measurement. */
  queryBudgetMs: number;
  prometheus: boolean;
  nodeFlags: string[];
  log: (line: string) => void;
}

export interface SideResult {
  name: string;
  samplesPerSecond: number;
  cpuSeconds: number;
  samples: number;
  /** CPU seconds per million samples = microseconds per sample. */
  usPerSample: number;
  /** Mean resident set size over the window, and its highest sample. */
  rss: number;
  peakRss: number;
  idleRss: number;
  series: number;
  storage: Storage;
  targetsUp: number;
}

export interface Latency {
  name: string;
  p50: number;
  p99: number;
  /** Requests timed (fewer than asked when the time budget ran out). */
  count: number;
}

export interface CrossCheck {
  fn: string;
  fnscope: { calls: number; errors: number };
  prometheus: { calls: number; errors: number };
}

export interface RunResult {
  targets: number;
  seriesPerTarget: number;
  windowSeconds: number;
  sides: SideResult[];
  latency: Latency[];
  check: CrossCheck | undefined;
}

export const PROM_QUERIES: Array<[string, string]> = [
  ['calls/s', 'sum by (function) (rate(function_calls_total[1m]))'],
  ['errors/s', 'sum by (function) (rate(function_failures_total[1m]))'],
  ['p99', 'histogram_quantile(0.99, sum by (function, le) (rate(function_duration_seconds_bucket[1m])))'],
];

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

/** Up to n timed requests after one warm-up, stopping early when budgetMs is spent (at least 3). */
async function timeIt(n: number, budgetMs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p99: number; count: number }> {
  await fn();
  const ms: number[] = [];
  const end = performance.now() + budgetMs;
  while (ms.length < n && (ms.length < 3 || performance.now() < end)) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), count: ms.length };
}

function targetFileEntries(served: ServedTarget[]): unknown[] {
  return served.map((t, i) => {
    const fn = `fn-${Math.floor(i / 4)}`;
    const labels: Record<string, string> = { namespace: 'default', function: fn, runtime: 'python3.8', pod: `${fn}-7d9c8b6f5-${(i * 7919).toString(36).padStart(5, 'x')}` };
    if (t.path !== '/metrics') labels['__metrics_path__'] = t.path;
    return { targets: [t.address], labels };
  });
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(path + '.tmp', text);
  renameSync(path + '.tmp', path);
}

async function fnscopeFunctions(url: string): Promise<Array<{ name: string; rates: { callsPerSecond: number; errorsPerSecond: number } }>> {
  const res = (await (await fetch(`${url}/api/v1/functions`)).json()) as { data: Array<{ name: string; rates: { callsPerSecond: number; errorsPerSecond: number } }> };
  return res.data;
}

async function fnscopeTargetsUp(url: string): Promise<number> {
  const res = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ health: string }> } };
  return res.data.activeTargets.filter((t) => t.health === 'up').length;
}

function scalar(result: unknown): number {
  const r = result as Array<{ value: [number, string] }>;
  return r.length === 0 ? 0 : Number(r[0]!.value[1]);
}

export async function measure(cfg: RunConfig): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-side-by-side-'));
  const children: ChildProcess[] = [];
  const sides: Side[] = [];
  try {
    const tcfg: TargetServerConfig = { targets: cfg.targets, methods: cfg.methods, perPort: cfg.perPort, intervalMs: cfg.intervalMs, seed: 1 };
    const targetsChild = fork(join(import.meta.dirname, 'target-server.ts'), [JSON.stringify(tcfg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(targetsChild);
    const served = await new Promise<ServedTarget[]>((resolve, reject) => {
      targetsChild.once('message', (m: { targets?: ServedTarget[] }) => (m.targets ? resolve(m.targets) : reject(new Error('target server failed'))));
      targetsChild.once('exit', (c) => reject(new Error(`target server exited with ${c}`)));
    });
    const targetFile = join(dir, 'targets.json');
    writeAtomically(targetFile, '[]\n');
    const timeoutMs = Math.min(10_000, cfg.intervalMs);
    const fnDir = join(dir, 'fnscope-data');
    mkdirSync(fnDir);
    const started = await Promise.all([
      startFnscope({ targetFile, dataDir: fnDir, intervalMs: cfg.intervalMs, timeoutMs, nodeFlags: cfg.nodeFlags }).then((s) => (sides.push(s), s)),
      cfg.prometheus ? startPrometheus({ dir, targetFile, intervalMs: cfg.intervalMs, timeoutMs }).then((s) => (sides.push(s), s)) : Promise.resolve(undefined),
    ]);
    const fnscope = started[0];
    const prom = started[1];
    const active: Side[] = prom ? [fnscope, prom] : [fnscope];
    await sleep(1500);
    const idle = new Map(active.map((s) => [s.name, residentBytes(s.pid).rss]));

    // Both see the targets at the same moment.
    writeAtomically(targetFile, JSON.stringify(targetFileEntries(served)));
    const perTarget = seriesFor(cfg.methods);
    const want = cfg.targets * perTarget;
    cfg.log(`  ${cfg.targets} targets × ${perTarget} series = ${want.toLocaleString('en-US')} series, every ${cfg.intervalMs / 1000} s; warming up…`);
    const warmStart = Date.now();
    // Warm once (nearly) every series exists: creating them costs more than appending to them.
    const warmDeadline = Math.max(60_000, 12 * cfg.intervalMs);
    await Promise.all(active.map((s) => waitFor(`${s.name} to hold ${want} series`, warmDeadline, async () => ((await s.series()) >= 0.99 * want ? true : undefined), 1000)));
    await sleep(Math.max(cfg.intervalMs, 2000));
    cfg.log(`  warm after ${((Date.now() - warmStart) / 1000).toFixed(0)} s; measuring ${cfg.durationMs / 1000} s…`);

    const read = async (s: Side): Promise<{ samples: number; cpu: number; t: number }> => {
      const samples = await s.appended();
      return { samples, cpu: cpuSeconds(s.pid), t: performance.now() };
    };
    const before = await Promise.all(active.map(read));
    // RSS moves with every garbage collection (V8's and Go's): sampled every second over the window.
    const rss = active.map(() => ({ sum: 0, n: 0, max: 0 }));
    const sampleRss = (): void =>
      active.forEach((s, k) => {
        const r = residentBytes(s.pid).rss;
        rss[k]!.sum += r;
        rss[k]!.n++;
        rss[k]!.max = Math.max(rss[k]!.max, r);
      });
    sampleRss();
    const sampler = setInterval(sampleRss, 1000);
    await sleep(cfg.durationMs);
    clearInterval(sampler);
    sampleRss();
    const after = await Promise.all(active.map(read));
    const results: SideResult[] = [];
    for (let k = 0; k < active.length; k++) {
      const s = active[k]!;
      const a = before[k]!;
      const b = after[k]!;
      const samples = b.samples - a.samples;
      const cpu = b.cpu - a.cpu;
      results.push({
        name: s.name,
        samplesPerSecond: samples / ((b.t - a.t) / 1000),
        cpuSeconds: cpu,
        samples,
        usPerSample: samples > 0 ? (cpu / samples) * 1e6 : Number.NaN,
        rss: rss[k]!.sum / rss[k]!.n,
        peakRss: rss[k]!.max,
        idleRss: idle.get(s.name)!,
        series: await s.series(),
        storage: { bytes: 0, samples: 0, chunks: 0 },
        targetsUp: 0,
      });
    }
    for (const s of active) cfg.log(`  ${s.name} memory: ${await s.memoryDetail()}`);
    results[0]!.targetsUp = await fnscopeTargetsUp(fnscope.url);
    if (prom) results[1]!.targetsUp = scalar(await prom.query('count(up == 1)'));

    // Cross-check: one function's rates, asked of both at the same moment.
    let check: CrossCheck | undefined;
    if (prom) {
      const fn = 'fn-0';
      const [views, calls, errors] = await Promise.all([
        fnscopeFunctions(fnscope.url),
        prom.query(`sum(rate(function_calls_total{function="${fn}"}[1m]))`),
        prom.query(`sum(rate(function_failures_total{function="${fn}"}[1m]))`),
      ]);
      const v = views.find((f) => f.name === fn);
      check = { fn, fnscope: { calls: v?.rates.callsPerSecond ?? Number.NaN, errors: v?.rates.errorsPerSecond ?? Number.NaN }, prometheus: { calls: scalar(calls), errors: scalar(errors) } };
    }

    cfg.log(`  query latency, up to ${cfg.queries} requests or ${cfg.queryBudgetMs / 1000} s each…`);
    const budget = cfg.queryBudgetMs;
    const latency: Latency[] = [{ name: 'fnscope GET /api/v1/functions', ...(await timeIt(cfg.queries, budget, () => fnscopeFunctions(fnscope.url))) }];
    if (prom) {
      const each: Latency[] = [];
      for (const [name, q] of PROM_QUERIES) each.push({ name: `Prometheus ${name}: ${q}`, ...(await timeIt(cfg.queries, budget, () => prom.query(q))) });
      const sum = (k: 'p50' | 'p99'): number => each.reduce((acc, l) => acc + l[k], 0);
      latency.push(...each, { name: 'Prometheus, the three (sum)', p50: sum('p50'), p99: sum('p99'), count: Math.min(...each.map((l) => l.count)) });
    }

    for (let k = 0; k < active.length; k++) results[k]!.storage = await active[k]!.storage();
    const req = await ipcRequest<number>(targetsChild, 'stats', 'requests').catch(() => 0);
    cfg.log(`  targets served ${req.toLocaleString('en-US')} scrapes`);
    return { targets: cfg.targets, seriesPerTarget: perTarget, windowSeconds: cfg.durationMs / 1000, sides: results, latency, check };
  } finally {
    await Promise.all(sides.map((s) => s.stop().catch(() => undefined)));
    for (const c of children) if (c.connected) c.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}
