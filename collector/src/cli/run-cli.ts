import { parseArgs } from 'node:util';
import type { Command, CommandContext, CommandEntry } from './command.ts';
import { UsageError, describeError } from '../util/errors.ts';

export const VERSION = '0.1.0';

function commandList(commands: readonly CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
}

export function topHelp(commands: readonly CommandEntry[]): string {
  return `fnscope ${VERSION}: function-aware observability for FaaS on Kubernetes (Kubeless and its kind)

Usage: fnscope COMMAND [FLAGS]

Commands:
${commandList(commands)}

Run "fnscope COMMAND --help" for a command's flags.
Exit codes: 0 ok, 1 runtime failure, 2 bad usage.
`;
}

export function commandHelp(entry: CommandEntry, cmd: Command): string {
  return `${entry.summary}\n\nUsage: ${cmd.usage}\n\n${cmd.help.trimEnd()}\n  -h, --help  show this help\n`;
}

/** Parse argv (without the node and script paths), run the command, and return the exit code. */
export async function runCli(argv: readonly string[], commands: readonly CommandEntry[], ctx: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const target = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    ctx.stdout.write(target ? commandHelp(target, await target.load()) : topHelp(commands));
    return 0;
  }
  if (name === '--version' || name === 'version') {
    ctx.stdout.write(`fnscope ${VERSION}\n`);
    return 0;
  }
  const entry = commands.find((c) => c.name === name);
  let cmd: Command | undefined;
  try {
    if (!entry) throw new UsageError(`unknown command "${name}"; run "fnscope --help" for the list`);
    cmd = await entry.load();
    if (rest.includes('-h') || rest.includes('--help')) {
      ctx.stdout.write(commandHelp(entry, cmd));
      return 0;
    }
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options: cmd.options, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError(describeError(e));
    }
    const max = cmd.maxPositionals ?? 0;
    if (parsed.positionals.length > max) {
      throw new UsageError(`too many arguments: ${parsed.positionals.slice(max).join(' ')}`);
    }
    return await cmd.run({ values: parsed.values, positionals: parsed.positionals }, ctx);
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr.write(`fnscope: ${e.message}\n${cmd ? `Usage: ${cmd.usage}\n` : ''}`);
      return 2;
    }
    ctx.stderr.write(`fnscope: ${describeError(e)}\n`);
    return 1;
  }
}
