/**
 * Merges discovery providers (Kubernetes, files) into one stream of target-group updates, one function
 * inventory and one state report. Updates are batched: subscribers get at most one call per `batchMs`
 * with every group that changed since the last one (whole groups; an empty group means gone). A new
 * subscriber's first call carries every current group.
 */
import type { Clock, Timer } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { silentLogger } from '../util/logger.ts';
import { describeError } from '../util/errors.ts';
import type { DiscoveryProvider, DiscoveryState, Inventory, TargetGroup } from './types.ts';

export type GroupsListener = (groups: TargetGroup[]) => void;

export interface DiscoveryManagerOptions {
  providers: readonly DiscoveryProvider[];
  clock: Clock;
  /** At most one delivery per this many ms (default 100). */
  batchMs?: number;
  logger?: Logger;
}

interface Subscriber {
  fn: GroupsListener;
  full: boolean;
}

export class DiscoveryManager {
  #providers: readonly DiscoveryProvider[];
  #clock: Clock;
  #batchMs: number;
  #log: Logger;
  #groups = new Map<string, TargetGroup>();
  #pending = new Map<string, TargetGroup>();
  #subs = new Set<Subscriber>();
  #timer: Timer | undefined;
  #synced = new Set<string>();
  #ready = false;
  #readyPromise: Promise<void>;
  #resolveReady: () => void = () => undefined;
  #started = false;

  constructor(opts: DiscoveryManagerOptions) {
    const names = new Set<string>();
    for (const p of opts.providers) {
      if (names.has(p.name)) throw new Error(`two discovery providers are named ${p.name}`);
      names.add(p.name);
    }
    this.#providers = opts.providers;
    this.#clock = opts.clock;
    this.#batchMs = opts.batchMs ?? 100;
    this.#log = opts.logger ?? silentLogger();
    this.#readyPromise = new Promise((resolve) => (this.#resolveReady = resolve));
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    for (const p of this.#providers) {
      p.start({
        groups: (groups) => this.#update(groups),
        synced: () => this.#providerSynced(p.name),
      });
    }
    this.#checkReady();
  }

  async stop(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    await Promise.all(this.#providers.map((p) => p.stop()));
  }

  /** Resolves once every provider has synced once. */
  ready(): Promise<void> {
    return this.#readyPromise;
  }

  isReady(): boolean {
    return this.#ready;
  }

  /** Listen to updates; returns the function that stops them. */
  subscribe(fn: GroupsListener): () => void {
    const sub: Subscriber = { fn, full: true };
    this.#subs.add(sub);
    if (this.#groups.size > 0) this.#schedule();
    return () => void this.#subs.delete(sub);
  }

  /** Every current non-empty group, by source. */
  groups(): TargetGroup[] {
    return [...this.#groups.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  }

  inventory(): Inventory {
    const functions = this.#providers.flatMap((p) => p.inventory());
    functions.sort((a, b) => cmp(a.namespace, b.namespace) || cmp(a.name, b.name) || cmp(a.source, b.source));
    return { functions };
  }

  state(): DiscoveryState {
    return { ready: this.#ready, providers: this.#providers.map((p) => p.state()) };
  }

  #update(groups: TargetGroup[]): void {
    for (const g of groups) {
      if (g.targets.length === 0) this.#groups.delete(g.source);
      else this.#groups.set(g.source, g);
      this.#pending.set(g.source, g);
    }
    if (this.#pending.size > 0) this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.#clock.setTimeout(() => this.#flush(), this.#batchMs);
  }

  #flush(): void {
    this.#timer = undefined;
    const changed = [...this.#pending.values()];
    this.#pending.clear();
    for (const sub of [...this.#subs]) {
      const batch = sub.full ? this.groups() : changed;
      sub.full = false;
      if (batch.length === 0) continue;
      try {
        sub.fn(batch);
      } catch (err) {
        this.#log.error({ err: describeError(err) }, 'discovery subscriber failed');
      }
    }
  }

  #providerSynced(name: string): void {
    this.#synced.add(name);
    this.#checkReady();
  }

  #checkReady(): void {
    if (this.#ready || !this.#started) return;
    if (this.#providers.every((p) => this.#synced.has(p.name) || p.isSynced())) {
      this.#ready = true;
      this.#log.info('discovery ready');
      this.#resolveReady();
    }
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
