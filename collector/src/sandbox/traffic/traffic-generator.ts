import { systemClock, type Clock, type Timer } from '../../util/clock.ts';
import { silentLogger, type Logger } from '../../util/logger.ts';
import type { InvokeFn, InvokeRequest, TrafficCall, TrafficPayload, TrafficTarget } from './types.ts';

/** Calls at most this many functions at once; further ticks are skipped (and counted) meanwhile. */
export const DEFAULT_MAX_IN_FLIGHT = 16;

export interface TrafficGeneratorOptions {
  invoke: InvokeFn;
  targets: TrafficTarget[];
  /** Calls per second over all targets (default 2). */
  ratePerSecond?: number;
  /** Share of calls, 0..1, that use a bad input (default 0.1). */
  badShare?: number;
  maxInFlight?: number;
  clock?: Clock;
  /** Uniform in [0, 1): injected so that tests are deterministic. */
  random?: () => number;
  logger?: Logger;
  /** Told about every finished call. */
  onCall?: (call: TrafficCall) => void;
}

export interface TargetStats {
  sent: number;
  bad: number;
  /** Finished calls by HTTP status ("200", "500", "408") or "error" when invoke() threw. */
  byStatus: Record<string, number>;
}

export interface TrafficStats {
  sent: number;
  skipped: number;
  inFlight: number;
  perTarget: Record<string, TargetStats>;
}

interface Injection {
  badShare: number;
  until: number;
}

/**
 * Steady calls to a set of functions, round-robin, at a configurable rate, with a share of bad
 * inputs. inject() raises one function's bad share for a while, e.g. to make an alert fire.
 */
export class TrafficGenerator {
  readonly #invoke: InvokeFn;
  readonly #targets: TrafficTarget[];
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #logger: Logger;
  readonly #maxInFlight: number;
  readonly #onCall: ((call: TrafficCall) => void) | undefined;
  readonly #injections = new Map<string, Injection>();
  readonly #stats: TrafficStats = { sent: 0, skipped: 0, inFlight: 0, perTarget: {} };
  readonly #pending = new Set<Promise<void>>();
  #rate: number;
  #badShare: number;
  #next = 0;
  #timer: Timer | undefined;
  #running = false;

  constructor(opts: TrafficGeneratorOptions) {
    this.#invoke = opts.invoke;
    this.#targets = [...opts.targets];
    this.#clock = opts.clock ?? systemClock;
    this.#random = opts.random ?? Math.random;
    this.#logger = opts.logger ?? silentLogger();
    this.#maxInFlight = opts.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    this.#onCall = opts.onCall;
    this.#rate = checkRate(opts.ratePerSecond ?? 2);
    this.#badShare = checkShare(opts.badShare ?? 0.1);
    for (const t of this.#targets) this.#stats.perTarget[key(t.namespace, t.name)] = { sent: 0, bad: 0, byStatus: {} };
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running || this.#targets.length === 0) return;
    this.#running = true;
    this.#schedule();
  }

  /** Stops sending; resolves once the calls already sent have finished. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    await Promise.all([...this.#pending]);
  }

  setRate(ratePerSecond: number): void {
    this.#rate = checkRate(ratePerSecond);
    if (this.#running) {
      this.#timer?.cancel();
      this.#schedule();
    }
  }

  setBadShare(share: number): void {
    this.#badShare = checkShare(share);
  }

  /** For durationMs from now, calls to namespace/name use a bad input with probability badShare. */
  inject(namespace: string, name: string, opts: { badShare?: number; durationMs: number }): void {
    const k = key(namespace, name);
    if (!this.#stats.perTarget[k]) throw new RangeError(`no traffic target ${k}`);
    this.#injections.set(k, { badShare: checkShare(opts.badShare ?? 1), until: this.#clock.now() + opts.durationMs });
  }

  clearInjections(): void {
    this.#injections.clear();
  }

  stats(): TrafficStats {
    return structuredClone(this.#stats);
  }

  /** Sends one call now (what each tick does). */
  tick(): void {
    const target = this.#targets[this.#next % this.#targets.length]!;
    this.#next++;
    if (this.#stats.inFlight >= this.#maxInFlight) {
      this.#stats.skipped++;
      return;
    }
    const bad = target.payloads.bad.length > 0 && this.#random() < this.#shareFor(target);
    const list = bad ? target.payloads.bad : target.payloads.good;
    if (list.length === 0) return;
    const payload = list[Math.floor(this.#random() * list.length) % list.length]!;
    const stats = this.#stats.perTarget[key(target.namespace, target.name)]!;
    this.#stats.sent++;
    this.#stats.inFlight++;
    stats.sent++;
    if (bad) stats.bad++;
    const call = this.#call(target, bad, toRequest(payload), stats);
    this.#pending.add(call);
    void call.finally(() => this.#pending.delete(call));
  }

  async #call(target: TrafficTarget, bad: boolean, req: InvokeRequest, stats: TargetStats): Promise<void> {
    const result: TrafficCall = { namespace: target.namespace, name: target.name, bad, status: undefined };
    try {
      const res = await this.#invoke(target.namespace, target.name, req);
      result.status = res.status;
    } catch (err) {
      result.error = err instanceof Error ? err.message : String(err);
      this.#logger.debug({ fn: target.name, err: result.error }, 'traffic call failed');
    }
    this.#stats.inFlight--;
    const bucket = result.status === undefined ? 'error' : String(result.status);
    stats.byStatus[bucket] = (stats.byStatus[bucket] ?? 0) + 1;
    this.#onCall?.(result);
  }

  #shareFor(target: TrafficTarget): number {
    const k = key(target.namespace, target.name);
    const inj = this.#injections.get(k);
    if (inj && this.#clock.now() < inj.until) return inj.badShare;
    if (inj) this.#injections.delete(k);
    return Math.min(1, this.#badShare * (target.payloads.badShareScale ?? 1));
  }

  #schedule(): void {
    if (!this.#running) return;
    this.#timer = this.#clock.setTimeout(() => {
      if (!this.#running) return;
      this.tick();
      this.#schedule();
    }, 1000 / this.#rate);
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function checkRate(rate: number): number {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`rate must be a positive number of calls per second, got ${rate}`);
  return rate;
}

function checkShare(share: number): number {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`share must be between 0 and 1, got ${share}`);
  return share;
}

/** The HTTP request for a payload: JSON for structured bodies, text/plain for strings. */
export function toRequest(p: TrafficPayload): InvokeRequest {
  const headers: Record<string, string> = { ...p.headers };
  let body = '';
  if (typeof p.body === 'string') {
    body = p.body;
    headers['content-type'] ??= p.contentType ?? 'text/plain';
  } else if (p.body !== undefined) {
    body = JSON.stringify(p.body);
    headers['content-type'] ??= 'application/json';
  }
  return { method: p.method ?? 'POST', body, headers };
}
