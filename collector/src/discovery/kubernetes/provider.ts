/**
 * Kubernetes discovery: watches the framework's function objects, its pods and its triggers, and sends
 * one whole target group per function.
 *
 * As in Prometheus's discovery/kubernetes/pod.go, informer callbacks only enqueue the key of the
 * function an object names (`namespace/function`, the old and the new one when a pod is relabelled);
 * one worker then reads the current objects of that function from the caches and sends its whole
 * group. The order of events stops mattering. Nothing is sent before every resource has synced, and
 * a resource whose informer fails keeps its last complete cache until the restarted one has listed.
 */
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { Clock, Timer } from '../../util/clock.ts';
import type { Logger } from '../../util/logger.ts';
import { silentLogger } from '../../util/logger.ts';
import { describeError } from '../../util/errors.ts';
import { noopDiscoveryMetrics, type DiscoveryMetrics } from '../metrics.ts';
import type { DiscoveryProvider, FunctionInfo, ProviderSink, ProviderState, ResourceState, TargetGroup } from '../types.ts';
import type { FrameworkAdapter } from './adapter.ts';
import { podsResource, type KubeClient, type ResourceRef, type Selectors } from './client.ts';
import { ResilientInformer, type InformerTuning } from './informer.ts';
import { InformerSet } from './informer-set.ts';
import { KeyIndex } from './key-index.ts';
import { kubelessAdapter } from './kubeless.ts';
import { keyOf, objectKey, type PodObject } from './objects.ts';

export interface KubernetesProviderOptions extends InformerTuning {
  client: KubeClient;
  clock: Clock;
  /** Provider name in state and metrics (default `kubernetes`). */
  name?: string;
  /** Namespaces to watch; undefined or empty: all. */
  namespaces?: readonly string[];
  /** Pod label selector (default the adapter's: `created-by=kubeless`). */
  labelSelector?: string;
  /** DaemonSet mode: watch only the pods of this node (field selector `spec.nodeName`). */
  nodeName?: string;
  /** Sharded mode: only pods this replica owns become inventory and targets. */
  ownsPod?: (podUid: string) => boolean;
  /** Watch trigger resources (default true). */
  triggers?: boolean;
  adapter?: FrameworkAdapter;
  random?: () => number;
  logger?: Logger;
  metrics?: DiscoveryMetrics;
  kubeConfig?: KubeConfig;
  /** Gauges are refreshed at least this often, ms (default 15000). */
  metricsIntervalMs?: number;
}

interface Sent {
  source: string;
  canon: string;
}

const TRIGGER_SEP = '|';

export class KubernetesProvider implements DiscoveryProvider {
  readonly name: string;
  #o: KubernetesProviderOptions;
  #adapter: FrameworkAdapter;
  #log: Logger;
  #metrics: DiscoveryMetrics;
  #functions: InformerSet;
  #pods: InformerSet;
  #triggers = new Map<string, InformerSet>();
  #podIndex = new KeyIndex();
  #triggerIndex = new KeyIndex();
  #queue = new Set<string>();
  #scheduled = false;
  #inventory = new Map<string, FunctionInfo>();
  #sent = new Map<string, Sent>();
  #counts = { pods: 0, targets: 0 };
  #sink: ProviderSink | undefined;
  #synced = false;
  #stopped = false;
  #gaugeTimer: Timer | undefined;

  constructor(opts: KubernetesProviderOptions) {
    this.#o = opts;
    this.name = opts.name ?? 'kubernetes';
    this.#adapter = opts.adapter ?? kubelessAdapter;
    this.#log = (opts.logger ?? silentLogger()).child({ provider: this.name });
    this.#metrics = opts.metrics ?? noopDiscoveryMetrics;
    const podSelectors: Selectors = {
      labelSelector: opts.labelSelector ?? this.#adapter.defaultPodSelector,
      fieldSelector: opts.nodeName ? `spec.nodeName=${opts.nodeName}` : undefined,
    };
    const make = (resource: ResourceRef, selectors: Selectors, optional: boolean, handlers: {
      change(kind: 'add' | 'update' | 'delete', obj: KubernetesObject): void;
      replaced(): void;
    }) => new InformerSet(resource.plural, opts.namespaces, (namespace) => new ResilientInformer({
      ...opts, provider: this.name, resource, namespace, selectors, optional, logger: this.#log, metrics: this.#metrics,
    }, { ...handlers, stateChanged: () => this.#stateChanged() }));

    this.#functions = make(this.#adapter.functionResource, {}, false, {
      change: (_kind, fn) => this.#enqueue(keyOf(fn)),
      replaced: () => this.#functionsReplaced(),
    });
    this.#pods = make(podsResource, podSelectors, false, {
      change: (kind, pod) => this.#podChanged(kind, pod),
      replaced: () => this.#podsReplaced(),
    });
    if (opts.triggers !== false) {
      for (const r of this.#adapter.triggerResources) {
        this.#triggers.set(r.plural, make(r, {}, true, {
          change: (kind, obj) => this.#triggerChanged(r.plural, kind, obj),
          replaced: () => this.#triggersReplaced(),
        }));
      }
    }
  }

  #sets(): InformerSet[] {
    return [this.#functions, this.#pods, ...this.#triggers.values()];
  }

  start(sink: ProviderSink): void {
    this.#sink = sink;
    this.#stopped = false;
    for (const s of this.#sets()) s.start();
    this.#armGauges();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#gaugeTimer?.cancel();
    await Promise.all(this.#sets().map((s) => s.stop()));
  }

  isSynced(): boolean {
    return this.#synced;
  }

  /** Recompute every function, e.g. after the shard ownership changed. */
  resync(): void {
    this.#podsReplaced();
    this.#triggersReplaced();
  }

  inventory(): FunctionInfo[] {
    return [...this.#inventory.values()].sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name));
  }

  state(): ProviderState {
    const resources: ResourceState[] = this.#sets().flatMap((s) => s.states());
    let lastSync: string | null = null;
    let stale = false;
    let lastError = '';
    let lastErrorAt: string | null = null;
    for (const r of resources) {
      if (r.lastSync === null) stale = true;
      else if (lastSync === null || r.lastSync < lastSync) lastSync = r.lastSync;
      if (r.lastErrorAt !== null && (lastErrorAt === null || r.lastErrorAt > lastErrorAt)) {
        lastErrorAt = r.lastErrorAt;
        lastError = `${r.resource}: ${r.lastError}`;
      }
    }
    return {
      name: this.name,
      kind: 'kubernetes',
      synced: this.#synced,
      lastSync: stale ? null : lastSync,
      lastError,
      lastErrorAt,
      restarts: resources.reduce((n, r) => n + r.restarts, 0),
      watchRestarts: resources.reduce((n, r) => n + r.watchRestarts, 0),
      functions: this.#inventory.size,
      pods: this.#counts.pods,
      targets: this.#counts.targets,
      resources,
    };
  }

  // ---- callbacks: they only maintain the key indexes and enqueue keys ----

  #podKey(pod: PodObject): string | undefined {
    const fn = this.#adapter.functionOfPod(pod);
    if (fn === undefined) return undefined;
    if (this.#o.ownsPod && !this.#o.ownsPod(pod.metadata?.uid ?? '')) return undefined;
    return objectKey(pod.metadata?.namespace ?? '', fn);
  }

  #podChanged(kind: 'add' | 'update' | 'delete', pod: PodObject): void {
    const key = kind === 'delete' ? undefined : this.#podKey(pod);
    const old = this.#podIndex.set(keyOf(pod), key);
    if (old !== undefined) this.#enqueue(old);
    if (key !== undefined) this.#enqueue(key);
  }

  #podsReplaced(): void {
    const keys = new Set(this.#podIndex.keys());
    this.#podIndex.clear();
    for (const pod of this.#pods.list()) {
      const key = this.#podKey(pod);
      this.#podIndex.set(keyOf(pod), key);
      if (key !== undefined) keys.add(key);
    }
    for (const k of keys) this.#enqueue(k);
  }

  #triggerChanged(resource: string, kind: 'add' | 'update' | 'delete', obj: KubernetesObject): void {
    const fn = kind === 'delete' ? undefined : this.#adapter.functionOfTrigger(resource, obj);
    const key = fn === undefined ? undefined : objectKey(obj.metadata?.namespace ?? '', fn);
    const old = this.#triggerIndex.set(`${resource}${TRIGGER_SEP}${keyOf(obj)}`, key);
    if (old !== undefined) this.#enqueue(old);
    if (key !== undefined) this.#enqueue(key);
  }

  #triggersReplaced(): void {
    const keys = new Set(this.#triggerIndex.keys());
    this.#triggerIndex.clear();
    for (const [resource, set] of this.#triggers) {
      for (const obj of set.list()) {
        const fn = this.#adapter.functionOfTrigger(resource, obj);
        if (fn === undefined) continue;
        const key = objectKey(obj.metadata?.namespace ?? '', fn);
        this.#triggerIndex.set(`${resource}${TRIGGER_SEP}${keyOf(obj)}`, key);
        keys.add(key);
      }
    }
    for (const k of keys) this.#enqueue(k);
  }

  #functionsReplaced(): void {
    for (const k of this.#inventory.keys()) this.#enqueue(k);
    for (const fn of this.#functions.list()) this.#enqueue(keyOf(fn));
  }

  #enqueue(key: string): void {
    this.#queue.add(key);
    if (!this.#synced || this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#drain();
    });
  }

  #stateChanged(): void {
    if (!this.#synced && !this.#stopped && this.#sets().every((s) => s.synced)) {
      this.#synced = true;
      for (const k of this.#allKeys()) this.#queue.add(k);
      this.#drain();
      this.#log.info({ functions: this.#inventory.size, targets: this.#counts.targets }, 'discovery synced');
      this.#sink?.synced();
    }
    this.#updateGauges();
  }

  #allKeys(): Set<string> {
    const keys = new Set<string>([...this.#inventory.keys(), ...this.#podIndex.keys(), ...this.#triggerIndex.keys()]);
    for (const fn of this.#functions.list()) keys.add(keyOf(fn));
    return keys;
  }

  // ---- the worker: reads current objects from the caches, sends whole groups ----

  #drain(): void {
    if (!this.#synced || this.#stopped) return;
    const batch: TargetGroup[] = [];
    const keys = [...this.#queue];
    this.#queue.clear();
    for (const key of keys) {
      try {
        const g = this.#process(key);
        if (g) batch.push(g);
      } catch (err) {
        // Send nothing for this function: its last group stands.
        this.#log.error({ key, err: describeError(err) }, 'building a target group failed');
      }
    }
    if (batch.length > 0) this.#sink?.groups(batch);
    this.#updateGauges();
  }

  /** The group to send for key, or undefined when it did not change. */
  #process(key: string): TargetGroup | undefined {
    const slash = key.indexOf('/');
    const namespace = key.slice(0, slash);
    const name = key.slice(slash + 1);
    const fn = this.#functions.get(namespace, name);
    const pods: PodObject[] = [];
    for (const item of this.#podIndex.items(key)) {
      const pod = this.#pods.get(namespace, item.slice(item.indexOf('/') + 1));
      if (pod && this.#podKey(pod) === key) pods.push(pod);
    }
    const triggers: Array<{ resource: string; obj: KubernetesObject }> = [];
    for (const item of this.#triggerIndex.items(key)) {
      const [resource = '', objKey = ''] = item.split(TRIGGER_SEP);
      const obj = this.#triggers.get(resource)?.get(namespace, objKey.slice(objKey.indexOf('/') + 1));
      if (obj && this.#adapter.functionOfTrigger(resource, obj) === name) triggers.push({ resource, obj });
    }
    const view = this.#adapter.build({ namespace, name, fn, pods, triggers });
    const prev = this.#sent.get(key);
    this.#count(this.#inventory.get(key), -1);
    this.#count(view?.info, 1);
    if (view === undefined) {
      this.#inventory.delete(key);
      if (prev === undefined) return undefined;
      this.#sent.delete(key);
      return { source: prev.source, labels: {}, targets: [] };
    }
    this.#inventory.set(key, view.info);
    const canon = JSON.stringify(view.group);
    if (prev?.canon === canon) return undefined;
    this.#sent.set(key, { source: view.group.source, canon });
    return view.group;
  }

  #count(info: FunctionInfo | undefined, sign: 1 | -1): void {
    if (info === undefined) return;
    this.#counts.pods += sign * info.pods.length;
    this.#counts.targets += sign * info.endpoints.length;
  }

  #updateGauges(): void {
    const labels = { provider: this.name };
    const st = this.state();
    this.#metrics.set('fnscope_discovery_synced', labels, st.synced ? 1 : 0);
    if (st.lastSync !== null) this.#metrics.set('fnscope_discovery_last_sync_timestamp_seconds', labels, Date.parse(st.lastSync) / 1000);
    this.#metrics.set('fnscope_discovery_functions', labels, st.functions);
    this.#metrics.set('fnscope_discovery_pods', labels, st.pods);
    this.#metrics.set('fnscope_discovery_targets', labels, st.targets);
  }

  #armGauges(): void {
    this.#gaugeTimer = this.#o.clock.setTimeout(() => {
      if (this.#stopped) return;
      this.#updateGauges();
      this.#armGauges();
    }, this.#o.metricsIntervalMs ?? 15_000);
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
