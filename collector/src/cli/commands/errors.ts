import type { Command } from '../command.ts';
import type { ErrorGroupView } from '../../errors/index.ts';
import { ApiClient, serverFrom } from '../../client/api-client.ts';
import { UsageError } from '../../util/errors.ts';
import { readTokenFlag } from '../token.ts';
import { renderTable } from '../format/table.ts';
import { colorEnabled, palette } from '../format/colors.ts';

function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

function shorten(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

export const errorsCommand: Command = {
  usage: 'fnscope errors [-n NS] [--function F] [--status new|ongoing|regressed] [-o table|json] | fnscope errors show ID [-o text|json]',
  help: `Every exception fnscope parsed from function logs, grouped by fingerprint (type + in-app frames; the
masked message where a trace has no frames): count, rate, first and last seen, status, functions and
pods affected. "errors show ID" prints one group with its samples.

Flags:
  -n, --namespace NS        only groups seen in this namespace
      --function F          only groups seen in this function
      --status S            new, ongoing or regressed
      --limit N             at most N groups (default 100)
  -o, --output FORMAT       table (default) or json; for "show": text (default) or json
      --no-color            no colours
      --server URL          the collector (default $FNSCOPE_SERVER or http://127.0.0.1:9464)
      --token-file F        bearer token for a collector bound beyond loopback ($FNSCOPE_TOKEN)

Examples:
  fnscope errors
  fnscope errors --function bikesearch -o json
  fnscope errors show 3317a1d32c4b10e7
`,
  options: {
    namespace: { type: 'string', short: 'n' },
    function: { type: 'string' },
    status: { type: 'string' },
    limit: { type: 'string', default: '100' },
    output: { type: 'string', short: 'o' },
    'no-color': { type: 'boolean' },
    server: { type: 'string' },
    'token-file': { type: 'string' },
  },
  maxPositionals: 2,
  async run(args, ctx) {
    const v = args.values;
    const client = new ApiClient({ server: serverFrom(v['server'], ctx.env), token: await readTokenFlag(v['token-file'], ctx.env) });
    const [sub, id] = args.positionals;
    const output = (v['output'] as string | undefined) ?? (sub === 'show' ? 'text' : 'table');
    if (sub !== undefined && sub !== 'show') throw new UsageError(`unknown subcommand "${sub}" (did you mean "errors show ID"?)`);
    if (sub === 'show') {
      if (!id) throw new UsageError('errors show needs a group ID');
      if (output !== 'text' && output !== 'json') throw new UsageError('--output must be text or json for "errors show"');
      const { data: g } = await client.get<ErrorGroupView>(`/api/v1/errors/${encodeURIComponent(id)}`);
      if (output === 'json') {
        ctx.stdout.write(JSON.stringify(g, null, 2) + '\n');
        return 0;
      }
      const c = palette(colorEnabled(ctx.stdout, v['no-color'] === true, ctx.env));
      const now = Date.now();
      const lines = [
        `${c.red(g.type)}: ${c.bold(g.message)}`,
        `group ${g.id} · ${g.language} · ${g.status} · ${g.count} occurrences · first ${ago(g.firstSeen, now)} ago · last ${ago(g.lastSeen, now)} ago`,
        `functions: ${Object.entries(g.functions).map(([k, n]) => `${k} (${n})`).join(', ')}`,
        `pods:      ${Object.entries(g.pods).map(([k, n]) => `${k} (${n})`).join(', ')}`,
      ];
      const sample = g.samples?.[g.samples.length - 1];
      if (sample) {
        lines.push('', c.dim(`latest sample, ${new Date(sample.time).toISOString()} on ${sample.pod}:`), ...sample.lines.map((l) => `  ${l}`));
        if (sample.frames.length > 0) {
          lines.push('', c.dim('frames (innermost first):'));
          for (const f of sample.frames) {
            const fn = f.function || '<anonymous>'; // V8 prints no name for anonymous functions
            lines.push(`  ${f.inApp === false ? c.dim(`${fn} ${f.file}:${f.line ?? '?'}`) : `${c.bold(fn)} ${f.file}:${f.line ?? '?'}`}`);
          }
        }
        if (sample.causes.length > 0) lines.push('', c.dim('causes:'), ...sample.causes.map((x) => `  ${x.type}: ${x.message}`));
      }
      ctx.stdout.write(lines.join('\n') + '\n');
      return 0;
    }
    if (output !== 'table' && output !== 'json') throw new UsageError('--output must be table or json');
    const { data } = await client.get<ErrorGroupView[]>('/api/v1/errors', {
      namespace: v['namespace'] as string | undefined,
      function: v['function'] as string | undefined,
      status: v['status'] as string | undefined,
      limit: String(v['limit']),
    });
    if (output === 'json') {
      ctx.stdout.write(JSON.stringify(data, null, 2) + '\n');
      return 0;
    }
    if (data.length === 0) {
      ctx.stdout.write('No errors found.\n');
      return 0;
    }
    const now = Date.now();
    const rows = data.map((g) => [g.id, g.status.toUpperCase(), String(g.count), `${(g.ratePerSecond * 60).toFixed(1)}/m`, ago(g.lastSeen, now), ago(g.firstSeen, now), Object.keys(g.functions).join(','), shorten(`${g.type}: ${g.message}`, 70)]);
    ctx.stdout.write(renderTable(['ID', 'STATUS', 'COUNT', 'RATE', 'LAST', 'FIRST', 'FUNCTIONS', 'ERROR'], rows));
    return 0;
  },
};
