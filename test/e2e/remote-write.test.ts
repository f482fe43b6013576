/**
 * Remote write through the real collector: `fnscope serve --sandbox --remote-write-url` scrapes the
 * sandbox's functions for about ten seconds while sending to a real Prometheus
 * (--web.enable-remote-write-receiver). Every sample of `up` and `function_calls_total` of one function
 * that the collector holds is in Prometheus with its time and value, and no sample was sent twice.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uncompress } from 'snappyjs';
import { decodeWriteRequest } from '../../collector/src/remote-write/write-request.ts';
import { startServe, eventually, type RunningServe } from '../support/serve.ts';
import { freePort } from '../support/collector.ts';

const dir = mkdtempSync(join(tmpdir(), 'fnscope-rw-e2e-'));
let prom: ChildProcess | undefined;
let promLog = '';
let promUrl = '';
let proxy: Server | undefined;
let s: RunningServe | undefined;
/** Every sample Prometheus accepted, as "labels|t", in the order sent. */
const accepted: string[] = [];
let rejectedRequests = 0;

before(async () => {
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
  prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver', '--log.level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  prom.stdout?.on('data', (d: Buffer) => (promLog += d.toString()));
  prom.stderr?.on('data', (d: Buffer) => (promLog += d.toString()));
  promUrl = `http://127.0.0.1:${port}`;
  // A recording proxy in front of Prometheus: what it accepted, sample by sample.
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const up = request(`${promUrl}/api/v1/write`, { method: 'POST', headers: { ...req.headers, host: `127.0.0.1:${port}` } }, (pres) => {
        const out: Buffer[] = [];
        pres.on('data', (c: Buffer) => out.push(c));
        pres.on('end', () => {
          if ((pres.statusCode ?? 500) < 300) {
            for (const ts of decodeWriteRequest(uncompress(body))) for (const x of ts.samples) accepted.push(`${ts.labels.join(',')}|${x.t}`);
          } else rejectedRequests++;
          res.writeHead(pres.statusCode ?? 502, pres.headers).end(Buffer.concat(out));
        });
      });
      up.on('error', () => res.writeHead(502).end());
      up.end(body);
    });
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', r));
  await eventually(async () => ((await fetch(`${promUrl}/-/ready`)).ok ? true : undefined), 30_000, `prometheus to be ready: ${promLog}`);
  s = await startServe(['--no-traffic', '--scrape-interval', '1s', '--scrape-timeout', '900ms', '--remote-write-url', `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/api/v1/write`]);
});

after(async () => {
  await s?.stop();
  proxy?.closeAllConnections();
  proxy?.close();
  if (prom && prom.exitCode === null) {
    const exited = new Promise((r) => prom!.once('exit', r));
    prom.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (prom.exitCode === null) prom.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Series {
  labels: Record<string, string>;
  values: Array<[number, string]>;
}

const key = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

test('every sample the collector took lands in Prometheus once, with its time and value', { timeout: 60_000 }, async () => {
  const serve = s!;
  const t0 = Date.now();
  // About ten seconds of scrapes, with calls so that the counter moves.
  await eventually(async () => ((await (await fetch(`${serve.url}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ health: string; labels: Record<string, string> }> } }).data.activeTargets.some((t) => t.health === 'up' && t.labels['function'] === 'hello') ? true : undefined, 20_000, 'hello\u2019s target up');
  await eventually(async () => ((await serve.invoke('hello', { warmup: true })).status === 200 ? true : undefined), 20_000, 'hello to answer through its Service');
  for (let i = 0; i < 10; i++) {
    assert.equal((await serve.invoke('hello', { n: i })).status, 200);
    await new Promise((r) => setTimeout(r, 1000));
  }
  const end = Date.now() - 1500; // samples up to here are complete in the collector
  const q = new URLSearchParams({ start: String((t0 - 60_000) / 1000), end: String(end / 1000) });
  q.append('match[]', 'up{function="hello"}');
  q.append('match[]', 'function_calls_total{function="hello"}');
  const mine = ((await (await fetch(`${serve.url}/api/v1/series?${q.toString()}`)).json()) as { data: Series[] }).data;
  assert.ok(mine.some((x) => x.labels['__name__'] === 'up') && mine.some((x) => x.labels['__name__'] === 'function_calls_total'), 'the collector has both series');
  const taken = mine.reduce((n, x) => n + x.values.length, 0);
  assert.ok(taken >= 16, `about ten seconds of 1 s scrapes of two series: ${taken} samples`);
  const calls = mine.find((x) => x.labels['__name__'] === 'function_calls_total')!;
  assert.ok(Number(calls.values.at(-1)![1]) > Number(calls.values[0]![1]), 'the counter moved');

  // Prometheus: the raw samples of the same series up to the same time, once the remote-write batches are in.
  const theirs = await eventually(async () => {
    const r = (await (await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: '{__name__=~"up|function_calls_total",function="hello"}[10m]', time: String(end / 1000) }).toString()}`)).json()) as {
      data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
    };
    const got = new Map(r.data.result.map((x) => [key(x.metric), x.values]));
    return mine.every((x) => (got.get(key(x.labels))?.length ?? 0) >= x.values.length) ? got : undefined;
  }, 20_000, 'Prometheus to hold every sample the collector took');
  for (const x of mine) {
    const got = theirs.get(key(x.labels))!;
    assert.deepEqual(
      got.map(([t, v]) => [Math.round(t * 1000), v]),
      x.values.map(([t, v]) => [Math.round(t * 1000), v]),
      `the samples of ${key(x.labels)}`,
    );
  }
  assert.equal(theirs.size, mine.length, 'no other series of that function and name');

  // None twice: no (series, time) pair was accepted more than once, over everything sent.
  assert.ok(accepted.length >= taken);
  assert.equal(new Set(accepted).size, accepted.length, 'a sample was sent twice');
  assert.equal(rejectedRequests, 0, `Prometheus rejected a request: ${promLog.slice(-2000)}`);
});
