import { once } from 'node:events';
import type { Command, CommandContext, ParsedArgs } from '../command.ts';
import { UsageError } from '../../util/errors.ts';
import { systemClock } from '../../util/clock.ts';
import type { Language } from '../../stacktrace/types.ts';
import { DEFAULT_MAX_LINES, DEFAULT_MAX_WAIT_MS, DEFAULT_SETTLE_MS, LANGUAGES, TraceExtractor, createParsers } from '../../stacktrace/index.ts';
import type { ExceptionRecord } from '../../stacktrace/index.ts';

function positiveInt(name: string, value: unknown, fallback: number, min = 1): number {
  if (typeof value !== 'string') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be ${min === 0 ? 'a non-negative' : 'a positive'} integer, got "${value}"`);
  return n;
}

function languages(value: unknown): Language[] {
  if (typeof value !== 'string') return [...LANGUAGES];
  const out: Language[] = [];
  for (const part of value.split(',')) {
    const name = part.trim();
    const lang = LANGUAGES.find((l) => l === name);
    if (!lang) throw new UsageError(`unknown language "${name}"; one of: ${LANGUAGES.join(', ')}`);
    out.push(lang);
  }
  return out;
}

async function run(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const maxLines = positiveInt('max-lines', args.values['max-lines'], DEFAULT_MAX_LINES);
  const maxWaitMs = positiveInt('max-wait', args.values['max-wait'], DEFAULT_MAX_WAIT_MS);
  const settleMs = positiveInt('settle', args.values['settle'], DEFAULT_SETTLE_MS, 0);
  const parsers = createParsers(languages(args.values['language']));
  let out: string[] = [];
  let inWrite = false;
  let broken = false;
  ctx.stdout.on('error', () => void (broken = true));
  const flush = async (): Promise<void> => {
    if (out.length === 0 || broken) return;
    const text = out.join('');
    out = [];
    if (!ctx.stdout.write(text)) await Promise.race([once(ctx.stdout, 'drain'), once(ctx.stdout, 'error')]);
  };
  const extractor = new TraceExtractor({
    parsers,
    clock: systemClock,
    maxLines,
    maxWaitMs,
    settleMs,
    onRecord: (r: ExceptionRecord) => {
      out.push(JSON.stringify(r) + '\n');
      // A record released by the wait timer between chunks is written at once (for `tail -f | fnscope parse`).
      if (!inWrite) void flush();
    },
  });
  for await (const chunk of ctx.stdin) {
    if (ctx.signal.aborted || broken) break;
    inWrite = true;
    extractor.write(chunk);
    inWrite = false;
    await flush();
  }
  extractor.end();
  await flush();
  return 0;
}

export const parseCommand: Command = {
  usage: 'fnscope parse [--language LANG,...] [--max-lines N] [--max-wait MS] [--settle MS] < LOGFILE',
  help: `Reads a log stream on stdin: plain lines, or container runtime (CRI) log-file lines
"<RFC3339Nano> <stdout|stderr> <P|F> <text>", recognized line by line. P partial lines are joined, and
each CRI stream (stdout, stderr) is assembled on its own, apart from plain lines. Stack traces of
python, nodejs, java, go, ruby, php and dotnet are detected, and each is written to stdout as one JSON
object per line, in input order:
  {"language","type","message","first_line","last_line","frames":[{"file","line","function"}],
   "causes":[{"type","message"}],"fingerprint"}
first_line/last_line are 1-based numbers of the input lines the trace spans (a logger header line
such as "ERROR:root:..." before a trace is included); frames are the primary exception's, innermost
first; causes are its chained exceptions; fingerprint groups exceptions of one kind.

Flags:
  --language LANG,...  only these languages (default: all of ${LANGUAGES.join(', ')})
  --max-lines N        a trace longer than N lines is cut there (default ${DEFAULT_MAX_LINES})
  --max-wait MS        a trace with no new line for MS milliseconds is emitted (default ${DEFAULT_MAX_WAIT_MS})
  --settle MS          one that already parses whole is emitted after MS milliseconds without a new line
                       (default ${DEFAULT_SETTLE_MS}, at most --max-wait)

Examples:
  kubectl logs deploy/hello | fnscope parse
  fnscope parse < /var/log/pods/default_hello-7d9f_0b1c/hello/0.log | jq -r .type
`,
  options: {
    language: { type: 'string' },
    'max-lines': { type: 'string' },
    'max-wait': { type: 'string' },
    settle: { type: 'string' },
  },
  run,
};
