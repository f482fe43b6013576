/**
 * Watch sessions: replay from a resourceVersion (or synthetic ADDED events for the current state),
 * then live changes, with selector transitions (an object that stops matching is DELETED for this
 * watch), periodic BOOKMARKs, server-side expiry with jitter, and the 410 ERROR event when the
 * requested version has been compacted. A test hook closes every open watch.
 */
import type { Clock, Timer } from '../../util/clock.ts';
import type { KObject } from './types.ts';
import type { Store, StoreEvent } from './store.ts';
import { apiVersionOf, resourceKey, type ResourceDef } from './resources.ts';
import type { ListOptions } from './list-options.ts';
import { parseResourceVersion } from './list-options.ts';
import { matcher, tooLargeResourceVersion } from './list.ts';
import { ApiError, type Status } from './status.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: KObject | Status;
}

/** Where a session writes; the HTTP handler encodes events (JSON or Table) and streams them. */
export interface WatchSink {
  send(e: WatchEvent): void;
  /** Close the stream cleanly (the client sees the body end). */
  end(): void;
  /** Drop the connection abruptly. */
  destroy(): void;
}

export interface WatchTimingOptions {
  /** Interval between BOOKMARK events for watches that allow them. Default 60 s. */
  bookmarkIntervalMs?: number;
  /** Watches without timeoutSeconds end after a random time in [min, max]. Defaults 5 and 10 minutes. */
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
  random?: () => number;
}

interface Session {
  sink: WatchSink;
  stop(): void;
}

export class WatchHub {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #bookmarkMs: number;
  readonly #minMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  readonly #sessions = new Set<Session>();

  constructor(store: Store, clock: Clock, opts: WatchTimingOptions = {}) {
    this.#store = store;
    this.#clock = clock;
    this.#bookmarkMs = opts.bookmarkIntervalMs ?? 60_000;
    this.#minMs = opts.minTimeoutMs ?? 300_000;
    this.#maxMs = Math.max(this.#minMs, opts.maxTimeoutMs ?? 600_000);
    this.#random = opts.random ?? Math.random;
  }

  get active(): number {
    return this.#sessions.size;
  }

  /** Test hook: close every open watch, cleanly (end) or abruptly (destroy). Returns how many. */
  closeAll(opts: { abrupt?: boolean } = {}): number {
    const all = [...this.#sessions];
    for (const s of all) {
      s.stop();
      if (opts.abrupt) s.sink.destroy();
      else s.sink.end();
    }
    return all.length;
  }

  #bookmark(def: ResourceDef, initialEventsEnd = false): WatchEvent {
    const metadata: KObject['metadata'] = { resourceVersion: String(this.#store.resourceVersion) };
    if (initialEventsEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    return { type: 'BOOKMARK', object: { kind: def.kind, apiVersion: apiVersionOf(def), metadata } };
  }

  /** Start a watch. The caller stops it (session.stop) when the client goes away. */
  start(def: ResourceDef, opts: ListOptions, namespace: string | undefined, sink: WatchSink): { stop(): void } {
    const key = resourceKey(def);
    const match = matcher(def, opts, namespace);
    const withKind = (o: KObject): KObject => ({ ...o, kind: def.kind, apiVersion: apiVersionOf(def) });
    const translate = (e: StoreEvent): WatchEvent | undefined => {
      if (e.key !== key) return undefined;
      const now = match(e.object);
      const before = e.prev !== undefined && e.type !== 'DELETED' ? match(e.prev) : false;
      if (e.type === 'ADDED') return now ? { type: 'ADDED', object: withKind(e.object) } : undefined;
      if (e.type === 'DELETED') return e.prev && match(e.prev) ? { type: 'DELETED', object: withKind(e.object) } : undefined;
      if (now && before) return { type: 'MODIFIED', object: withKind(e.object) };
      if (now) return { type: 'ADDED', object: withKind(e.object) };
      if (before) return { type: 'DELETED', object: withKind(e.object) };
      return undefined;
    };

    let stopped = false;
    const timers: Timer[] = [];
    let unsubscribe = (): void => {};
    const session: Session = {
      sink,
      stop: () => {
        if (stopped) return;
        stopped = true;
        unsubscribe();
        for (const t of timers) t.cancel();
        this.#sessions.delete(session);
      },
    };
    const fail = (err: ApiError): { stop(): void } => {
      sink.send({ type: 'ERROR', object: err.status });
      sink.end();
      return { stop: () => {} };
    };

    // Initial state.
    const rvParam = opts.resourceVersion;
    if (opts.sendInitialEvents === true || rvParam === '' || rvParam === '0') {
      for (const o of this.#store.list(key, namespace)) if (match(o)) sink.send({ type: 'ADDED', object: withKind(o) });
      if (opts.sendInitialEvents === true) sink.send(this.#bookmark(def, true));
    } else {
      const rv = parseResourceVersion(rvParam);
      if (rv > this.#store.resourceVersion) return fail(tooLargeResourceVersion(rv, this.#store.resourceVersion));
      let backlog: StoreEvent[];
      try {
        backlog = this.#store.changesSince(rv);
      } catch (e) {
        if (e instanceof ApiError) return fail(e);
        throw e;
      }
      for (const e of backlog) {
        const w = translate(e);
        if (w) sink.send(w);
      }
    }

    // Live changes: subscribed in the same tick as the replay, so nothing falls between.
    unsubscribe = this.#store.subscribe((e) => {
      if (stopped) return;
      const w = translate(e);
      if (w) sink.send(w);
    });
    this.#sessions.add(session);

    const timeoutMs = opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0
      ? opts.timeoutSeconds * 1000
      : this.#minMs + Math.floor(this.#random() * (this.#maxMs - this.#minMs));
    timers.push(this.#clock.setTimeout(() => {
      if (stopped) return;
      if (opts.allowWatchBookmarks) sink.send(this.#bookmark(def));
      session.stop();
      sink.end();
    }, timeoutMs));
    if (opts.allowWatchBookmarks) {
      const tick = (): void => {
        if (stopped) return;
        sink.send(this.#bookmark(def));
        timers[1] = this.#clock.setTimeout(tick, this.#bookmarkMs);
      };
      timers[1] = this.#clock.setTimeout(tick, this.#bookmarkMs);
    }
    return session;
  }
}
