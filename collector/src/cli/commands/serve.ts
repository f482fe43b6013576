import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Command, ParsedArgs } from '../command.ts';
import { parseSyncKinds, type SyncKind } from '../../sync/objects.ts';
import { parseLabelFlags } from '../../generate/index.ts';
import { parseListen } from '../../api/server.ts';
import type { Sandbox } from '../../sandbox/index.ts';
import { systemClock } from '../../util/clock.ts';
import { createLogger } from '../../util/logger.ts';
import { UsageError } from '../../util/errors.ts';
import { describeRedactionPresets } from '../../logs/index.ts';
import { resolveServeSettings } from '../serve-config.ts';
import { detectCluster, loadCluster } from '../cluster.ts';
import { SCALE_HELP, SCALE_OPTIONS, resolveScaleFlags } from '../serve-scale.ts';
import { parseResourceAttributes, resolveAuthPolicy } from '../../api/auth/policy.ts';
import { resolveTlsFlags } from '../../api/tls/index.ts';

/** `--sync dashboards,rules [--sync-namespace NS] [--sync-label K=V]`, or undefined without --sync. */
function parseSyncFlags(v: ParsedArgs['values']): { kinds: Set<SyncKind>; namespace: string | undefined; labels: Record<string, string> } | undefined {
  const ns = typeof v['sync-namespace'] === 'string' ? v['sync-namespace'] : undefined;
  const labelFlags = (v['sync-label'] as string[] | undefined) ?? [];
  if (typeof v['sync'] !== 'string') {
    if (ns !== undefined || labelFlags.length > 0) throw new UsageError('--sync-namespace and --sync-label need --sync dashboards,rules');
    return undefined;
  }
  try {
    if (ns !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns)) throw new RangeError(`--sync-namespace "${ns}" is not a namespace name`);
    return { kinds: parseSyncKinds(v['sync']), namespace: ns, labels: parseLabelFlags(labelFlags) };
  } catch (e) {
    throw new UsageError(`--sync: ${(e as Error).message}`);
  }
}

/** The collector's own namespace in-cluster, else the kubeconfig context's, else "default". */
function defaultSyncNamespace(kc: KubeConfig, inCluster: boolean): string {
  const file = '/var/run/secrets/kubernetes.io/serviceaccount/namespace';
  if (inCluster && existsSync(file)) {
    const ns = readFileSync(file, 'utf8').trim();
    if (ns) return ns;
  }
  return kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
}

export const serveCommand: Command = {
  usage: 'fnscope serve [--sandbox | --kubeconfig F] [--listen HOST:PORT] [--data-dir D] [--config F] [flags]',
  help: `Runs the collector. The cluster is, in order: the built-in sandbox with --sandbox; the kubeconfig
given with --kubeconfig; the in-cluster service account; $KUBECONFIG or ~/.kube/config; and with no
cluster configured at all, the built-in sandbox. Prints "listening: URL" once the API answers.

Flags:
      --sandbox               start the built-in sandbox Kubeless cluster and watch it
      --kubeconfig F          watch the cluster of this kubeconfig
      --listen HOST:PORT      API, /metrics and live tail (default 127.0.0.1:9464)
      --data-dir D            error groups and log positions are kept here (default .data)
      --config F              settings file (YAML; keys as in docs/configuration.md)
  -n, --namespace NS          watch only this namespace (repeatable; default all)
  -l, --label-selector SEL    pods to watch (default created-by=kubeless)
      --target-file F         also scrape the targets listed in this file_sd file (repeatable)
      --node-name NODE        DaemonSet mode: only this node's pods
      --logs SOURCE           api (pod log API), cri (CRI files under --cri-log-root), off
                              (default: api with a cluster; cri with --mode daemonset)
      --cri-log-root DIR      where CRI log files are (default /var/log/pods)
      --scrape-interval D     default 15s
      --scrape-timeout D      default 10s
      --retention D           how long samples stay in memory (default 2h)
      --redact LIST           redaction presets, e.g. "+email,-jwt" (default set below)
      --no-traffic            sandbox: no generated traffic
      --sandbox-rate N        sandbox: calls per second of generated traffic (default 2)
      --log-level LEVEL       collector log level (default info)

Access (docs/security.md; beyond loopback one of --token-file, --auth kubernetes or
--insecure-no-auth is required):
      --token-file F          accept the bearer tokens listed in F (one per line, reloaded on change)
      --auth MODE             token (with --token-file) or kubernetes (TokenReview + SubjectAccessReview)
      --auth-audiences LIST   TokenReview audiences (comma-separated)
      --auth-resource-attributes A   SubjectAccessReview resource attributes, e.g.
                              "namespace=monitoring,resource=services,subresource=fnscope,name=fnscope"
      --insecure-no-auth      serve beyond loopback without authentication
      --tls-cert F, --tls-key F   serve HTTPS with this PEM pair (reloaded when the files change)
      --remote-write-url URL  also send every sample to this Prometheus remote-write endpoint

In-cluster sync (docs/sync.md; needs write access to NS, see deploy/overlays/sync):
      --sync WHAT             keep the generated dashboards and/or rules applied in the cluster as
                              functions and their SLO annotations change: dashboards (ConfigMaps for
                              the Grafana sidecar), rules (PrometheusRule), or dashboards,rules
      --sync-namespace NS     where those objects live (default: the collector's own namespace
                              in-cluster, else the kubeconfig context's, else default)
      --sync-label K=V        extra label on the synced objects (repeatable), e.g. release=prometheus

${SCALE_HELP}

Redaction presets (on by default unless marked off):
${describeRedactionPresets()}
`,
  options: {
    sandbox: { type: 'boolean' },
    kubeconfig: { type: 'string' },
    listen: { type: 'string' },
    'data-dir': { type: 'string' },
    config: { type: 'string' },
    namespace: { type: 'string', short: 'n', multiple: true },
    'label-selector': { type: 'string', short: 'l' },
    'target-file': { type: 'string', multiple: true },
    'node-name': { type: 'string' },
    logs: { type: 'string' },
    'cri-log-root': { type: 'string' },
    'scrape-interval': { type: 'string' },
    'scrape-timeout': { type: 'string' },
    retention: { type: 'string' },
    redact: { type: 'string' },
    'no-traffic': { type: 'boolean' },
    'sandbox-rate': { type: 'string' },
    'log-level': { type: 'string' },
    'token-file': { type: 'string' },
    auth: { type: 'string' },
    'auth-audiences': { type: 'string' },
    'auth-resource-attributes': { type: 'string' },
    'insecure-no-auth': { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'remote-write-url': { type: 'string' },
    ...SCALE_OPTIONS,
    sync: { type: 'string' },
    'sync-namespace': { type: 'string' },
    'sync-label': { type: 'string', multiple: true },
  },
  async run(args, ctx) {
    const s = resolveServeSettings(args);
    const scale = resolveScaleFlags(s, args.values);
    let listen;
    try {
      listen = parseListen(s.listen);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (s.sandbox && s.kubeconfig) throw new UsageError('--sandbox and --kubeconfig cannot be used together');
    const flag = (k: string): string | undefined => (typeof args.values[k] === 'string' ? (args.values[k]) : undefined);
    const auth = resolveAuthPolicy(listen.host, { auth: flag('auth'), tokenFile: flag('token-file'), insecureNoAuth: args.values['insecure-no-auth'] === true });
    const tls = resolveTlsFlags({ tlsCert: flag('tls-cert'), tlsKey: flag('tls-key') });
    const resourceAttributes = flag('auth-resource-attributes') ? parseResourceAttributes(flag('auth-resource-attributes')!) : undefined;
    const audiences = flag('auth-audiences')?.split(',').filter(Boolean);
    const remoteWriteUrl = flag('remote-write-url');
    if (remoteWriteUrl !== undefined && !/^https?:\/\//.test(remoteWriteUrl)) throw new UsageError('--remote-write-url must be an http(s) URL');
    const syncFlags = parseSyncFlags(args.values);
    const logger = createLogger({ ...(typeof args.values['log-level'] === 'string' ? { level: args.values['log-level'] } : {}) });
    if (auth.mode === 'none' && auth.insecure) logger.warn({ listen: s.listen }, 'the API is open beyond loopback without authentication (--insecure-no-auth)');
    const dataDir = resolve(s.dataDir);
    // loaded once the flags are good: `fnscope --help` and a usage error need neither (about 1.5 s)
    const [{ Collector }, { startSandbox }] = await Promise.all([import('../../wire/collector.ts'), import('../../sandbox/index.ts')]);
    let sandbox: Sandbox | undefined;
    let kc: KubeConfig | undefined;
    const cluster = s.sandbox ? undefined : s.kubeconfig ? { kind: 'kubeconfig' as const, path: s.kubeconfig } : detectCluster(ctx.env);
    if (cluster !== undefined) {
      kc = await loadCluster(cluster);
    } else if (s.targetFiles.length === 0 || s.sandbox) {
      if (!s.sandbox) ctx.stderr.write('fnscope: no cluster configured; starting the built-in sandbox Kubeless cluster\n');
      sandbox = await startSandbox({ dataDir, logger: logger.child({ component: 'sandbox' }), traffic: s.traffic, ...(s.trafficRate !== undefined ? { rate: s.trafficRate } : {}) });
      kc = await loadCluster({ kind: 'kubeconfig', path: sandbox.kubeconfigPath });
      ctx.stdout.write(`kubeconfig: ${sandbox.kubeconfigPath}\n`);
    }
    if (syncFlags && !kc) throw new UsageError('--sync needs a cluster (--kubeconfig, in-cluster, or --sandbox)');
    const collector = new Collector({
      logger,
      clock: systemClock,
      listen,
      dataDir,
      ...(kc ? { kubeConfig: kc } : {}),
      targetFiles: s.targetFiles,
      namespaces: s.namespaces,
      ...(s.labelSelector ? { labelSelector: s.labelSelector } : {}),
      ...(scale.nodeName ? { nodeName: scale.nodeName } : {}),
      ...(scale.logs ? { logs: { source: scale.logs, criRoot: s.criLogRoot } } : {}),
      ...(scale.ownsPod ? { ownsPod: scale.ownsPod } : {}),
      ...(scale.peers ? { peers: scale.peers } : {}),
      scrape: { intervalMs: s.scrapeIntervalMs, timeoutMs: s.scrapeTimeoutMs },
      retentionMs: s.retentionMs,
      redaction: { presets: s.redact },
      auth,
      ...(tls ? { tls } : {}),
      ...(audiences ? { audiences } : {}),
      ...(resourceAttributes ? { resourceAttributes } : {}),
      ...(remoteWriteUrl ? { remoteWriteUrl } : {}),
      ...(syncFlags && kc ? { sync: { kinds: syncFlags.kinds, namespace: syncFlags.namespace ?? defaultSyncNamespace(kc, cluster?.kind === 'in-cluster'), config: { objectLabels: syncFlags.labels } } } : {}),
    });
    let url: string;
    try {
      url = await collector.start();
    } catch (e) {
      await collector.stop().catch(() => undefined);
      await sandbox?.stop();
      throw e;
    }
    ctx.stdout.write(`listening: ${url}\n`);
    if (sandbox) {
      ctx.stderr.write(
        `\nfnscope is watching the sandbox cluster (${sandbox.demoFunctions.join(', ')}).\n` +
          `  functions:  ${url}/api/v1/functions\n  errors:     ${url}/api/v1/errors\n  targets:    ${url}/api/v1/targets\n  metrics:    ${url}/metrics\n` +
          `  CLI:        npx fnscope top    |   npx fnscope logs bikesearch -f\n  kubectl:    kubectl --kubeconfig ${sandbox.kubeconfigPath} get functions,pods\n\n`,
      );
    }
    logger.info({ url }, 'collector listening');
    await new Promise<void>((r) => (ctx.signal.aborted ? r() : ctx.signal.addEventListener('abort', () => r(), { once: true })));
    logger.info('shutting down');
    await collector.stop();
    await sandbox?.stop();
    return 0;
  },
};
