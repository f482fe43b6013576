import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Command, CommandContext, ParsedArgs } from '../command.ts';
import { ErrorCodes, FnscopeError, UsageError } from '../../util/errors.ts';
import { loadClusterConfig } from '../cluster.ts';

interface Reply {
  status: number;
  statusText: string;
  body: Buffer;
}

async function loadKubeConfig(path: string | undefined, env: NodeJS.ProcessEnv, context: string | undefined): Promise<KubeConfig> {
  const kc = await loadClusterConfig(path, env);
  if (kc === null) throw new FnscopeError(ErrorCodes.CONFIG_INVALID, 'no cluster is configured (--kubeconfig F, $KUBECONFIG or ~/.kube/config)');
  try {
    if (context) kc.setCurrentContext(context);
  } catch (e) {
    throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `--context ${context}: ${(e as Error).message}`, { cause: e });
  }
  if (!kc.getCurrentCluster()) throw new FnscopeError(ErrorCodes.CONFIG_INVALID, 'the kubeconfig has no current cluster');
  return kc;
}

/** The service port to proxy through, as the Kubeless CLI picks it: the first port, by name if it has one. */
async function servicePort(kc: KubeConfig, ns: string, fn: string): Promise<string> {
  const { CoreV1Api, ApiException } = await import('@kubernetes/client-node');
  try {
    const svc = await kc.makeApiClient(CoreV1Api).readNamespacedService({ name: fn, namespace: ns });
    const p = svc.spec?.ports?.[0];
    if (!p) throw new FnscopeError(ErrorCodes.KUBE_REQUEST, `service ${ns}/${fn} has no ports`);
    return p.name ? p.name : String(p.port);
  } catch (e) {
    if (e instanceof ApiException && e.code === 404) throw new FnscopeError(ErrorCodes.KUBE_REQUEST, `function ${JSON.stringify(fn)} not found in namespace ${JSON.stringify(ns)} (no service of that name)`);
    if (e instanceof FnscopeError) throw e;
    throw new FnscopeError(ErrorCodes.KUBE_REQUEST, `cannot read service ${ns}/${fn}: ${(e as Error).message}`, { cause: e });
  }
}

async function send(kc: KubeConfig, url: URL, method: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal): Promise<Reply> {
  const opts: RequestOptions = { method, headers: { ...headers }, signal };
  await kc.applyToHTTPSOptions(opts);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Reply>((resolve, reject) => {
    const req = request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', (e) => reject(new FnscopeError(ErrorCodes.KUBE_REQUEST, `${method} ${url.origin}: ${e.message}`, { cause: e })));
    req.end(body);
  });
}

function isJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

async function run(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  const fn = args.positionals[0];
  if (!fn) throw new UsageError('missing FUNCTION');
  const v = args.values;
  const data = typeof v['data'] === 'string' ? v['data'] : undefined;
  const method = (typeof v['method'] === 'string' ? v['method'] : data !== undefined ? 'POST' : 'GET').toUpperCase();
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`--method must be an HTTP method, got "${String(v['method'])}"`);
  const kc = await loadKubeConfig(typeof v['kubeconfig'] === 'string' ? v['kubeconfig'] : undefined, ctx.env, typeof v['context'] === 'string' ? v['context'] : undefined);
  const ns = typeof v['namespace'] === 'string' ? v['namespace'] : kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const port = await servicePort(kc, ns, fn);
  const server = kc.getCurrentCluster()!.server.replace(/\/+$/, '');
  const url = new URL(`${server}/api/v1/namespaces/${encodeURIComponent(ns)}/services/${encodeURIComponent(fn)}:${encodeURIComponent(port)}/proxy/`);
  const type = data === undefined ? undefined : isJson(data) ? 'application/json' : 'text/plain';
  const headers: Record<string, string> = {
    'event-id': randomUUID(), 'event-time': new Date().toISOString(), 'event-namespace': 'cli.fnscope.io', accept: '*/*',
  };
  if (type) {
    headers['content-type'] = type;
    headers['event-type'] = type;
  }
  const reply = await send(kc, url, method, headers, data, ctx.signal);
  const text = reply.body.toString('utf8');
  ctx.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
  if (reply.status < 200 || reply.status > 299) {
    ctx.stderr.write(`fnscope call: ${ns}/${fn} answered ${reply.status} ${reply.statusText}\n`);
    return 1;
  }
  return 0;
}

export const callCommand: Command = {
  usage: 'fnscope call FUNCTION [-n NS] [--data JSON] [--method M] [--kubeconfig F] [--context C]',
  help: `Calls FUNCTION through its Service's proxy subresource
(/api/v1/namespaces/NS/services/FUNCTION:PORT/proxy/), as "kubeless function call" does, with the
credentials of the kubeconfig, and prints the response body. A non-2xx answer still prints the body,
reports the status on stderr and exits 1.

Flags:
  -n, --namespace NS  namespace of the function (default: the context's, else "default")
  --data DATA         request body (sent as application/json when it parses as JSON, else text/plain);
                      with --data the method defaults to POST, without it to GET
  --method M          HTTP method
  --kubeconfig F      kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
  --context C         kubeconfig context to use

Example:
  fnscope call hello --data '{"hello":"world"}' --kubeconfig .data/sandbox/kubeconfig
`,
  options: {
    namespace: { type: 'string', short: 'n' },
    data: { type: 'string' },
    method: { type: 'string' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
  },
  maxPositionals: 1,
  run,
};
