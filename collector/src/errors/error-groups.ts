import type { Logger } from 'pino';
import type { Clock, Timer } from '../util/clock.ts';
import type { ExceptionRecord } from '../events/records.ts';
import { addOccurrence, newGroup, rateOf, statusOf, type ErrorGroup, type GroupStatus } from './group.ts';
import type { GroupPersistence } from './persistence.ts';

export interface ErrorGroupsOptions {
  clock: Clock;
  logger: Logger;
  persistence?: GroupPersistence;
  /** A group silent this long that occurs again is "regressed" (default 1 h). */
  quietMs?: number;
  /** How long a group stays "new" after its first occurrence, or "regressed" after coming back (default 1 h). */
  newMs?: number;
  /** Most groups kept; the least recently seen go first (default 10,000). */
  maxGroups?: number;
  /** How often changed groups are written to disk (default 5 s). */
  flushMs?: number;
}

/** A group as the API shows it. */
export interface ErrorGroupView extends Omit<ErrorGroup, 'samples' | 'minutes'> {
  status: GroupStatus;
  /** Occurrences per second over the last 5 minutes. */
  ratePerSecond: number;
  minutes: ErrorGroup['minutes'];
  samples?: ErrorGroup['samples'];
}

export interface ErrorQuery {
  namespace?: string;
  function?: string;
  status?: GroupStatus;
  limit?: number;
}

/**
 * Groups exceptions by fingerprint, with counts, first/last seen, spread over functions and pods,
 * a per-minute history, samples and a status; changed groups are persisted so a restart loses none.
 */
export class ErrorGroups {
  readonly #o: Required<Omit<ErrorGroupsOptions, 'persistence'>> & { persistence: GroupPersistence | undefined };
  readonly #groups = new Map<string, ErrorGroup>();
  readonly #dirty = new Set<string>();
  #timer: Timer | undefined;

  constructor(opts: ErrorGroupsOptions) {
    this.#o = { quietMs: 3_600_000, newMs: 3_600_000, maxGroups: 10_000, flushMs: 5000, ...opts, persistence: opts.persistence };
    for (const g of this.#o.persistence?.loadAll() ?? []) this.#groups.set(g.id, g);
  }

  /** Count one exception; returns its group. */
  record(e: ExceptionRecord): ErrorGroup {
    let g = this.#groups.get(e.fingerprint);
    if (!g) {
      if (this.#groups.size >= this.#o.maxGroups) this.#evictOldest();
      g = newGroup(e);
      this.#groups.set(g.id, g);
    }
    addOccurrence(g, e, this.#o.quietMs);
    this.#dirty.add(g.id);
    this.#timer ??= this.#o.clock.setTimeout(() => this.flush(), this.#o.flushMs);
    return g;
  }

  #evictOldest(): void {
    let oldest: ErrorGroup | undefined;
    for (const g of this.#groups.values()) if (!oldest || g.lastSeen < oldest.lastSeen) oldest = g;
    if (oldest) {
      this.#groups.delete(oldest.id);
      this.#dirty.delete(oldest.id);
    }
  }

  #view(g: ErrorGroup, withSamples: boolean): ErrorGroupView {
    const now = this.#o.clock.now();
    const { samples, ...rest } = g;
    const v: ErrorGroupView = { ...rest, status: statusOf(g, now, this.#o.newMs), ratePerSecond: rateOf(g, now, 300_000) };
    if (withSamples) v.samples = samples;
    return v;
  }

  list(q: ErrorQuery = {}): ErrorGroupView[] {
    const out: ErrorGroupView[] = [];
    for (const g of this.#groups.values()) {
      if (q.namespace !== undefined || q.function !== undefined) {
        const hit = Object.keys(g.functions).some((k) => {
          const [ns, fn] = k.split('/');
          return (q.namespace === undefined || ns === q.namespace) && (q.function === undefined || fn === q.function);
        });
        if (!hit) continue;
      }
      const v = this.#view(g, false);
      if (q.status !== undefined && v.status !== q.status) continue;
      out.push(v);
    }
    out.sort((a, b) => b.lastSeen - a.lastSeen);
    return q.limit === undefined ? out : out.slice(0, q.limit);
  }

  get(id: string): ErrorGroupView | undefined {
    const g = this.#groups.get(id);
    return g ? this.#view(g, true) : undefined;
  }

  get size(): number {
    return this.#groups.size;
  }

  /** Write changed groups now. */
  flush(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    if (!this.#o.persistence || this.#dirty.size === 0) return;
    const changed = [...this.#dirty].map((id) => this.#groups.get(id)).filter((g): g is ErrorGroup => g !== undefined);
    try {
      this.#o.persistence.save(changed);
      this.#dirty.clear();
    } catch (e) {
      this.#o.logger.error({ err: e }, 'could not persist error groups; will retry');
      this.#timer = this.#o.clock.setTimeout(() => this.flush(), this.#o.flushMs);
    }
  }

  close(): void {
    this.flush();
    this.#o.persistence?.close();
  }
}
