/**
 * A client-node `Watch` that a ListWatch can use, made safe for restarts:
 * - asks for bookmarks and a server-side timeout, so quiet watches show signs of life;
 * - only the newest watch it opened delivers events and `done`; older ones are aborted and silenced,
 *   so a late callback from a replaced connection can never reach the informer twice;
 * - once closed it opens nothing more (ListWatch itself does not re-check after its reconnect delay);
 * - never rejects and never lets a malformed event throw inside ListWatch (an unhandled rejection there
 *   would end the process): such events are dropped and reported.
 */
import { KubeConfig, Watch } from '@kubernetes/client-node';
import type { WatchFn, WatchQuery } from './client.ts';

export interface WatchHooks {
  /** A watch is about to open (the first one of an informer comes right after its list). */
  beforeWatch(): void;
  /** The server accepted the watch (HTTP 200). */
  connected(): void;
  /** An event arrived (any type, bookmarks included). */
  event(type: string, obj: unknown): void;
  /** An event was dropped, or the informer failed while handling one. */
  problem(err: unknown): void;
}

interface Conn {
  silenced: boolean;
  controller: AbortController | undefined;
}

function abortedController(): AbortController {
  const c = new AbortController();
  c.abort();
  return c;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function hasMetadata(v: unknown): boolean {
  return isObject(v) && isObject(v['metadata']);
}

export class GuardedWatch extends Watch {
  #inner: WatchFn;
  #hooks: WatchHooks;
  #timeoutSeconds: () => number;
  #closed = false;
  #conns = new Set<Conn>();

  constructor(inner: WatchFn, hooks: WatchHooks, timeoutSeconds: () => number, kubeConfig: KubeConfig = new KubeConfig()) {
    super(kubeConfig);
    this.#inner = inner;
    this.#hooks = hooks;
    this.#timeoutSeconds = timeoutSeconds;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Abort every connection and open no more. */
  close(): void {
    this.#closed = true;
    this.#silenceAll();
  }

  #silenceAll(): void {
    for (const c of this.#conns) {
      c.silenced = true;
      c.controller?.abort();
    }
    this.#conns.clear();
  }

  override async watch(
    path: string,
    queryParams: WatchQuery,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    if (this.#closed) return abortedController();
    this.#silenceAll();
    const conn: Conn = { silenced: false, controller: undefined };
    this.#conns.add(conn);
    try {
      this.#hooks.beforeWatch();
    } catch (err) {
      this.#hooks.problem(err);
    }
    if (this.#closed || conn.silenced) return abortedController();
    const onEvent = (type: string, obj: unknown, raw?: unknown): void => {
      if (conn.silenced) return;
      if (type === 'ERROR' ? !isObject(obj) : !hasMetadata(obj)) {
        this.#hooks.problem(new Error(`malformed ${type} watch event dropped`));
        return;
      }
      this.#hooks.event(type, obj);
      try {
        const r = callback(type, obj, raw) as unknown;
        if (r instanceof Promise) r.catch((err: unknown) => this.#hooks.problem(err));
      } catch (err) {
        this.#hooks.problem(err);
      }
    };
    const onDone = (err: unknown): void => {
      if (conn.silenced) return;
      conn.silenced = true;
      this.#conns.delete(conn);
      done(err);
    };
    const query: WatchQuery = { ...queryParams, allowWatchBookmarks: true, timeoutSeconds: this.#timeoutSeconds() };
    let controller: AbortController;
    try {
      controller = await this.#inner(path, query, onEvent, onDone);
    } catch (err) {
      onDone(err);
      return abortedController();
    }
    conn.controller = controller;
    if (conn.silenced) {
      // Replaced, closed or already done while connecting: make sure it stays shut.
      controller.abort();
      return controller;
    }
    this.#hooks.connected();
    return controller;
  }
}
