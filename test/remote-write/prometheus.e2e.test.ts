/**
 * Remote write against the real Prometheus (/usr/bin/prometheus, --web.enable-remote-write-receiver):
 * N series × M samples, including staleness markers, NaN and ±Inf, sent through a proxy that injects
 * a 503, a 429 and a dropped connection; then Prometheus's own HTTP API and metrics must show every
 * sample once.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uncompress } from 'snappyjs';
import { RemoteWriteQueue } from '../../collector/src/remote-write/queue.ts';
import { decodeWriteRequest } from '../../collector/src/remote-write/write-request.ts';
import { MemoryRemoteWriteMetrics } from '../../collector/src/remote-write/metrics.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';

const N = 40;
const M = 120;
const STEP_MS = 15_000;
const dir = mkdtempSync(join(tmpdir(), 'fnscope-rw-prom-'));
let prom: ChildProcess | undefined;
let promLog = '';
let promUrl = '';
let proxy: Server | undefined;
let proxyUrl = '';
/** What the proxy forwarded to Prometheus and Prometheus accepted: "series|t". */
const forwarded: string[] = [];
const injected = { status503: 0, status429: 0, reset: 0 };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitReady(url: string, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      if ((await fetch(url + '/-/ready')).ok) return;
    } catch {
      // not listening yet
    }
    if (prom?.exitCode !== null) throw new Error(`prometheus exited: ${promLog.slice(-2000)}`);
    if (Date.now() > end) throw new Error(`prometheus not ready in ${deadlineMs} ms: ${promLog.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  prom = spawn('prometheus', [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--web.enable-remote-write-receiver',
    '--log.level=warn',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  prom.stdout?.on('data', (d: Buffer) => (promLog += d.toString()));
  prom.stderr?.on('data', (d: Buffer) => (promLog += d.toString()));
  promUrl = `http://127.0.0.1:${port}`;
  await waitReady(promUrl, 30_000);

  // The proxy: request 1 gets a 503, request 3 a 429, request 5 a reset connection; the rest go
  // through, and what Prometheus accepted (2xx) is recorded.
  let n = 0;
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      n++;
      if (n === 1) {
        injected.status503++;
        res.writeHead(503).end('injected');
        return;
      }
      if (n === 3) {
        injected.status429++;
        res.writeHead(429, { 'retry-after': '0' }).end('injected');
        return;
      }
      if (n === 5) {
        injected.reset++;
        req.socket.destroy();
        return;
      }
      const body = Buffer.concat(chunks);
      const up = request(promUrl + '/api/v1/write', { method: 'POST', headers: { ...req.headers, host: new URL(promUrl).host } }, (pres) => {
        const out: Buffer[] = [];
        pres.on('data', (c: Buffer) => out.push(c));
        pres.on('end', () => {
          if ((pres.statusCode ?? 500) < 300) {
            for (const ts of decodeWriteRequest(uncompress(body))) for (const s of ts.samples) forwarded.push(`${ts.labels.join(',')}|${s.t}`);
          }
          res.writeHead(pres.statusCode ?? 502, pres.headers).end(Buffer.concat(out));
        });
      });
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    });
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

after(async () => {
  if (proxy) {
    proxy.closeAllConnections();
    proxy.close();
  }
  if (prom && prom.exitCode === null) {
    const exited = new Promise((r) => prom!.once('exit', r));
    prom.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (prom.exitCode === null) prom.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Expected {
  labels: string[];
  samples: Array<{ t: number; v: number; stale: boolean }>;
}

function valueAt(i: number, j: number): { v: number; stale: boolean } {
  if (i % 4 === 0 && j === 60) return { v: 0, stale: true }; // the series went away, then came back
  if (i % 4 === 1 && j === M - 1) return { v: 0, stale: true }; // the series ended
  if (i % 5 === 2 && j % 17 === 3) return { v: Number.POSITIVE_INFINITY, stale: false };
  if (i % 5 === 3 && j % 19 === 4) return { v: Number.NEGATIVE_INFINITY, stale: false };
  if (i % 7 === 4 && j === 10) return { v: Number.NaN, stale: false };
  return { v: i * 1000 + j + (j % 3) * 0.25, stale: false };
}

function promValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

async function api<T>(path: string, params: Record<string, string>): Promise<T> {
  const r = await fetch(`${promUrl}${path}?${new URLSearchParams(params).toString()}`);
  const body = (await r.json()) as { status: string; data: T; error?: string };
  assert.equal(body.status, 'success', body.error);
  return body.data;
}

async function headSamplesAppended(): Promise<number> {
  const text = await (await fetch(promUrl + '/metrics')).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('prometheus_tsdb_head_samples_appended_total')) total += Number(line.split(' ').at(-1));
  }
  return total;
}

test('every sample lands in Prometheus exactly once, stale markers and ±Inf included', { timeout: 60_000 }, async () => {
  const base = Math.floor((Date.now() - 40 * 60_000) / 1000) * 1000;
  const expected: Expected[] = [];
  for (let i = 0; i < N; i++) {
    const fn = `fn-${i}`;
    const labels = ['__name__', i % 2 === 0 ? 'rwtest_calls_total' : 'rwtest_duration_seconds', 'function', fn, 'namespace', 'default', 'pod', `${fn}-abc12`];
    expected.push({ labels, samples: Array.from({ length: M }, (_, j) => ({ t: base + j * STEP_MS, ...valueAt(i, j) })) });
  }
  const appendedBefore = await headSamplesAppended();
  const metrics = new MemoryRemoteWriteMetrics();
  const q = new RemoteWriteQueue({
    url: proxyUrl + '/api/v1/write',
    clock: systemClock,
    logger: silentLogger(),
    metrics,
    externalLabels: { collector: 'fnscope-test' },
    limits: { shards: 4, maxSamplesPerSend: 300, minBackoffMs: 10, maxBackoffMs: 200 },
  });
  // As a store commit would report them: one scrape (every series once) per timestamp.
  for (let j = 0; j < M; j++) {
    for (const e of expected) {
      const s = e.samples[j]!;
      if (s.stale) q.stale(e.labels, s.t);
      else q.sample(e.labels, s.t, s.v);
    }
  }
  await q.flush();
  await q.close();

  const total = N * M;
  assert.deepEqual(injected, { status503: 1, status429: 1, reset: 1 }, 'the failures were injected');
  assert.deepEqual(q.totals.sent, total);
  assert.equal(q.totals.failed + q.totals.dropped, 0);
  assert.equal(metrics.get('fnscope_remote_write_retries_total'), 3);
  assert.equal(forwarded.length, total, 'Prometheus accepted requests holding exactly N × M samples');
  assert.equal(new Set(forwarded).size, total, 'no sample was forwarded twice');
  assert.equal((await headSamplesAppended()) - appendedBefore, total, 'Prometheus appended N × M samples (staleness markers count as samples)');

  const end = base + (M - 1) * STEP_MS;
  const series = await api<Array<Record<string, string>>>('/api/v1/series', { 'match[]': '{__name__=~"rwtest_.*"}', start: String(base / 1000 - 1), end: String(end / 1000 + 1) });
  assert.equal(series.length, N);
  const key = (rec: Record<string, string>): string => JSON.stringify(Object.entries(rec).sort());
  const wantSeries = expected.map((e) => {
    const rec: Record<string, string> = { collector: 'fnscope-test' };
    for (let k = 0; k < e.labels.length; k += 2) rec[e.labels[k]!] = e.labels[k + 1]!;
    return rec;
  });
  assert.deepEqual(series.map(key).sort(), wantSeries.map(key).sort());

  // Raw samples through a range selector: every non-stale sample, with its exact value and time.
  const matrix = await api<{ resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> }>('/api/v1/query', {
    query: '{__name__=~"rwtest_.*"}[1h]',
    time: String((end + 1) / 1000),
  });
  assert.equal(matrix.result.length, N);
  const byFn = new Map(matrix.result.map((r) => [r.metric['function']!, r.values]));
  for (const e of expected) {
    const got = byFn.get(e.labels[3]!);
    assert.ok(got, `series ${e.labels[3]} queried`);
    const want = e.samples.filter((s) => !s.stale).map((s) => [s.t / 1000, promValue(s.v)]);
    assert.deepEqual(got, want, `samples of ${e.labels[3]}`);
  }

  // Staleness markers took effect: just after one, the series is absent from an instant query,
  // although its previous sample is within the 5-minute lookback.
  for (const [i, j] of [[0, 60], [1, M - 1], [4, 60]] as const) {
    const t = base + j * STEP_MS + 1;
    const v = await api<{ result: unknown[] }>('/api/v1/query', { query: `{__name__=~"rwtest_.*",function="fn-${i}"}`, time: String(t / 1000) });
    assert.equal(v.result.length, 0, `fn-${i} is stale at sample ${j}`);
    const before = await api<{ result: unknown[] }>('/api/v1/query', { query: `{__name__=~"rwtest_.*",function="fn-${i}"}`, time: String((t - 2) / 1000) });
    assert.equal(before.result.length, 1, `fn-${i} is present just before`);
  }
});
