/** Runs the real kubectl against a sandbox kubeconfig. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

export const KUBECTL = process.env['KUBECTL'] ?? '/usr/bin/kubectl';
export const haveKubectl = existsSync(KUBECTL);

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectlRunner(kubeconfig: string, cacheDir: string) {
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir];
  const env = { PATH: process.env['PATH'] ?? '', HOME: cacheDir };
  return {
    run(args: string[], input?: string): Promise<Run> {
      return new Promise((resolve) => {
        const child = execFile(KUBECTL, [...base, ...args], { env, timeout: 30_000 }, (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
          resolve({ code, stdout, stderr });
        });
        if (input !== undefined) child.stdin!.end(input);
      });
    },
    /** Starts a long-running kubectl (get -w, logs -f); collects its output. */
    spawn(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exited: Promise<number> } {
      const child = spawn(KUBECTL, [...base, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
      return { child, out: () => out, err: () => err, exited };
    },
  };
}
