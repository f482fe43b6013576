/**
 * Real Prometheus and Alertmanager (Debian's `prometheus` and `prometheus-alertmanager`) as child
 * processes on ephemeral loopback ports, plus a webhook receiver, for end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const PROMETHEUS = existsSync('/usr/bin/prometheus') ? '/usr/bin/prometheus' : 'prometheus';
export const ALERTMANAGER = existsSync('/usr/bin/prometheus-alertmanager') ? '/usr/bin/prometheus-alertmanager' : 'prometheus-alertmanager';

/** A free loopback port: bind port 0, read it, release it. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export interface Child {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

async function waitReady(child: ChildProcess, url: string, name: string, log: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}): ${log().slice(-2000)}`);
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs} ms: ${log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function run(bin: string, args: string[], name: string, url: string, timeoutMs: number): Promise<Child> {
  let log = '';
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer): void => {
    log = (log + d.toString()).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`cannot run ${bin} (install Debian's ${name} package): ${e.message}`))));
  const handle: Child = {
    url,
    output: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
  };
  return Promise.race([spawnFailed, waitReady(child, url, name, () => log, timeoutMs).then(() => handle, async (e: unknown) => {
    await handle.stop();
    throw e;
  })]);
}

export interface PrometheusOptions {
  dir: string;
  /** host:port of the collector's /metrics. */
  target: string;
  /** Rule file contents. */
  rules: string;
  /** host:port of the Alertmanager. */
  alertmanager: string;
  intervalSeconds?: number;
}

/** Prometheus scraping one target with honor_labels, evaluating the rules, alerting to one Alertmanager. */
export async function startPrometheus(o: PrometheusOptions, timeoutMs = 30_000): Promise<Child> {
  const interval = `${o.intervalSeconds ?? 1}s`;
  await mkdir(join(o.dir, 'data'), { recursive: true });
  await writeFile(join(o.dir, 'fnscope.rules.yaml'), o.rules);
  const config = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: [join(o.dir, 'fnscope.rules.yaml')],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [o.alertmanager] }] }] },
    scrape_configs: [{ job_name: 'fnscope', honor_labels: true, static_configs: [{ targets: [o.target] }] }],
  };
  await writeFile(join(o.dir, 'prometheus.yml'), stringify(config));
  const port = await freePort();
  return run(PROMETHEUS, [
    `--config.file=${join(o.dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(o.dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--rules.alert.resend-delay=1s',
    '--log.level=warn',
  ], 'prometheus', `http://127.0.0.1:${port}`, timeoutMs);
}

/** Alertmanager without clustering, routing every alert to one webhook (resolved ones too), grouped per alert instance. */
export async function startAlertmanager(dir: string, webhookUrl: string, groupBy: readonly string[], timeoutMs = 30_000): Promise<Child> {
  await mkdir(join(dir, 'data'), { recursive: true });
  const config = {
    route: { receiver: 'webhook', group_by: [...groupBy], group_wait: '1s', group_interval: '1s', repeat_interval: '1h' },
    receivers: [{ name: 'webhook', webhook_configs: [{ url: webhookUrl, send_resolved: true }] }],
  };
  await writeFile(join(dir, 'alertmanager.yml'), stringify(config));
  const port = await freePort();
  return run(ALERTMANAGER, [
    `--config.file=${join(dir, 'alertmanager.yml')}`,
    `--storage.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ], 'prometheus-alertmanager', `http://127.0.0.1:${port}`, timeoutMs);
}

/** One alert of an Alertmanager webhook notification. */
export interface WebhookAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
}

export interface WebhookNotification {
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  alerts: WebhookAlert[];
}

export interface Webhook {
  url: string;
  received: WebhookNotification[];
  close(): Promise<void>;
}

/** An HTTP server that records every notification POSTed to /hook. */
export async function startWebhook(): Promise<Webhook> {
  const received: WebhookNotification[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/hook') {
        try {
          received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as WebhookNotification);
        } catch {
          // not a notification: ignored
        }
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query through Prometheus's HTTP API; throws on an error answer. */
export async function promQuery(url: string, expr: string): Promise<PromSample[]> {
  const r = await fetch(`${url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expr }) });
  const body = (await r.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] | [number, string] } };
  if (body.status !== 'success' || !body.data) throw new Error(`query failed (${r.status}): ${body.error ?? 'no data'}: ${expr}`);
  if (body.data.resultType === 'scalar' || body.data.resultType === 'string') return [{ metric: {}, value: body.data.result as [number, string] }];
  return body.data.result as PromSample[];
}

export interface PromAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
  value: string;
}

export async function promAlerts(url: string): Promise<PromAlert[]> {
  const body = (await (await fetch(`${url}/api/v1/alerts`)).json()) as { data: { alerts: PromAlert[] } };
  return body.data.alerts;
}
