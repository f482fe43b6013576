import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MAIN = new URL('../../collector/src/cli/main.ts', import.meta.url).pathname;

export interface CollectorProcess {
  url: string;
  dataDir: string;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** SIGTERM, wait (SIGKILL after 15 s), remove the data directory. */
  stop(): Promise<void>;
  /** SIGKILL: a crash. */
  kill(): Promise<void>;
}

/**
 * Start `fnscope serve ARGS` as a child process (listening on 127.0.0.1:0 unless ARGS say otherwise,
 * with its own data directory); resolves once it prints its URL.
 */
export async function startCollector(args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CollectorProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fnscope-collector-'));
  const extra = [...(args.includes('--listen') ? [] : ['--listen', '127.0.0.1:0']), ...(args.includes('--data-dir') ? [] : ['--data-dir', dataDir])];
  const child: ChildProcess = spawn(process.execPath, [MAIN, 'serve', ...extra, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  while (!/listening: (\S+)/.test(out)) {
    if (child.exitCode !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`fnscope serve exited ${child.exitCode}: ${out}`);
    }
    if (Date.now() > deadline) {
      await end('SIGKILL');
      throw new Error(`fnscope serve did not print its URL in time: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: /listening: (\S+)/.exec(out)![1]!,
    dataDir,
    output: () => out,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
  };
}

/** A port free right now on 127.0.0.1 (for processes that must know each other's address up front). */
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
