import { PassThrough } from 'node:stream';
import { runCli } from '../../collector/src/cli/run-cli.ts';
import { commands } from '../../collector/src/cli/commands/index.ts';
import type { CommandContext } from '../../collector/src/cli/command.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run an fnscope command in-process with captured output. */
export async function runFnscope(argv: string[], opts: { env?: NodeJS.ProcessEnv; stdin?: string; signal?: AbortSignal; stdoutIsTTY?: boolean } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const stdin = new PassThrough();
  stdin.end(opts.stdin ?? '');
  const ctx: CommandContext = { stdout, stderr, stdin, env: opts.env ?? {}, signal: opts.signal ?? new AbortController().signal };
  const code = await runCli(argv, commands, ctx);
  return { code, stdout: out, stderr: err };
}
