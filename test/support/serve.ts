import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';

const MAIN = new URL('../../collector/src/cli/main.ts', import.meta.url).pathname;

export interface RunningServe {
  url: string;
  kubeconfig: string;
  apiUrl: string;
  token: string;
  dataDir: string;
  output: () => string;
  /** Invoke a function through the sandbox API server's service proxy. */
  invoke(fn: string, body: unknown, ns?: string): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

/** Start `fnscope serve --sandbox` as a real child process; resolves once it prints its URL. */
export async function startServe(extra: string[] = [], timeoutMs = 60_000): Promise<RunningServe> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fnscope-serve-'));
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'serve', '--sandbox', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FNSCOPE_LOG_LEVEL: 'warn' } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + timeoutMs;
  while (!/listening: (\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`fnscope serve exited ${child.exitCode}: ${err}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`fnscope serve did not print its URL in time: ${out} ${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /listening: (\S+)/.exec(out)![1]!;
  const kubeconfig = /kubeconfig: (\S+)/.exec(out)![1]!;
  const kc = parse(readFileSync(kubeconfig, 'utf8')) as { clusters: Array<{ cluster: { server: string } }>; users: Array<{ user: { token: string } }> };
  const apiUrl = kc.clusters[0]!.cluster.server;
  const token = kc.users[0]!.user.token;
  return {
    url,
    kubeconfig,
    apiUrl,
    token,
    dataDir,
    output: () => out + err,
    async invoke(fn, body, ns = 'default') {
      const r = await fetch(`${apiUrl}/api/v1/namespaces/${ns}/services/${fn}/proxy/`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: r.status, body: await r.text() };
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(t);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Poll until check returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
