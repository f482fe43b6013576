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

/** A command as the command list knows it, before its module is loaded. */
export interface CommandEntry {
  name: string;
  /** One line for the command list (and the first line of the command's --help). */
  summary: string;
  load(): Promise<Command>;
}

export interface Command {
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
