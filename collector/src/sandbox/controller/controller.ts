/**
 * The sandbox's controller manager: watches the API's store and reconciles Functions (Kubeless's
 * function controller plus Deployment/ReplicaSet controllers), pods (scheduler and kubelet side),
 * CronJobTriggers and namespace deletion. Work is queued by key and handled one key at a time, so the
 * order in which changes arrive does not matter.
 */
import { silentLogger, type Logger } from '../../util/logger.ts';
import type { Timer } from '../../util/clock.ts';
import type { Kubelet, ContainerLog } from '../kubelet/types.ts';
import type { Registry } from '../apiserver/registry.ts';
import type { PodLogProvider } from '../apiserver/logs.ts';
import type { KObject } from '../apiserver/types.ts';
import type { StoreEvent } from '../apiserver/store.ts';
import { ControllerContext } from './context.ts';
import { PodLifecycle } from './pod-lifecycle.ts';
import { FunctionReconciler } from './function-reconciler.ts';
import { CronTriggers, type TriggerInvoke } from './cron-triggers.ts';
import { PortAllocator } from './ports.ts';
import { POD_IP } from './pod-status.ts';

export interface ControllerOptions {
  registry: Registry;
  kubelet: Kubelet;
  nodeName: string;
  logger?: Logger;
  /** Calls a function through its Service (CronJob trigger pods use it). */
  invoke?: TriggerInvoke;
  /** Port source for pods (default: free ports from the OS on 127.0.0.1). */
  ports?: PortAllocator;
  /** Events are deleted this long after they last happened (kube-apiserver's --event-ttl, default 1 h). */
  eventTtlMs?: number;
}

const EVENT_SWEEP_MS = 60_000;

export class Controller implements PodLogProvider {
  readonly #ctx: ControllerContext;
  readonly #pods: PodLifecycle;
  readonly #functions: FunctionReconciler;
  readonly #cron: CronTriggers;
  readonly #queue = new Set<string>();
  #idleWaiters: Array<() => void> = [];
  #draining = false;
  #stopped = true;
  #unsubscribe = (): void => {};
  readonly #eventTtlMs: number;
  #sweepTimer: Timer | undefined;

  constructor(opts: ControllerOptions) {
    this.#ctx = new ControllerContext(opts.registry, opts.logger ?? silentLogger(), opts.nodeName, (k) => this.#enqueue(k));
    const ports = opts.ports ?? new PortAllocator(POD_IP);
    this.#pods = new PodLifecycle(this.#ctx, opts.kubelet, ports);
    this.#functions = new FunctionReconciler(this.#ctx, this.#pods, ports);
    this.#cron = new CronTriggers(this.#ctx, this.#pods, opts.invoke);
    this.#eventTtlMs = opts.eventTtlMs ?? 3_600_000;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#unsubscribe = this.#ctx.store.subscribe((e) => this.#onChange(e));
    for (const f of this.#ctx.store.list('functions.kubeless.io')) this.#enqueue(`fn:${f.metadata.namespace ?? ''}/${f.metadata.name ?? ''}`);
    for (const p of this.#ctx.store.list('pods')) this.#enqueue(`pod:${p.metadata.namespace ?? ''}/${p.metadata.name ?? ''}`);
    for (const t of this.#ctx.store.list('cronjobtriggers.kubeless.io')) this.#enqueue(`cron:${t.metadata.namespace ?? ''}/${t.metadata.name ?? ''}`);
    this.#scheduleSweep();
  }

  #scheduleSweep(): void {
    this.#sweepTimer = this.#ctx.clock.setTimeout(() => {
      if (this.#stopped) return;
      this.sweepEvents();
      this.#scheduleSweep();
    }, EVENT_SWEEP_MS);
  }

  /** Delete Events that last happened more than the event TTL ago. Returns how many went. */
  sweepEvents(): number {
    const cutoff = this.#ctx.clock.now() - this.#eventTtlMs;
    let n = 0;
    for (const e of this.#ctx.store.list('events')) {
      const ts = typeof e['lastTimestamp'] === 'string' ? e['lastTimestamp'] : e.metadata.creationTimestamp ?? '';
      const last = Date.parse(ts);
      if (Number.isFinite(last) && last < cutoff) {
        this.#ctx.registry.remove(this.#ctx.defs.events, e.metadata.namespace, e.metadata.name ?? '');
        n++;
      }
    }
    return n;
  }

  /** Stop reacting to changes and stop the schedules; pods keep running (the kubelet stops them). */
  stop(): void {
    this.#stopped = true;
    this.#unsubscribe();
    this.#sweepTimer?.cancel();
    this.#cron.stop();
    this.#queue.clear();
  }

  /** Resolves once no work is queued (for tests: the cluster has caught up with the last change). */
  idle(): Promise<void> {
    if (!this.#draining && this.#queue.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Resolves when every pod process that is being stopped has stopped. */
  drain(): Promise<void> {
    return this.#pods.drain();
  }

  containerLog(pod: KObject, container: string, previous: boolean): ContainerLog | undefined {
    return this.#pods.containerLog(pod, container, previous);
  }

  /** Run a CronJobTrigger now, as its schedule would. */
  fireTrigger(namespace: string, name: string): Promise<KObject | undefined> {
    return this.#cron.fire(namespace, name);
  }

  #onChange(e: StoreEvent): void {
    const o = e.object;
    const ns = o.metadata.namespace ?? '';
    const name = o.metadata.name ?? '';
    switch (e.key) {
      case 'functions.kubeless.io':
        this.#enqueue(`fn:${ns}/${name}`);
        break;
      case 'pods': {
        this.#enqueue(`pod:${ns}/${name}`);
        const fn = o.metadata.labels?.['function'];
        if (fn && o.metadata.ownerReferences?.some((r) => r.kind === 'ReplicaSet')) this.#enqueue(`fn:${ns}/${fn}`);
        const nsObj = this.#ctx.store.get('namespaces', undefined, ns);
        if (nsObj?.metadata.deletionTimestamp) this.#enqueue(`ns:${ns}`);
        break;
      }
      case 'cronjobtriggers.kubeless.io':
        this.#enqueue(`cron:${ns}/${name}`);
        break;
      case 'namespaces':
        if (o.metadata.deletionTimestamp) this.#enqueue(`ns:${name}`);
        break;
      default:
        break;
    }
  }

  #enqueue(key: string): void {
    if (this.#stopped) return;
    this.#queue.add(key);
    if (!this.#draining) {
      this.#draining = true;
      setImmediate(() => void this.#drain());
    }
  }

  async #drain(): Promise<void> {
    while (this.#queue.size > 0 && !this.#stopped) {
      const key = this.#queue.values().next().value!;
      this.#queue.delete(key);
      try {
        await this.#reconcile(key);
      } catch (e) {
        this.#ctx.logger.error({ err: e, key }, 'sandbox controller: reconcile failed');
      }
    }
    this.#draining = false;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const w of waiters) w();
  }

  async #reconcile(key: string): Promise<void> {
    const i = key.indexOf(':');
    const kind = key.slice(0, i);
    const rest = key.slice(i + 1);
    const [ns, name] = rest.includes('/') ? [rest.slice(0, rest.indexOf('/')), rest.slice(rest.indexOf('/') + 1)] : ['', rest];
    if (kind === 'fn') await this.#functions.reconcile(ns, name);
    else if (kind === 'pod') this.#pods.reconcile(ns, name);
    else if (kind === 'cron') this.#cron.reconcile(ns, name);
    else if (kind === 'ns') this.#namespace(name);
  }

  /** Namespace deletion: delete everything in it, pods gracefully; the namespace goes when they are gone. */
  #namespace(name: string): void {
    const nsObj = this.#ctx.store.get('namespaces', undefined, name);
    if (!nsObj?.metadata.deletionTimestamp) return;
    for (const def of this.#ctx.registry.resources.all) {
      if (!def.namespaced || def.resource === 'pods' || def.resource === 'events') continue;
      const key = def.group ? `${def.resource}.${def.group}` : def.resource;
      for (const o of this.#ctx.store.list(key, name)) this.#ctx.registry.remove(def, name, o.metadata.name ?? '');
    }
    const pods = this.#ctx.store.list('pods', name);
    for (const p of pods) {
      if (!p.metadata.deletionTimestamp) this.#ctx.registry.delete(this.#ctx.defs.pods, name, p.metadata.name ?? '');
    }
    if (this.#ctx.store.list('pods', name).length > 0) return;
    for (const e of this.#ctx.store.list('events', name)) this.#ctx.registry.remove(this.#ctx.defs.events, name, e.metadata.name ?? '');
    this.#ctx.registry.remove(this.#ctx.defs.namespaces, undefined, name);
  }
}
