/**
 * The two scrapers under test, behind one interface: the fnscope collector (bench/support/run-collector.ts
 * in a child process) and the real Prometheus (/usr/bin/prometheus), each reporting from its own counters.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { snapshotChunkStats } from './prometheus-blocks.ts';
import type { RunnerConfig, RunnerStats } from './run-collector.ts';

/** Compressed sample bytes and the samples they hold. */
export interface Storage {
  bytes: number;
  samples: number;
  chunks: number;
}

export interface Side {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  /** Samples appended since start (the side's own counter). */
  appended(): Promise<number>;
  /** Active (head) series. */
  series(): Promise<number>;
  storage(): Promise<Storage>;
  /** Where the memory goes, as far as the side can tell. */
  memoryDetail(): Promise<string>;
  stop(): Promise<void>;
}

const mb = (n: number): string => `${(n / 1e6).toFixed(0)} MB`;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

export async function waitFor<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>, everyMs = 200): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/** A child that talks over IPC: one request of a type at a time, answered by the next message of that type. */
export function ipcRequest<T>(child: ChildProcess, type: string, field: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: Record<string, unknown>): void => {
      if (m['type'] !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m[field] as T);
    };
    const onExit = (): void => {
      child.off('message', onMessage);
      reject(new Error(`${type}: child exited`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ type });
  });
}

export interface FnscopeSideOptions extends RunnerConfig {
  /** Extra Node.js flags for the collector process (e.g. --cpu-prof). */
  nodeFlags: string[];
}

/** fnscope in its own Node.js process. */
export async function startFnscope(o: FnscopeSideOptions): Promise<Side> {
  const runner = join(import.meta.dirname, 'run-collector.ts');
  const cfg: RunnerConfig = { targetFile: o.targetFile, dataDir: o.dataDir, intervalMs: o.intervalMs, timeoutMs: o.timeoutMs };
  const child = spawn(process.execPath, [...o.nodeFlags, runner, JSON.stringify(cfg)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { type?: string; url?: string }) => (m.type === 'ready' && m.url ? resolve(m.url) : reject(new Error('runner did not start'))));
    child.once('exit', (code) => reject(new Error(`fnscope runner exited with ${code}`)));
  });
  let last: Promise<unknown> = Promise.resolve();
  const stats = (): Promise<RunnerStats> => {
    const p = last.then(() => ipcRequest<RunnerStats>(child, 'stats', 'stats'));
    last = p.catch(() => undefined);
    return p;
  };
  return {
    name: 'fnscope',
    pid: child.pid!,
    url,
    appended: async () => (await stats()).appended,
    series: async () => (await stats()).series,
    storage: async () => {
      const s = await stats();
      return { bytes: s.chunkBytes, samples: s.samples, chunks: 0 };
    },
    memoryDetail: async () => {
      const s = await stats();
      const m = s.memory;
      const spaces = Object.entries(s.spaces)
        .filter(([, b]) => b >= 1e6)
        .map(([n, b]) => `${n.replace(/_space$/, '')} ${mb(b)}`)
        .join(', ');
      return `V8 heap ${mb(m.heapUsed)} used of ${mb(m.heapTotal)} (${spaces}), external ${mb(m.external)} (array buffers ${mb(m.arrayBuffers)}); the store accounts for ${mb(s.totalBytes)}`;
    },
    stop: async () => {
      if (child.connected) child.send({ type: 'stop' });
      await exited(child, 20_000);
    },
  };
}

/** Sum of every sample of these metric names in a Prometheus text body. */
export function sumMetric(body: string, name: string): number {
  let sum = 0;
  let found = false;
  for (const line of body.split('\n')) {
    if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    found = true;
  }
  return found ? sum : Number.NaN;
}

export interface PrometheusSideOptions {
  dir: string;
  targetFile: string;
  intervalMs: number;
  timeoutMs: number;
}

/** The real Prometheus, same targets, same interval, storage in a temporary folder. */
export async function startPrometheus(o: PrometheusSideOptions): Promise<Side & { query(q: string): Promise<unknown> }> {
  const port = await freePort();
  const data = join(o.dir, 'prometheus-data');
  mkdirSync(data, { recursive: true });
  const config = join(o.dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${o.intervalMs}ms`,
      `  scrape_timeout: ${o.timeoutMs}ms`,
      'scrape_configs:',
      '  - job_name: functions',
      '    file_sd_configs:',
      `      - files: [${JSON.stringify(o.targetFile)}]`,
      '',
    ].join('\n'),
  );
  let log = '';
  const child = spawn('prometheus', [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-admin-api', '--log.level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Prometheus does not go away with this process on its own (the Node.js children do, when their IPC
  // channel closes): take it down on any exit.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.stdout?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  await waitFor('prometheus to be ready', 30_000, async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
  }).catch((e: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${e.message}\n${log}`);
  });
  const own = async (name: string): Promise<number> => sumMetric(await (await fetch(`${url}/metrics`)).text(), name);
  return {
    name: 'Prometheus',
    pid: child.pid!,
    url,
    appended: () => own('prometheus_tsdb_head_samples_appended_total'),
    series: () => own('prometheus_tsdb_head_series'),
    storage: async () => {
      const res = (await (await fetch(`${url}/api/v1/admin/tsdb/snapshot`, { method: 'POST' })).json()) as { data?: { name?: string } };
      if (!res.data?.name) throw new Error('snapshot failed');
      return snapshotChunkStats(join(data, 'snapshots', res.data.name));
    },
    memoryDetail: async () => {
      const body = await (await fetch(`${url}/metrics`)).text();
      return `Go heap in use ${mb(sumMetric(body, 'go_memstats_heap_inuse_bytes'))}, heap idle ${mb(sumMetric(body, 'go_memstats_heap_idle_bytes'))} (released ${mb(sumMetric(body, 'go_memstats_heap_released_bytes'))})`;
    },
    query: async (q: string) => {
      const res = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as { status: string; data?: { result?: unknown }; error?: string };
      if (res.status !== 'success') throw new Error(`query ${q}: ${res.error ?? res.status}`);
      return res.data?.result;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child, 30_000);
      process.off('exit', killOnExit);
    },
  };
}
