/**
 * One watched resource (in one namespace or all), kept current no matter what the API does.
 *
 * client-node's ListWatch stops for good on any error but 410; this class restarts it with capped,
 * jittered backoff, restarts a watch that shows no sign of life, bounds the list with a timeout and
 * treats an optional resource the server does not serve (403/404) as empty. Every (re)start is a new
 * ListWatch "generation"; the previous generation's cache stays the one read until the new one has
 * listed, so readers never see a half-filled cache, and `replaced` tells them to re-read everything.
 */
import { ListWatch } from '@kubernetes/client-node';
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '../../util/logger.ts';
import { silentLogger } from '../../util/logger.ts';
import type { Clock, Timer } from '../../util/clock.ts';
import { ErrorCodes, FnscopeError, describeError } from '../../util/errors.ts';
import { Backoff, type BackoffOptions } from '../backoff.ts';
import { noopDiscoveryMetrics, type DiscoveryMetrics } from '../metrics.ts';
import type { ResourceState } from '../types.ts';
import { resourcePath, statusOf, type KubeClient, type ResourceRef, type Selectors } from './client.ts';
import { GuardedWatch } from './guarded-watch.ts';

export interface InformerTuning {
  backoff?: BackoffOptions;
  /** Restart when the watch shows no sign of life (event, bookmark, reconnect) for this long. Default 180 s. */
  stalledAfterMs?: number;
  /** Give up on a list after this long. Default 60 s. */
  listTimeoutMs?: number;
  /** Server-side watch timeout, jittered between this and twice this. Default 300 s. */
  watchTimeoutSeconds?: number;
}

export interface InformerOptions extends InformerTuning {
  provider: string;
  resource: ResourceRef;
  /** Undefined: every namespace. */
  namespace: string | undefined;
  selectors: Selectors;
  client: KubeClient;
  clock: Clock;
  random?: () => number;
  /** A 403 or 404 means "not served here": synced and empty, checked again later. */
  optional?: boolean;
  logger?: Logger;
  metrics?: DiscoveryMetrics;
  kubeConfig?: KubeConfig;
}

export interface InformerHandlers {
  /** One object changed in the cache being read. */
  change(kind: 'add' | 'update' | 'delete', obj: KubernetesObject): void;
  /** The cache being read was replaced as a whole: re-read everything. */
  replaced(): void;
  /** Sync state, errors or counters changed. */
  stateChanged(): void;
}

interface Gen {
  lw: ListWatch<KubernetesObject>;
  guard: GuardedWatch;
  abort: AbortController;
  retired: boolean;
  startedAt: number;
  watches: number;
}

export class ResilientInformer {
  readonly resource: ResourceRef;
  readonly namespace: string | undefined;
  #o: InformerOptions;
  #h: InformerHandlers;
  #log: Logger;
  #metrics: DiscoveryMetrics;
  #random: () => number;
  #backoff: Backoff;
  #active: Gen | undefined;
  #starting: Gen | undefined;
  #stopped = true;
  #synced = false;
  #absent = false;
  #aliveAt = 0;
  #lastSync: number | undefined;
  #lastError = '';
  #lastErrorAt: number | undefined;
  #restarts = 0;
  #watchRestarts = 0;
  #retry: Timer | undefined;
  #liveness: Timer | undefined;

  constructor(opts: InformerOptions, handlers: InformerHandlers) {
    this.#o = opts;
    this.#h = handlers;
    this.resource = opts.resource;
    this.namespace = opts.namespace;
    this.#log = (opts.logger ?? silentLogger()).child({ resource: opts.resource.plural, namespace: opts.namespace ?? '*' });
    this.#metrics = opts.metrics ?? noopDiscoveryMetrics;
    this.#random = opts.random ?? Math.random;
    this.#backoff = new Backoff(opts.backoff, this.#random);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#startGen();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#retry?.cancel();
    this.#liveness?.cancel();
    this.#retry = this.#liveness = undefined;
    for (const g of [this.#starting, this.#active]) if (g) this.#retire(g);
    this.#starting = undefined;
    await Promise.resolve();
  }

  get synced(): boolean {
    return this.#synced;
  }

  /** Milliseconds since the epoch when this resource was last known current. */
  get lastSyncMs(): number | undefined {
    return this.#lastSync;
  }

  get(name: string, namespace?: string): KubernetesObject | undefined {
    return this.#active?.lw.get(name, namespace);
  }

  list(namespace?: string): readonly KubernetesObject[] {
    return this.#active?.lw.list(namespace) ?? [];
  }

  state(): ResourceState {
    const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
    return {
      resource: this.resource.plural,
      namespace: this.namespace ?? '*',
      synced: this.#synced,
      lastSync: iso(this.#lastSync),
      lastError: this.#lastError,
      lastErrorAt: iso(this.#lastErrorAt),
      restarts: this.#restarts,
      watchRestarts: this.#watchRestarts,
      absent: this.#absent,
    };
  }

  #labels(extra: Record<string, string> = {}): Record<string, string> {
    return { provider: this.#o.provider, resource: this.resource.plural, ...extra };
  }

  #startGen(): void {
    const clock = this.#o.clock;
    const watchTimeout = this.#o.watchTimeoutSeconds ?? 300;
    const abort = new AbortController();
    // The callbacks below run only once the ListWatch has started, after `gen` exists.
    const guard = new GuardedWatch((p, q, onEvent, onDone) => this.#o.client.watch(p, q, onEvent, onDone), {
      beforeWatch: () => this.#beforeWatch(gen),
      connected: () => this.#touch(gen),
      event: (type, obj) => this.#event(gen, type, obj),
      problem: (err) => this.#problem(gen, err),
    }, () => Math.floor(watchTimeout * (1 + this.#random())), this.#o.kubeConfig);
    const lw = new ListWatch<KubernetesObject>(
      resourcePath(this.resource, this.namespace),
      guard,
      () => this.#list(gen),
      false,
      this.#o.selectors.labelSelector,
      this.#o.selectors.fieldSelector,
      // Never rejects: a rejection inside ListWatch's reconnect path would be unhandled.
      { delayFn: (ms) => clock.sleep(ms, abort.signal).catch(() => undefined) },
    );
    const gen: Gen = { lw, guard, abort, retired: false, startedAt: clock.now(), watches: 0 };
    for (const kind of ['add', 'update', 'delete'] as const) {
      lw.on(kind, (obj: KubernetesObject) => this.#change(gen, kind, obj));
    }
    lw.on('error', (err: unknown) => this.#failed(gen, err));
    this.#starting = gen;
    this.#aliveAt = clock.now();
    this.#armLiveness();
    lw.start().catch((err: unknown) => this.#failed(gen, err));
  }

  async #list(gen: Gen): Promise<KubernetesListObject<KubernetesObject>> {
    const timeoutMs = this.#o.listTimeoutMs ?? 60_000;
    const cancel = new AbortController();
    const timeout = this.#o.clock.sleep(timeoutMs, cancel.signal).then(
      () => { throw new FnscopeError(ErrorCodes.KUBE_REQUEST, `list ${this.resource.plural} timed out after ${timeoutMs / 1000} s`); },
      () => undefined as never,
    );
    try {
      const res = await Promise.race([this.#o.client.list(this.resource, this.namespace, this.#o.selectors), timeout]);
      if (!gen.retired) {
        this.#touch(gen);
        this.#metrics.inc('fnscope_discovery_lists_total', this.#labels());
      }
      const items = (res.items ?? []).filter((i) => typeof i?.metadata?.name === 'string');
      return { metadata: { resourceVersion: res.metadata?.resourceVersion ?? '' }, items };
    } finally {
      cancel.abort();
    }
  }

  #beforeWatch(gen: Gen): void {
    if (gen.retired) return;
    gen.watches++;
    if (gen.watches > 1) {
      this.#watchRestarts++;
      this.#metrics.inc('fnscope_discovery_watch_restarts_total', this.#labels());
    }
    if (this.#starting === gen) this.#promote(gen);
  }

  /** The new generation has listed: its cache becomes the one read. */
  #promote(gen: Gen): void {
    const old = this.#active;
    this.#active = gen;
    this.#starting = undefined;
    if (old && old !== gen) this.#retire(old);
    this.#synced = true;
    this.#absent = false;
    this.#touch(gen);
    this.#safe(() => this.#h.replaced());
    this.#safe(() => this.#h.stateChanged());
  }

  #touch(gen: Gen): void {
    if (gen.retired) return;
    this.#aliveAt = this.#lastSync = this.#o.clock.now();
  }

  #event(gen: Gen, type: string, obj: unknown): void {
    if (gen.retired) return;
    this.#metrics.inc('fnscope_discovery_events_total', this.#labels({ type }));
    if (type !== 'ERROR') {
      this.#touch(gen);
      return;
    }
    const status = obj as { code?: unknown; message?: unknown };
    if (status.code !== 410) this.#recordError(`watch ERROR event: ${String(status.code)} ${String(status.message)}`);
  }

  #change(gen: Gen, kind: 'add' | 'update' | 'delete', obj: KubernetesObject): void {
    if (gen !== this.#active || gen.retired) return;
    this.#safe(() => this.#h.change(kind, obj));
  }

  #problem(gen: Gen, err: unknown): void {
    if (gen.retired) return;
    this.#recordError(describeError(err));
    this.#safe(() => this.#h.stateChanged());
  }

  #recordError(message: string): void {
    this.#lastError = message;
    this.#lastErrorAt = this.#o.clock.now();
    this.#metrics.inc('fnscope_discovery_errors_total', this.#labels());
    this.#log.warn({ err: message }, 'discovery error');
  }

  /** The generation's ListWatch has stopped for good (any error but 410). */
  #failed(gen: Gen, err: unknown): void {
    if (gen.retired || this.#stopped) return;
    const status = statusOf(err);
    const absent = this.#o.optional === true && (status === 404 || status === 403);
    if (!absent) this.#recordError(`${status === undefined ? '' : `HTTP ${status}: `}${describeError(err)}`);
    this.#retire(gen);
    if (this.#starting === gen) this.#starting = undefined;
    if (this.#active === gen && gen.startedAt + this.#backoff.resetAfterMs <= this.#o.clock.now()) this.#backoff.reset();
    if (absent) {
      // Not served here (CRD not installed, or no permission): empty, and checked again now and then.
      const hadCache = this.#active !== undefined;
      this.#active = undefined;
      this.#absent = true;
      // The answer itself is current knowledge: nothing to watch here.
      this.#synced = true;
      this.#lastSync = this.#o.clock.now();
      if (hadCache) this.#safe(() => this.#h.replaced());
      this.#log.info({ status }, 'optional resource not served; checking again later');
      this.#scheduleRestart('absent', this.#backoff.maxMs);
    } else {
      this.#scheduleRestart('error', this.#backoff.next());
    }
    this.#safe(() => this.#h.stateChanged());
  }

  #scheduleRestart(reason: string, delayMs: number): void {
    this.#retry?.cancel();
    this.#liveness?.cancel();
    this.#liveness = undefined;
    if (reason !== 'absent') this.#log.info({ reason, delayMs }, 'restarting informer');
    this.#retry = this.#o.clock.setTimeout(() => {
      this.#retry = undefined;
      if (this.#stopped) return;
      if (reason !== 'absent') {
        this.#restarts++;
        this.#metrics.inc('fnscope_discovery_restarts_total', this.#labels({ reason }));
      }
      this.#startGen();
      this.#safe(() => this.#h.stateChanged());
    }, delayMs);
  }

  #armLiveness(): void {
    this.#liveness?.cancel();
    const limit = this.#o.stalledAfterMs ?? 180_000;
    const due = Math.max(0, this.#aliveAt + limit - this.#o.clock.now());
    this.#liveness = this.#o.clock.setTimeout(() => {
      this.#liveness = undefined;
      const live = this.#starting ?? (this.#active?.retired === false ? this.#active : undefined);
      if (this.#stopped || live === undefined) return;
      if (this.#o.clock.now() - this.#aliveAt < limit) {
        this.#armLiveness();
        return;
      }
      this.#recordError(`watch stalled: no event, bookmark or reconnect for ${Math.round(limit / 1000)} s`);
      this.#retire(live);
      if (this.#starting === live) this.#starting = undefined;
      this.#scheduleRestart('stalled', 0);
      this.#safe(() => this.#h.stateChanged());
    }, due);
  }

  #retire(gen: Gen): void {
    if (gen.retired) return;
    gen.retired = true;
    gen.guard.close();
    gen.abort.abort();
    gen.lw.stop().catch(() => undefined);
  }

  #safe(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.#log.error({ err: describeError(err) }, 'discovery handler failed');
    }
  }
}
