/**
 * A KubeClient driven by hand: an in-memory API with a shared resourceVersion, an event log that
 * watches replay from their resourceVersion, selectors applied to lists and watches alike (an object
 * that stops matching is DELETED for that watch, as the API server does), and switches for failures:
 * failing lists, failing or hanging watches, 410 Gone (as a status or as an ERROR event), outages.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient, KubeList, ResourceRef, Selectors, WatchQuery } from '../../collector/src/discovery/kubernetes/client.ts';

export interface Conn {
  path: string;
  plural: string;
  namespace: string | undefined;
  query: WatchQuery;
  onEvent: (type: string, obj: unknown) => void;
  onDone: (err: unknown) => void;
  controller: AbortController;
  open: boolean;
}

interface LogEntry {
  rv: number;
  plural: string;
  old: KubernetesObject | undefined;
  obj: KubernetesObject | undefined;
}

export function httpError(status: number, message = `HTTP ${status}`): Error & { statusCode: number } {
  const e = new Error(message) as Error & { statusCode: number };
  e.statusCode = status;
  return e;
}

function parsePath(path: string): { plural: string; namespace: string | undefined } {
  const parts = path.split('/').filter(Boolean);
  const plural = parts[parts.length - 1]!;
  const i = parts.indexOf('namespaces');
  return { plural, namespace: i >= 0 ? parts[i + 1] : undefined };
}

function matchesSelector(sel: string | undefined, get: (k: string) => string | undefined): boolean {
  if (!sel) return true;
  return sel.split(',').every((term) => {
    const neq = term.split('!=');
    if (neq.length === 2) return get(neq[0]!.trim()) !== neq[1]!.trim();
    const [k, v] = term.split('=');
    return get(k!.trim()) === v!.trim();
  });
}

export class FakeKube implements KubeClient {
  rv = 1000;
  #store = new Map<string, Map<string, KubernetesObject>>();
  #log: LogEntry[] = [];
  /** Watches from a resourceVersion below this get 410 Gone. */
  compactedBelow = 0;
  /** How a 410 is delivered: as the HTTP status of the watch request, or as an ERROR event then close. */
  goneAs: 'status' | 'event' = 'status';
  down = false;
  lists: Array<{ plural: string; namespace: string | undefined; selectors: Selectors }> = [];
  conns: Conn[] = [];
  #listFailures = new Map<string, Error[]>();
  #hangLists = new Set<string>();
  #watchFailures = new Map<string, unknown[]>();
  #silentWatches = new Set<string>();

  #bucket(plural: string): Map<string, KubernetesObject> {
    let b = this.#store.get(plural);
    if (!b) this.#store.set(plural, (b = new Map<string, KubernetesObject>()));
    return b;
  }

  /** Create or replace an object; returns the stored copy. */
  apply(plural: string, obj: KubernetesObject): KubernetesObject {
    const key = `${obj.metadata?.namespace}/${obj.metadata?.name}`;
    const old = this.#bucket(plural).get(key);
    const stored = structuredClone(obj);
    stored.metadata = { ...stored.metadata, resourceVersion: String(++this.rv) };
    stored.metadata.uid ??= old?.metadata?.uid ?? `uid-${obj.metadata?.name}-${this.rv}`;
    this.#bucket(plural).set(key, stored);
    this.#record(plural, old, stored);
    return stored;
  }

  remove(plural: string, namespace: string, name: string): void {
    const key = `${namespace}/${name}`;
    const old = this.#bucket(plural).get(key);
    if (!old) return;
    this.#bucket(plural).delete(key);
    ++this.rv;
    this.#record(plural, old, undefined);
  }

  get(plural: string, namespace: string, name: string): KubernetesObject | undefined {
    const o = this.#bucket(plural).get(`${namespace}/${name}`);
    return o ? structuredClone(o) : undefined;
  }

  #record(plural: string, old: KubernetesObject | undefined, obj: KubernetesObject | undefined): void {
    const e: LogEntry = { rv: this.rv, plural, old, obj };
    this.#log.push(e);
    for (const c of this.conns) if (c.open) this.#deliver(c, e);
  }

  #matches(c: { plural: string; namespace: string | undefined; query: WatchQuery }, o: KubernetesObject | undefined): boolean {
    if (!o) return false;
    if (c.namespace !== undefined && o.metadata?.namespace !== c.namespace) return false;
    const labels = o.metadata?.labels ?? {};
    const q = c.query;
    const spec = (o as { spec?: { nodeName?: string } }).spec;
    return matchesSelector(q['labelSelector'] as string | undefined, (k) => labels[k])
      && matchesSelector(q['fieldSelector'] as string | undefined, (k) => (k === 'spec.nodeName' ? spec?.nodeName ?? '' : undefined));
  }

  #deliver(c: Conn, e: LogEntry): void {
    if (e.plural !== c.plural) return;
    const before = this.#matches(c, e.old);
    const now = this.#matches(c, e.obj);
    const send = (type: string, o: KubernetesObject): void => {
      c.onEvent(type, structuredClone({ ...o, metadata: { ...o.metadata, resourceVersion: String(e.rv) } }));
    };
    if (now && before) send('MODIFIED', e.obj!);
    else if (now) send('ADDED', e.obj!);
    else if (before) send('DELETED', e.obj ?? e.old!);
  }

  failNextList(plural: string, err: Error, times = 1): void {
    const q = this.#listFailures.get(plural) ?? [];
    for (let i = 0; i < times; i++) q.push(err);
    this.#listFailures.set(plural, q);
  }

  hangLists(plural: string, on = true): void {
    if (on) this.#hangLists.add(plural);
    else this.#hangLists.delete(plural);
  }

  failNextWatch(plural: string, err: unknown, times = 1): void {
    const q = this.#watchFailures.get(plural) ?? [];
    for (let i = 0; i < times; i++) q.push(err);
    this.#watchFailures.set(plural, q);
  }

  /** Watches of this resource connect but never send anything (not even replays). */
  silentWatches(plural: string, on = true): void {
    if (on) this.#silentWatches.add(plural);
    else this.#silentWatches.delete(plural);
  }

  async list(r: ResourceRef, namespace: string | undefined, selectors: Selectors): Promise<KubeList> {
    await Promise.resolve();
    this.lists.push({ plural: r.plural, namespace, selectors });
    if (this.#hangLists.has(r.plural)) return new Promise<KubeList>(() => undefined);
    if (this.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' });
    const f = this.#listFailures.get(r.plural)?.shift();
    if (f !== undefined) throw f;
    const c = { plural: r.plural, namespace, query: { labelSelector: selectors.labelSelector, fieldSelector: selectors.fieldSelector } };
    const items = [...this.#bucket(r.plural).values()].filter((o) => this.#matches(c, o)).map((o) => structuredClone(o));
    return { metadata: { resourceVersion: String(this.rv) }, items };
  }

  async watch(path: string, query: WatchQuery, onEvent: (type: string, obj: unknown) => void, onDone: (err: unknown) => void): Promise<AbortController> {
    await Promise.resolve();
    const { plural, namespace } = parsePath(path);
    const controller = new AbortController();
    const conn: Conn = { path, plural, namespace, query, onEvent, onDone, controller, open: true };
    const finish = (err: unknown): void => {
      if (!conn.open) return;
      conn.open = false;
      setImmediate(() => onDone(err));
    };
    conn.onDone = finish;
    controller.signal.addEventListener('abort', () => finish(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' })), { once: true });
    if (this.down) {
      finish(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }));
      return controller;
    }
    const f = this.#watchFailures.get(plural)?.shift();
    if (f !== undefined) {
      finish(f);
      return controller;
    }
    const from = Number(query['resourceVersion'] ?? 0);
    if (query['resourceVersion'] && from < this.compactedBelow) {
      if (this.goneAs === 'status') {
        finish(httpError(410, 'Gone'));
        return controller;
      }
      this.conns.push(conn);
      setImmediate(() => {
        onEvent('ERROR', { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version' });
        finish(null);
      });
      return controller;
    }
    this.conns.push(conn);
    if (!this.#silentWatches.has(plural)) {
      for (const e of this.#log) if (e.rv > from) this.#deliver(conn, e);
    } else {
      conn.onEvent = () => undefined;
    }
    return controller;
  }

  open(plural?: string): Conn[] {
    return this.conns.filter((c) => c.open && (plural === undefined || c.plural === plural));
  }

  /** The server ends every open watch normally (as on its watch timeout). */
  closeWatches(plural?: string): void {
    for (const c of this.open(plural)) c.onDone(null);
  }

  /** Every open watch fails (connection reset). */
  breakWatches(err: unknown = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), plural?: string): void {
    for (const c of this.open(plural)) c.onDone(err);
  }

  bookmark(plural?: string): void {
    for (const c of this.open(plural)) c.onEvent('BOOKMARK', { metadata: { resourceVersion: String(this.rv) } });
  }

  /** Forget events before now: older resourceVersions get 410. */
  compact(): void {
    this.compactedBelow = this.rv;
    this.#log = [];
  }
}
