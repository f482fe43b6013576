// `fnscope sandbox` as a user runs it: a real process, the kubeconfig line, SIGTERM, nothing left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../collector/src/cli/run-cli.ts';
import { commands } from '../../../collector/src/cli/commands/index.ts';
import { alive, canInspect, descendants } from '../../sandbox/helpers/procs.ts';

const MAIN = new URL('../../../collector/src/cli/main.ts', import.meta.url).pathname;

test('fnscope sandbox prints exactly "kubeconfig: PATH", serves the API, and stops every process on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-cli-sandbox-'));
  const kubeconfig = join(dir, 'kc.yaml');
  const child = spawn(process.execPath, [MAIN, 'sandbox', '--kubeconfig', kubeconfig, '--data-dir', dir, '--no-traffic'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FNSCOPE_LOG_LEVEL: 'warn' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 30_000;
    while (!out.includes('\n') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(out, `kubeconfig: ${kubeconfig}\n`);
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    const server = (parse(readFileSync(kubeconfig, 'utf8')) as { clusters: Array<{ cluster: { server: string } }> }).clusters[0]!.cluster.server;
    const version = await (await fetch(`${server}/version`)).json() as { gitVersion: string };
    assert.match(version.gitVersion, /^v1\.32\./);
    let pids: number[] = [];
    if (canInspect) {
      const start = Date.now();
      while (Date.now() - start < 20_000) {
        pids = descendants(child.pid!);
        if (pids.length >= 2) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(pids.length >= 2, 'function processes are running');
    }
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    if (canInspect) assert.deepEqual(pids.filter(alive), [], 'no function process outlives the sandbox');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fnscope sandbox rejects bad flags with exit code 2', async () => {
  for (const args of [['--api-port', 'x'], ['--rate', '0'], ['--frob']]) {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await runCli(['sandbox', ...args], commands, { stdin: new PassThrough(), stdout: new PassThrough(), stderr, env: {}, signal: new AbortController().signal });
    assert.equal(code, 2, args.join(' '));
    assert.match(err, /Usage: fnscope sandbox/);
  }
});
