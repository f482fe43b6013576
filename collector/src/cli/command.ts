import type { ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** What a command may touch: injected so commands can be run in-process by tests. */
export interface CommandContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM: long-running commands stop and clean up. */
  signal: AbortSignal;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line(s), e.g. "fnscope call FUNCTION [-n NS] [--data JSON]". */
  usage: string;
  /** Flag descriptions and examples shown by --help. */
  help: string;
  options: OptionSpec;
  /** Highest number of positional arguments accepted (default 0). */
  maxPositionals?: number;
  /** Returns the process exit code: 0 ok, 1 runtime failure (2 is raised as UsageError). */
  run(args: ParsedArgs, ctx: CommandContext): Promise<number>;
}
