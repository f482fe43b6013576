/**
 * The sandbox's etcd: every object of every resource, one shared monotonic resourceVersion, and a
 * bounded history of changes from which watches replay and consistent snapshots (for paginated lists
 * and `resourceVersionMatch=Exact`) are rebuilt. Stored objects are frozen: writers pass new objects.
 */
import type { KObject } from './types.ts';
import { alreadyExists, conflict, notFound, tooOldResourceVersion, MODIFIED_CONFLICT, type GroupResource } from './status.ts';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: ChangeType;
  /** Resource key, e.g. `pods`, `functions.kubeless.io`. */
  key: string;
  /** The object after the change; for DELETED, its last state stamped with the deletion's resourceVersion. */
  object: KObject;
  /** The object before the change (MODIFIED and DELETED). */
  prev?: KObject;
}

export interface StoreOptions {
  /** How many changes (across all resources) are kept for watches and snapshots. Default 5000. */
  historySize?: number;
  /** First resourceVersion handed out, minus one. Default 1000. */
  initialResourceVersion?: number;
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

export function groupResourceOfKey(key: string): GroupResource {
  const i = key.indexOf('.');
  return i < 0 ? { group: '', resource: key } : { group: key.slice(i + 1), resource: key.slice(0, i) };
}

const objKey = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;

function sameContent(a: KObject, b: KObject): boolean {
  const strip = (o: KObject): string => JSON.stringify({ ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
  return strip(a) === strip(b);
}

function withRv(o: KObject, rv: number): KObject {
  return deepFreeze({ ...structuredClone(o), metadata: { ...structuredClone(o.metadata), resourceVersion: String(rv) } });
}

export class Store {
  readonly #objects = new Map<string, Map<string, KObject>>();
  readonly #history: StoreEvent[] = [];
  readonly #listeners = new Set<(e: StoreEvent) => void>();
  readonly #historySize: number;
  #rv: number;
  #compacted: number;

  constructor(opts: StoreOptions = {}) {
    this.#historySize = Math.max(1, opts.historySize ?? 5000);
    this.#rv = opts.initialResourceVersion ?? 1000;
    this.#compacted = this.#rv;
  }

  /** The newest resourceVersion handed out. */
  get resourceVersion(): number {
    return this.#rv;
  }

  /** Changes at or below this resourceVersion are no longer kept. */
  get compactedResourceVersion(): number {
    return this.#compacted;
  }

  #bucket(key: string): Map<string, KObject> {
    let b = this.#objects.get(key);
    if (!b) {
      b = new Map();
      this.#objects.set(key, b);
    }
    return b;
  }

  get(key: string, ns: string | undefined, name: string): KObject | undefined {
    return this.#objects.get(key)?.get(objKey(ns, name));
  }

  /** Current objects of a resource (in one namespace, or all), ordered by namespace then name. */
  list(key: string, ns?: string): KObject[] {
    const out = [...(this.#objects.get(key)?.values() ?? [])].filter((o) => ns === undefined || o.metadata.namespace === ns);
    return sortObjects(out);
  }

  create(key: string, obj: KObject): KObject {
    const name = obj.metadata.name ?? '';
    const k = objKey(obj.metadata.namespace, name);
    const b = this.#bucket(key);
    if (b.has(k)) throw alreadyExists(groupResourceOfKey(key), name);
    const stored = withRv(obj, ++this.#rv);
    b.set(k, stored);
    this.#record({ rv: this.#rv, type: 'ADDED', key, object: stored });
    return stored;
  }

  /**
   * Replace an object. With `expectedRv`, fails with 409 Conflict unless it is the stored version.
   * An update that changes nothing keeps the resourceVersion and emits no event, as etcd3 storage does.
   */
  update(key: string, obj: KObject, expectedRv?: string): KObject {
    const name = obj.metadata.name ?? '';
    const k = objKey(obj.metadata.namespace, name);
    const b = this.#bucket(key);
    const cur = b.get(k);
    if (!cur) throw notFound(groupResourceOfKey(key), name);
    if (expectedRv !== undefined && expectedRv !== '' && expectedRv !== cur.metadata.resourceVersion) {
      throw conflict(groupResourceOfKey(key), name, MODIFIED_CONFLICT);
    }
    if (sameContent(cur, obj)) return cur;
    const stored = withRv(obj, ++this.#rv);
    b.set(k, stored);
    this.#record({ rv: this.#rv, type: 'MODIFIED', key, object: stored, prev: cur });
    return stored;
  }

  delete(key: string, ns: string | undefined, name: string): KObject {
    const k = objKey(ns, name);
    const b = this.#bucket(key);
    const cur = b.get(k);
    if (!cur) throw notFound(groupResourceOfKey(key), name);
    b.delete(k);
    const last = withRv(cur, ++this.#rv);
    this.#record({ rv: this.#rv, type: 'DELETED', key, object: last, prev: cur });
    return last;
  }

  #record(e: StoreEvent): void {
    this.#history.push(e);
    while (this.#history.length > this.#historySize) {
      const dropped = this.#history.shift()!;
      this.#compacted = dropped.rv;
    }
    for (const l of [...this.#listeners]) {
      try {
        l(e);
      } catch {
        // A listener's failure must not break the write that triggered it.
      }
    }
  }

  /** Listen to every change, synchronously after it is committed. Returns the unsubscribe function. */
  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Changes after `rv` (all resources). Throws 410 Expired when some of them are no longer kept. */
  changesSince(rv: number): StoreEvent[] {
    if (rv < this.#compacted) throw tooOldResourceVersion(rv, this.#compacted + 1);
    const i = this.#history.findIndex((e) => e.rv > rv);
    return i < 0 ? [] : this.#history.slice(i);
  }

  /** The objects of a resource as they were at `rv`; throws 410 when that is older than the kept history. */
  snapshot(key: string, rv: number, ns?: string): KObject[] {
    if (rv >= this.#rv) return this.list(key, ns);
    const state = new Map<string, KObject>();
    for (const o of this.#objects.get(key)?.values() ?? []) state.set(objKey(o.metadata.namespace, o.metadata.name ?? ''), o);
    const later = this.changesSince(rv).filter((e) => e.key === key);
    for (let i = later.length - 1; i >= 0; i--) {
      const e = later[i]!;
      const k = objKey(e.object.metadata.namespace, e.object.metadata.name ?? '');
      if (e.type === 'ADDED') state.delete(k);
      else if (e.prev) state.set(k, e.prev);
    }
    return sortObjects([...state.values()].filter((o) => ns === undefined || o.metadata.namespace === ns));
  }

  /** Test hook: forget every kept change up to `rv` (default: all), as etcd compaction does. */
  compact(rv: number = this.#rv): void {
    const upTo = Math.min(rv, this.#rv);
    while (this.#history.length > 0 && this.#history[0]!.rv <= upTo) this.#history.shift();
    this.#compacted = Math.max(this.#compacted, upTo);
  }
}

export function sortObjects(objs: KObject[]): KObject[] {
  return objs.sort((a, b) => {
    const ka = `${a.metadata.namespace ?? ''}/${a.metadata.name ?? ''}`;
    const kb = `${b.metadata.namespace ?? ''}/${b.metadata.name ?? ''}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}
