import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { FunctionStats } from '../aggregate/index.ts';
import { createApiApp } from '../api/app.ts';
import { errorRoutes } from '../api/routes/errors.ts';
import { invokeRoutes, readyPodFinder } from '../api/routes/invoke.ts';
import { logRoutes } from '../api/routes/logs.ts';
import { uiRoutes } from '../api/routes/ui.ts';
import { generatedRoutes } from '../api/routes/generated.ts';
import { GeneratedSync, inventoryOf, kubeSyncClient, type SyncClient, type SyncKind } from '../sync/index.ts';
import { resolveConfig, type GenerateConfig } from '../generate/index.ts';
import { listen, type ListenAddress, type RunningServer } from '../api/server.ts';
import { createAuthenticator, upgradeAuthorizer, type Authenticator, type AuthPolicy } from '../api/auth/index.ts';
import { guardApp } from '../api/guard.ts';
import type { TlsFiles } from '../api/tls/index.ts';
import { RemoteWriteQueue } from '../remote-write/index.ts';
import { Fanout, type FanoutOptions } from '../peers/index.ts';
import { DiscoveryManager, FileProvider, KubernetesProvider, kubeClientFromConfig, type DiscoveryProvider } from '../discovery/index.ts';
import { ErrorGroups, SqliteGroupPersistence } from '../errors/index.ts';
import { LogBuffer, TailHub, attachTailEndpoint } from '../live/index.ts';
import { AccessLogStage, RedactStage, StagePipeline, createSequence, resolveRedactionRules, type RedactionConfig } from '../logs/index.ts';
import { CriTailManager, FilePositionStore, KubeLogOpener, PodLogManager } from '../logs/sources/index.ts';
import { ScrapeManager, DEFAULT_SCRAPE_CONFIG, type ScrapeConfig } from '../scrape/manager.ts';
import { ScrapeHttpClient } from '../scrape/http-client.ts';
import { createParsers } from '../stacktrace/index.ts';
import { MemStore } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { createBackend } from './backend.ts';
import { LogPipeline } from './log-pipeline.ts';
import { CollectorMetrics } from './metrics.ts';

export interface CollectorOptions {
  logger: Logger;
  clock: Clock;
  listen: ListenAddress;
  dataDir: string;
  /** Kubernetes API access (kubeconfig, in-cluster, or the sandbox); absent: file targets only. */
  kubeConfig?: KubeConfig;
  /** file_sd-style target files. */
  targetFiles?: string[];
  namespaces?: string[];
  labelSelector?: string;
  /** DaemonSet mode: only this node's pods, logs from CRI files. */
  nodeName?: string;
  /** Sharded mode: this replica owns the pods whose UID hashes to it. */
  ownsPod?: (uid: string) => boolean;
  scrape?: Partial<ScrapeConfig>;
  logs?: { source: 'api' | 'cri' | 'off'; criRoot?: string; maxStreams?: number; lookbackSeconds?: number };
  redaction?: RedactionConfig;
  /** In-memory store bounds. */
  retentionMs?: number;
  maxStoreBytes?: number;
  fetch?: typeof fetch;
  /** Authentication of the API (none on loopback; see resolveAuthPolicy). */
  auth?: AuthPolicy;
  /** TokenReview audiences and SubjectAccessReview attributes for `--auth kubernetes`. */
  audiences?: string[];
  resourceAttributes?: Parameters<typeof createAuthenticator>[1]['resourceAttributes'];
  /** Serve HTTPS with this certificate and key, reloaded on change. */
  tls?: TlsFiles;
  /** Send every stored sample to this Prometheus remote-write endpoint. */
  remoteWriteUrl?: string;
  /** Answer /api/v1/functions, errors, logs and the tail for the whole cluster by asking these peers. */
  peers?: FanoutOptions;
  /** Keep the generated dashboards (ConfigMaps) and rules (PrometheusRule) applied in this namespace (docs/sync.md). */
  sync?: { kinds: ReadonlySet<SyncKind>; namespace: string; config?: Partial<GenerateConfig>; client?: SyncClient };
}

/** Every stage of the collector, wired in one place. */
export class Collector {
  readonly #o: CollectorOptions;
  readonly store: MemStore;
  readonly stats = new FunctionStats();
  readonly hub: TailHub;
  readonly buffer = new LogBuffer();
  readonly errors: ErrorGroups;
  readonly discovery: DiscoveryManager;
  readonly scrape: ScrapeManager;
  readonly metrics: CollectorMetrics;
  readonly pipeline: LogPipeline;
  #podLogs: PodLogManager | undefined;
  #criLogs: CriTailManager | undefined;
  readonly remoteWrite: RemoteWriteQueue | undefined;
  #auth: Authenticator | undefined;
  #server: RunningServer | undefined;
  #tail: { close(): void } | undefined;
  #fanout: Fanout | undefined;
  #gcTimer: ReturnType<typeof setInterval> | undefined;
  /** Scrapes use it unless a fetch is injected (docs/performance.md). */
  readonly #http: ScrapeHttpClient | undefined;
  #unsubscribe: (() => void) | undefined;
  #sync: GeneratedSync | undefined;

  constructor(o: CollectorOptions) {
    this.#o = o;
    const { clock, logger } = o;
    const startedAt = clock.now();
    this.metrics = new CollectorMetrics({
      inventory: () => this.discovery.inventory().functions,
      hub: () => this.hub.stats(),
      store: () => {
        const s = this.store.stats();
        return { series: s.series, bytes: s.memory.totalBytes, samples: s.samples, appended: s.appendedSamples };
      },
      errorGroups: () => this.errors.size,
      recentErrorGroups: () => this.errors.list({ limit: 1000 }),
      logStreams: () => [...(this.#podLogs?.states() ?? []), ...(this.#criLogs?.states() ?? [])],
    });
    this.remoteWrite = o.remoteWriteUrl
      ? new RemoteWriteQueue({ url: o.remoteWriteUrl, clock, logger: logger.child({ component: 'remote-write' }), metrics: this.metrics.remoteWriteMetrics() })
      : undefined;
    this.store = new MemStore({ retentionMs: o.retentionMs ?? 2 * 3_600_000, maxBytes: o.maxStoreBytes ?? 0, ...(this.remoteWrite ? { tap: this.remoteWrite } : {}) });
    this.hub = new TailHub({ clock });
    this.errors = new ErrorGroups({ clock, logger, persistence: new SqliteGroupPersistence(join(o.dataDir, 'errors.db')) });
    const discoveryMetrics = this.metrics.discoveryMetrics();
    const providers: DiscoveryProvider[] = [];
    if (o.kubeConfig) {
      providers.push(
        new KubernetesProvider({
          client: kubeClientFromConfig(o.kubeConfig),
          kubeConfig: o.kubeConfig,
          clock,
          logger,
          metrics: discoveryMetrics,
          ...(o.namespaces?.length ? { namespaces: o.namespaces } : {}),
          ...(o.labelSelector ? { labelSelector: o.labelSelector } : {}),
          ...(o.nodeName ? { nodeName: o.nodeName } : {}),
          ...(o.ownsPod ? { ownsPod: o.ownsPod } : {}),
        }),
      );
    }
    if (o.targetFiles?.length) providers.push(new FileProvider({ files: o.targetFiles, clock, logger, metrics: discoveryMetrics }));
    this.discovery = new DiscoveryManager({ providers, clock, logger });
    this.#http = o.fetch ? undefined : new ScrapeHttpClient();
    this.scrape = new ScrapeManager({
      config: { ...DEFAULT_SCRAPE_CONFIG, ...o.scrape },
      fetch: o.fetch ?? fetch,
      http: this.#http,
      clock,
      store: this.store,
      stats: this.stats,
      metrics: this.metrics.scrapeMetrics(),
      watchStart: startedAt,
    });
    const runtimeOf = (ns: string, fn: string): string | null => this.discovery.inventory().functions.find((f) => f.namespace === ns && f.name === fn)?.runtime ?? null;
    this.pipeline = new LogPipeline({
      clock,
      sequence: createSequence(),
      stages: new StagePipeline([new RedactStage({ rules: resolveRedactionRules(o.redaction) }), new AccessLogStage({ runtimeOf, recorder: this.metrics.responseMetrics() })]),
      parsers: createParsers(),
      hub: this.hub,
      buffer: this.buffer,
      errors: this.errors,
      stats: this.stats,
      metrics: this.metrics,
    });
    const logSource = o.logs?.source ?? (o.kubeConfig ? 'api' : 'off');
    if (logSource === 'api' && o.kubeConfig) {
      this.#podLogs = new PodLogManager({
        opener: new KubeLogOpener(o.kubeConfig),
        clock,
        sink: this.pipeline,
        logger,
        startedAt,
        ...(o.logs?.maxStreams !== undefined ? { maxStreams: o.logs.maxStreams } : {}),
        ...(o.logs?.lookbackSeconds !== undefined ? { initialLookbackSeconds: o.logs.lookbackSeconds } : {}),
      });
    } else if (logSource === 'cri') {
      this.#criLogs = new CriTailManager({ root: o.logs?.criRoot ?? '/var/log/pods', sink: this.pipeline, positions: new FilePositionStore(join(o.dataDir, 'log-positions.json')), clock, logger });
    }
  }

  /** Start every stage and the HTTP server; resolves with the API's URL once it answers. */
  async start(): Promise<string> {
    const { clock, logger } = this.#o;
    this.#unsubscribe = this.discovery.subscribe((groups) => {
      this.scrape.sync(groups);
      const fns = this.discovery.inventory().functions;
      this.#podLogs?.sync(fns);
      this.#sync?.notify();
      this.#criLogs?.sync(fns);
    });
    const so = this.#o.sync;
    if (so && (so.client || this.#o.kubeConfig)) {
      this.#sync = new GeneratedSync({
        client: so.client ?? kubeSyncClient(this.#o.kubeConfig!),
        clock,
        logger,
        namespace: so.namespace,
        kinds: so.kinds,
        config: resolveConfig(so.config),
        inventory: () => inventoryOf(this.discovery.inventory().functions),
        ready: () => this.discovery.isReady(),
      });
      this.#sync.start();
    }
    this.discovery.start();
    const app = createApiApp({
      backend: createBackend({ discovery: this.discovery, scrape: this.scrape, stats: this.stats, store: this.store, metrics: this.metrics }),
      logger,
      now: () => clock.now(),
      extra: [errorRoutes(this.errors), logRoutes(this.buffer, () => clock.now()), invokeRoutes({ findPod: readyPodFinder(() => this.discovery.inventory().functions), fetch: this.#o.fetch ?? fetch, now: () => clock.now() }), generatedRoutes({ inventory: () => inventoryOf(this.discovery.inventory().functions) }), uiRoutes()],
    });
    this.#auth = await createAuthenticator(this.#o.auth ?? { mode: 'none', insecure: false }, {
      clock,
      logger: logger.child({ component: 'auth' }),
      ...(this.#o.kubeConfig ? { kubeConfig: this.#o.kubeConfig } : {}),
      ...(this.#o.audiences ? { audiences: this.#o.audiences } : {}),
      ...(this.#o.resourceAttributes ? { resourceAttributes: this.#o.resourceAttributes } : {}),
    });
    this.#fanout = this.#o.peers ? new Fanout(this.#o.peers, { clock, logger: logger.child({ component: 'peers' }) }) : undefined;
    const handler = guardApp(this.#fanout ? this.#fanout.wrap(app) : app, { logger, ...(this.#auth ? { authenticator: this.#auth } : {}) });
    this.#server = await listen(handler, this.#o.listen, this.#o.tls ? { tls: { ...this.#o.tls, clock, logger } } : {});
    const authorize = this.#auth ? upgradeAuthorizer(this.#auth) : undefined;
    const skip = await this.#fanout?.start(this.#server.server, this.#server.url, { hub: this.hub, buffer: this.buffer, ...(authorize ? { authorize } : {}) });
    this.#tail = attachTailEndpoint(this.#server.server, { hub: this.hub, buffer: this.buffer, clock, logger, ...(authorize ? { authorize } : {}), ...(skip ? { skip } : {}) });
    this.#gcTimer = setInterval(() => this.store.gc(clock.now()), 60_000);
    this.#gcTimer.unref();
    return this.#server.url;
  }

  async stop(): Promise<void> {
    this.#unsubscribe?.();
    await this.#sync?.stop();
    if (this.#gcTimer) clearInterval(this.#gcTimer);
    this.#tail?.close();
    this.#fanout?.stop();
    this.hub.closeAll(1001, 'collector shutting down');
    await this.#podLogs?.stop();
    await this.#criLogs?.stop();
    this.pipeline.flush();
    await this.scrape.stop(); // its final staleness markers still go to remote write
    this.#http?.close();
    await this.remoteWrite?.close();
    await this.discovery.stop();
    this.errors.close();
    this.#auth?.close();
    await this.#server?.close();
  }
}
