import { stringify } from 'yaml';
import type { Command } from '../command.ts';
import type { FunctionView } from '../../api/types.ts';
import { ApiClient, serverFrom } from '../../client/api-client.ts';
import { UsageError } from '../../util/errors.ts';
import { renderFunctionsTable, SORT_KEYS, sortFunctions, type SortKey } from '../format/functions-table.ts';
import { parseDuration } from '../../api/params.ts';
import { readTokenFlag } from '../token.ts';

const OUTPUTS = ['table', 'wide', 'json', 'yaml'] as const;

export const topCommand: Command = {
  usage: 'fnscope top [FUNCTION] [-n NS | -A] [--sort KEY] [-o table|wide|json|yaml] [--watch] [--server URL]',
  help: `Asks a running collector for every function's numbers over a recent window: every pod summed,
rates instead of totals since start, error ratio (counting timeouts and errors only the access lines
show), p50/p95/p99 latency from the duration histograms, pods ready/total and restarts.

Flags:
  FUNCTION                  only functions whose name matches (a name or a regular expression)
  -n, --namespace NS        only this namespace
  -A, --all-namespaces      every namespace (the default when -n is not given)
      --function F          same as the FUNCTION argument
      --sort KEY            ${SORT_KEYS.join('|')} (default calls; numbers sort high first)
  -o, --output FORMAT       table (default), wide, json, yaml
  -w, --watch               refresh in place every --interval until interrupted
      --interval D          refresh period for --watch (default 2s)
      --server URL          the collector (default $FNSCOPE_SERVER or http://127.0.0.1:9464)
      --token-file F        bearer token for a collector bound beyond loopback ($FNSCOPE_TOKEN)

Examples:
  fnscope top
  fnscope top -n default --sort ratio
  fnscope top bikesearch -o json
`,
  options: {
    namespace: { type: 'string', short: 'n' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    function: { type: 'string' },
    sort: { type: 'string', default: 'calls' },
    output: { type: 'string', short: 'o', default: 'table' },
    watch: { type: 'boolean', short: 'w' },
    interval: { type: 'string', default: '2s' },
    server: { type: 'string' },
    'token-file': { type: 'string' },
  },
  maxPositionals: 1,
  async run(args, ctx) {
    const v = args.values;
    const output = String(v['output']);
    if (!(OUTPUTS as readonly string[]).includes(output)) throw new UsageError(`--output must be one of ${OUTPUTS.join(', ')}`);
    const sort = String(v['sort']) as SortKey;
    if (!SORT_KEYS.includes(sort)) throw new UsageError(`--sort must be one of ${SORT_KEYS.join(', ')}`);
    if (v['namespace'] !== undefined && v['all-namespaces']) throw new UsageError('-n and -A cannot be used together');
    const pattern = args.positionals[0] ?? (v['function'] as string | undefined);
    let re: RegExp | undefined;
    if (pattern !== undefined) {
      try {
        re = new RegExp(`^(?:${pattern})$`);
      } catch (e) {
        throw new UsageError(`invalid FUNCTION pattern: ${(e as Error).message}`);
      }
    }
    let intervalMs: number;
    try {
      intervalMs = parseDuration(String(v['interval']), '--interval');
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const client = new ApiClient({ server: serverFrom(v['server'], ctx.env), token: await readTokenFlag(v['token-file'], ctx.env) });
    const ns = v['namespace'] as string | undefined;

    const once = async (): Promise<string> => {
      const { data } = await client.get<FunctionView[]>('/api/v1/functions', { namespace: ns });
      const fns = sortFunctions(data.filter((f) => !re || re.test(f.name)), sort);
      if (output === 'json') return JSON.stringify(fns, null, 2) + '\n';
      if (output === 'yaml') return stringify(fns);
      return renderFunctionsTable(fns, output === 'wide');
    };

    if (!v['watch']) {
      ctx.stdout.write(await once());
      return 0;
    }
    const tty = (ctx.stdout as NodeJS.WriteStream).isTTY === true;
    while (!ctx.signal.aborted) {
      const text = await once();
      ctx.stdout.write(tty ? `\x1b[H\x1b[2J${text}` : `${text}\n`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, intervalMs);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        }, { once: true });
      });
    }
    return 0;
  },
};
