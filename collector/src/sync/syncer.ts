import type { GenerateConfig, Inventory } from '../generate/index.ts';
import type { Clock, Timer } from '../util/clock.ts';
import { describeError } from '../util/errors.ts';
import { silentLogger, type Logger } from '../util/logger.ts';
import type { SyncClient } from './client.ts';
import { KIND_OF, MANAGED_BY_LABEL, MANAGED_BY_VALUE, SYNC_KINDS, desiredObjects, objectDigest, objectKey, type KubeObject, type SyncKind } from './objects.ts';

/** Named defaults of in-cluster sync (docs/sync.md). */
export const SYNC_DEFAULTS = {
  /** A change is synced once the inventory has been quiet this long... */
  debounceMs: 2_000,
  /** ...but never later than this after the first change of a burst. */
  maxDelayMs: 10_000,
  /** How often the inventory is compared with the one last synced (catches annotation-only changes). */
  checkMs: 5_000,
  /** Every object is applied again this often, repairing hand edits and deletions. */
  resyncMs: 10 * 60_000,
  /** First retry after a failed sync; doubles up to maxRetryMs. */
  retryMs: 1_000,
  maxRetryMs: 60_000,
} as const;

/** Objects sync lists, and therefore may delete: its own, and nothing else. */
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},app.kubernetes.io/name=fnscope`;

export interface GeneratedSyncOptions {
  client: SyncClient;
  clock: Clock;
  logger?: Logger;
  /** Where the ConfigMaps and PrometheusRules live. */
  namespace: string;
  kinds: ReadonlySet<SyncKind>;
  /** Generation settings (resolved); the namespace is set to `namespace`. */
  config: GenerateConfig;
  inventory: () => Inventory;
  /** False until discovery has its first complete view: sync never deletes on a partial one. */
  ready?: () => boolean;
  debounceMs?: number;
  maxDelayMs?: number;
  checkMs?: number;
  resyncMs?: number;
  retryMs?: number;
  maxRetryMs?: number;
}

export interface SyncState {
  namespace: string;
  kinds: SyncKind[];
  /** Sync passes that looked at the cluster (one whose inventory had not changed is skipped), and how many failed. */
  runs: number;
  failures: number;
  /** Objects applied and deleted since start. */
  applied: number;
  deleted: number;
  /** Objects sync maintains now. */
  objects: number;
  lastSuccessAt: number | null;
  lastError: string | null;
}

/** The inputs of generation that sync reacts to: functions and their annotations. */
function fingerprint(inv: Inventory): string {
  return JSON.stringify(inv.functions.map((f) => [f.namespace, f.name, f.runtime, f.handler, Object.entries(f.annotations).sort()]));
}

/**
 * Keeps the generated dashboards (ConfigMaps for the Grafana sidecar) and rules (PrometheusRule) of the
 * current inventory applied in one namespace, and deletes the ones it made for functions that are gone.
 * Changes are debounced; unchanged objects are not re-applied (except every resyncMs); a failed pass is
 * retried with backoff.
 */
export class GeneratedSync {
  readonly #o: GeneratedSyncOptions;
  readonly #log: Logger;
  readonly #d: Required<Pick<GeneratedSyncOptions, 'debounceMs' | 'maxDelayMs' | 'checkMs' | 'resyncMs' | 'retryMs' | 'maxRetryMs'>>;
  /** Digest of each object as last applied, by `Kind/name`. */
  readonly #applied = new Map<string, string>();
  #runTimer: Timer | undefined;
  #runDue = 0;
  #runFixed = false;
  #burstStart: number | undefined;
  #checkTimer: Timer | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  /** Fingerprint of the inventory last looked at, and of the one last synced without error. */
  #seen: string | undefined;
  #synced: string | undefined;
  #lastFull: number;
  #retryDelay: number;
  #lastLogged: string | null = null;
  #stopped = false;
  readonly #state: SyncState;

  constructor(o: GeneratedSyncOptions) {
    this.#o = o;
    this.#log = (o.logger ?? silentLogger()).child({ component: 'sync' });
    this.#d = {
      debounceMs: o.debounceMs ?? SYNC_DEFAULTS.debounceMs,
      maxDelayMs: o.maxDelayMs ?? SYNC_DEFAULTS.maxDelayMs,
      checkMs: o.checkMs ?? SYNC_DEFAULTS.checkMs,
      resyncMs: o.resyncMs ?? SYNC_DEFAULTS.resyncMs,
      retryMs: o.retryMs ?? SYNC_DEFAULTS.retryMs,
      maxRetryMs: o.maxRetryMs ?? SYNC_DEFAULTS.maxRetryMs,
    };
    this.#retryDelay = this.#d.retryMs;
    this.#lastFull = o.clock.now();
    this.#state = {
      namespace: o.namespace,
      kinds: SYNC_KINDS.filter((k) => o.kinds.has(k)),
      runs: 0, failures: 0, applied: 0, deleted: 0, objects: 0, lastSuccessAt: null, lastError: null,
    };
  }

  /** Sync now, then on every change. */
  start(): void {
    this.#request(0);
    this.#scheduleCheck();
  }

  /** Something may have changed (a discovery update): sync after the debounce delay. */
  notify(): void {
    if (!this.#stopped) this.#request(this.#d.debounceMs, true);
  }

  state(): SyncState {
    return { ...this.#state, kinds: [...this.#state.kinds] };
  }

  /** Resolves when no sync pass is running. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#runTimer?.cancel();
    this.#checkTimer?.cancel();
    await this.idle();
  }

  /**
   * Schedule a pass. A debounced request moves the pass to `delayMs` after the latest change, but no
   * later than maxDelayMs after the first change of the burst; a fixed one (start, retry) keeps its time.
   */
  #request(delayMs: number, debounce = false): void {
    const now = this.#o.clock.now();
    let due = now + delayMs;
    if (debounce) {
      this.#burstStart ??= now;
      due = Math.min(due, this.#burstStart + this.#d.maxDelayMs);
      if (this.#runTimer && this.#runFixed && this.#runDue <= due) return;
    } else if (this.#runTimer && this.#runDue <= due) {
      return;
    }
    this.#runTimer?.cancel();
    this.#runDue = due;
    this.#runFixed = !debounce;
    this.#runTimer = this.#o.clock.setTimeout(() => this.#fire(), Math.max(0, due - now));
  }

  #scheduleCheck(): void {
    if (this.#stopped) return;
    this.#checkTimer = this.#o.clock.setTimeout(() => {
      const full = this.#o.clock.now() - this.#lastFull >= this.#d.resyncMs;
      if (full || fingerprint(this.#o.inventory()) !== this.#seen) this.#request(full ? 0 : this.#d.debounceMs, !full);
      this.#scheduleCheck();
    }, this.#d.checkMs);
  }

  #fire(): void {
    this.#runTimer = undefined;
    this.#burstStart = undefined;
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#pass().finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        this.#request(0);
      }
    });
  }

  async #pass(): Promise<void> {
    if (this.#o.ready && !this.#o.ready()) {
      this.#request(this.#d.checkMs);
      return;
    }
    const now = this.#o.clock.now();
    const full = now - this.#lastFull >= this.#d.resyncMs;
    const inventory = this.#o.inventory();
    this.#seen = fingerprint(inventory);
    // A discovery update that changed nothing generation reads (a pod restarted, became ready): no pass.
    if (!full && this.#seen === this.#synced) return;
    if (full) {
      this.#applied.clear();
      this.#lastFull = now;
    }
    const warnings = new Set<string>();
    const desired = desiredObjects(inventory, this.#o.config, this.#o.kinds, this.#o.namespace, (m) => warnings.add(m));
    const errors: string[] = [];
    let applied = 0;
    let deleted = 0;
    for (const kind of this.#state.kinds) {
      try {
        const r = await this.#syncKind(kind, desired.filter((d) => d.kind === KIND_OF[kind].kind));
        applied += r.applied;
        deleted += r.deleted;
      } catch (e) {
        errors.push(describeError(e));
      }
    }
    this.#state.runs++;
    this.#state.applied += applied;
    this.#state.deleted += deleted;
    this.#state.objects = this.#applied.size;
    if (errors.length === 0) {
      this.#synced = this.#seen;
      this.#state.lastSuccessAt = this.#o.clock.now();
      this.#state.lastError = null;
      this.#retryDelay = this.#d.retryMs;
      if (this.#lastLogged !== null) this.#log.info({ namespace: this.#o.namespace }, 'in-cluster sync recovered');
      this.#lastLogged = null;
      if (applied + deleted > 0) this.#log.info({ namespace: this.#o.namespace, applied, deleted, objects: this.#applied.size, warnings: [...warnings] }, 'synced dashboards and rules');
      return;
    }
    this.#state.failures++;
    const error = errors.join('; ');
    this.#state.lastError = error;
    if (error !== this.#lastLogged) this.#log.warn({ namespace: this.#o.namespace, err: error, retryInMs: this.#retryDelay }, 'in-cluster sync failed; retrying');
    this.#lastLogged = error;
    if (!this.#stopped) this.#request(this.#retryDelay);
    this.#retryDelay = Math.min(this.#retryDelay * 2, this.#d.maxRetryMs);
  }

  async #syncKind(kind: SyncKind, desired: readonly KubeObject[]): Promise<{ applied: number; deleted: number }> {
    const ref = KIND_OF[kind];
    let applied = 0;
    let deleted = 0;
    for (const obj of desired) {
      const key = objectKey(obj);
      const digest = objectDigest(obj);
      if (this.#applied.get(key) === digest) continue;
      await this.#o.client.apply(obj);
      this.#applied.set(key, digest);
      applied++;
    }
    const wanted = new Set(desired.map((d) => d.metadata.name));
    for (const o of await this.#o.client.list(ref, this.#o.namespace, MANAGED_SELECTOR)) {
      if (wanted.has(o.name)) continue;
      await this.#o.client.delete(ref, this.#o.namespace, o.name);
      this.#applied.delete(`${ref.kind}/${o.name}`);
      deleted++;
    }
    return { applied, deleted };
  }
}
