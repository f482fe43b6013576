import type { Command } from '../command.ts';
import { ApiClient, serverFrom } from '../../client/api-client.ts';
import { FilterError, TailFilter, type TailFilterSpec } from '../../live/index.ts';
import { parseDuration } from '../../api/params.ts';
import { UsageError, isFnscopeError } from '../../util/errors.ts';
import { readTokenFlag } from '../token.ts';
import { loadClusterConfig } from '../cluster.ts';
import { colorEnabled, palette } from '../format/colors.ts';
import { formatRecord, type RecordFormat } from '../format/records.ts';
import { ReorderBuffer } from '../reorder.ts';
import type { TailRecord } from '../../events/records.ts';
import { CollectorLogsSource } from '../logs/collector-source.ts';
import type { LogsQuery, LogsSource } from '../logs/source.ts';

const FORMATS: readonly RecordFormat[] = ['text', 'json', 'raw'];

function duration(v: unknown, flag: string): number | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    return parseDuration(v, flag);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export const logsCommand: Command = {
  usage: 'fnscope logs [FUNCTION|REGEX] [-n NS | -A] [-l SELECTOR] [-f] [--since 5m] [--tail N] [--errors] [--grep RE] [--exclude RE] [--timestamps] [-o text|json|raw] [--no-color]',
  help: `Shows the logs of every pod of the matching functions, merged in time order (within a reorder
window), a colour per pod, each stack trace printed as one block headed by its exception type. A lost
or resumed stream is shown as a marked line, never silently. Reads through a running collector
(--server; one log stream per pod is shared by every viewer); when none answers, reads straight from
the cluster of --kubeconfig (or $KUBECONFIG / ~/.kube/config).

Flags:
  FUNCTION|REGEX            a function name, or a regular expression matched against the whole name
  -n, --namespace NS        only this namespace
  -A, --all-namespaces      every namespace (the default when -n is not given)
  -l, --selector SEL        pod label selector (when reading straight from the cluster)
  -f, --follow              keep streaming new lines
      --since D             only lines newer than this, e.g. 30s, 5m, 1h
      --tail N              only the last N lines (before following; 0: none, only new ones)
      --errors              only exceptions, error responses (5xx, 408) and error-level lines
      --grep RE             only lines matching RE (repeatable; all must match)
      --exclude RE          drop lines matching RE (repeatable)
      --pod RE              only pods whose name matches RE
      --container NAME      only this container
      --timestamps          print each line's timestamp
  -o, --output FORMAT       text (default), json (one record per line), raw (the text only)
      --no-color            no colours (also when NO_COLOR is set or stdout is not a terminal)
      --reorder D           time-order window across pods: a line waits at most this long for older
                            lines of other pods that are sending (default 1s; 0 turns it off)
      --server URL          the collector (default $FNSCOPE_SERVER or http://127.0.0.1:9464)
      --token-file F        bearer token for a collector bound beyond loopback ($FNSCOPE_TOKEN)
      --kubeconfig F        read straight from this cluster, without a collector

Examples:
  fnscope logs bikesearch -f
  fnscope logs 'bike.*|hello' --since 10m --errors
  fnscope logs -n default --grep KeyError -o json
`,
  options: {
    namespace: { type: 'string', short: 'n' },
    'all-namespaces': { type: 'boolean', short: 'A' },
    selector: { type: 'string', short: 'l' },
    follow: { type: 'boolean', short: 'f' },
    since: { type: 'string' },
    tail: { type: 'string' },
    errors: { type: 'boolean' },
    grep: { type: 'string', multiple: true },
    exclude: { type: 'string', multiple: true },
    pod: { type: 'string' },
    container: { type: 'string' },
    timestamps: { type: 'boolean' },
    output: { type: 'string', short: 'o', default: 'text' },
    'no-color': { type: 'boolean' },
    reorder: { type: 'string', default: '1s' },
    server: { type: 'string' },
    'token-file': { type: 'string' },
    kubeconfig: { type: 'string' },
  },
  maxPositionals: 1,
  async run(args, ctx) {
    const v = args.values;
    const format = String(v['output']) as RecordFormat;
    if (!FORMATS.includes(format)) throw new UsageError(`--output must be one of ${FORMATS.join(', ')}`);
    if (v['namespace'] !== undefined && v['all-namespaces']) throw new UsageError('-n and -A cannot be used together');
    const tailRaw = v['tail'] as string | undefined;
    const tail = tailRaw === undefined ? undefined : Number(tailRaw);
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 0)) throw new UsageError('--tail must be a whole number');
    const spec: TailFilterSpec = {
      ...(v['namespace'] ? { namespace: String(v['namespace']) } : {}),
      ...(args.positionals[0] ? { function: args.positionals[0] } : {}),
      ...(v['pod'] ? { pod: String(v['pod']) } : {}),
      ...(v['container'] ? { container: String(v['container']) } : {}),
      ...(v['errors'] ? { errorsOnly: true } : {}),
      ...(v['grep'] ? { include: v['grep'] as string[] } : {}),
      ...(v['exclude'] ? { exclude: v['exclude'] as string[] } : {}),
    };
    try {
      new TailFilter(spec);
    } catch (e) {
      if (e instanceof FilterError) throw new UsageError(e.message);
      throw e;
    }
    const q: LogsQuery = { filter: spec, follow: v['follow'] === true, sinceMs: duration(v['since'], '--since'), tail };
    const reorderMs = duration(v['reorder'], '--reorder') ?? 1000;
    const colors = palette(format === 'text' && colorEnabled(ctx.stdout, v['no-color'] === true, ctx.env));
    const client = new ApiClient({ server: serverFrom(v['server'], ctx.env), token: await readTokenFlag(v['token-file'], ctx.env) });

    let source: LogsSource = new CollectorLogsSource(client);
    const kubeconfigPath = v['kubeconfig'] as string | undefined;
    if (v['kubeconfig'] !== undefined || v['selector'] !== undefined) {
      source = await direct(kubeconfigPath, ctx.env, v['selector'] as string | undefined);
    }
    // a collector sends its history merged; straight from the cluster, pods' backlogs come one by one
    const reorder = (merged: boolean): ReorderBuffer =>
      new ReorderBuffer(q.follow ? reorderMs : Infinity, (r) => ctx.stdout.write(formatRecord(r, { format, timestamps: v['timestamps'] === true, colors })), merged ? 0 : undefined);
    let out = reorder(source instanceof CollectorLogsSource);
    const ticker = setInterval(() => out.tick(Date.now()), 100);
    // after a burst of records (one WebSocket frame, one chunk of a pod's stream): release what it allows
    let ticking = false;
    const push = (r: TailRecord): void => {
      out.push(r, Date.now());
      if (ticking) return;
      ticking = true;
      setImmediate(() => {
        ticking = false;
        out.tick(Date.now());
      });
    };
    try {
      await source.run(q, push, ctx.signal);
    } catch (e) {
      if (!(source instanceof CollectorLogsSource) || !isFnscopeError(e) || e.details?.['unreachable'] !== true || v['server'] !== undefined) throw e;
      // No collector answers: read straight from the cluster, if there is one.
      ctx.stderr.write(`fnscope: ${e.message}\nfnscope: reading straight from the cluster instead\n`);
      out.flush();
      out = reorder(false);
      await (await direct(kubeconfigPath, ctx.env, undefined)).run(q, push, ctx.signal);
    } finally {
      clearInterval(ticker);
      out.flush();
    }
    return 0;
  },
};

/** Reading straight from the cluster (loaded only then: the client library costs about 1 s of start-up). */
async function direct(path: string | undefined, env: NodeJS.ProcessEnv, selector: string | undefined): Promise<LogsSource> {
  const kc = await loadClusterConfig(path, env);
  if (kc === null || !kc.getCurrentCluster()) throw new UsageError('no collector answers and no cluster is configured (--kubeconfig F)');
  const { DirectLogsSource } = await import('../logs/direct-source.ts');
  return new DirectLogsSource(kc, selector);
}
