// Helpers for tests that run function pods as real processes through the sandbox kubelet.
import { Agent, request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { readFileSync, readdirSync } from 'node:fs';
import { createKubelet, type KubeletOptions } from '../../../collector/src/sandbox/kubelet/index.ts';
import type { ContainerStatusReport, Kubelet, LogEntry, PodHandle } from '../../../collector/src/sandbox/kubelet/types.ts';

export const TESTDATA = new URL('../../../testdata/kubeless-runtimes/', import.meta.url);

export function readTestdata(name: string): string {
  return readFileSync(new URL(name, TESTDATA), 'utf8');
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Polls cond until it holds; fails with `what` after timeoutMs. */
export async function waitFor(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface TestPod {
  handle: PodHandle;
  port: number;
  url: string;
  statuses: ContainerStatusReport[];
  /** Lines of the current log of one stream. */
  lines(stream?: LogEntry['stream'], previous?: boolean): string[];
}

export interface PodFunction {
  name: string;
  runtime: string;
  handler: string;
  source: string;
  timeoutSeconds?: number;
  env?: Record<string, string>;
}

export function testKubelet(opts: KubeletOptions = {}): Kubelet {
  return createKubelet({ restartBackoff: { initialMs: 200, maxMs: 400 }, shutdownGracePeriodMs: 1_000, ...opts });
}

/** Starts a pod for fn on a free port (without waiting for it to be ready). */
export async function startPod(kubelet: Kubelet, fn: PodFunction): Promise<TestPod> {
  const port = await freePort();
  const statuses: ContainerStatusReport[] = [];
  const handle = kubelet.runPod({
    namespace: 'default',
    podName: `${fn.name}-7d4b9c-x2x9q`,
    uid: '0b7c6a2e-5f1d-4c1e-9d53-3c2f0f0e6a11',
    containerName: fn.name,
    host: '127.0.0.1',
    port,
    function: {
      namespace: 'default',
      name: fn.name,
      runtime: fn.runtime,
      handler: fn.handler,
      source: fn.source,
      timeoutSeconds: fn.timeoutSeconds ?? 180,
      ...(fn.env ? { env: fn.env } : {}),
    },
  }, (s) => statuses.push(s));
  const lines = (stream?: LogEntry['stream'], previous = false): string[] =>
    (handle.log(previous)?.entries() ?? []).filter((e) => !stream || e.stream === stream).map((e) => e.text);
  return { handle, port, url: `http://127.0.0.1:${port}`, statuses, lines };
}

/** Starts a pod and waits until it is ready. */
export async function startReadyPod(kubelet: Kubelet, fn: PodFunction): Promise<TestPod> {
  const pod = await startPod(kubelet, fn);
  await waitFor(`${fn.name} ready`, () => pod.handle.status().ready);
  return pod;
}

export interface Reply {
  status: number;
  /** Response headers in the order the server sent them. */
  headers: Array<[string, string]>;
  body: string;
}

/**
 * One HTTP request as curl sends it (Host, User-Agent curl/7.88.1, Accept), so that access lines and
 * responses compare with the captures.
 */
export function call(url: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const headers: Record<string, string> = { 'User-Agent': 'curl/7.88.1', Accept: '*/*', ...init.headers };
    if (init.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(init.body));
    const agent = new Agent({ keepAlive: true });
    const req = httpRequest({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: init.method ?? 'GET', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = res.rawHeaders;
        const pairs: Array<[string, string]> = [];
        for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!]);
        agent.destroy();
        resolve({ status: res.statusCode ?? 0, headers: pairs, body: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', (err) => {
      agent.destroy();
      reject(err);
    });
    req.end(init.body);
  });
}

/** Whether a process exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Process ids of every process in process group pgid (from /proc). */
export function processGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSafe('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
