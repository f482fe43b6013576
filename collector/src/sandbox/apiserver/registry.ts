/**
 * Create, update, patch and delete with the API server's semantics: system metadata, defaulting,
 * validation (422), optimistic concurrency (409), graceful pod deletion and finalizers, dry runs.
 * Both the HTTP handlers and the sandbox's controller write through it.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../util/clock.ts';
import type { KObject } from './types.ts';
import { isPlainObject } from './types.ts';
import type { Store } from './store.ts';
import { apiVersionOf, resourceKey, type ResourceDef, type ResourceRegistry } from './resources.ts';
import {
  ApiError, alreadyExists, badRequest, conflict, invalid, notFound, unsupportedMediaType, type FieldError,
} from './status.ts';
import { applyDefaults } from './defaults.ts';
import { unknownMetaFields, validateObject } from './validation.ts';
import { jsonPatch, mergePatch, PatchError, strategicMerge, type PatchType } from './patch.ts';

export interface WriteOptions {
  dryRun?: boolean;
  /** Strict rejects unknown metadata fields (kubectl's default since 1.27). */
  fieldValidation?: string;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface RegistryOptions {
  store: Store;
  resources: ResourceRegistry;
  clock: Clock;
  random?: () => number;
}

const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SYSTEM_META = ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'selfLink', 'managedFields'];

export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export class Registry {
  readonly store: Store;
  readonly resources: ResourceRegistry;
  readonly clock: Clock;
  readonly #random: () => number;
  #nextIp = 10;

  constructor(opts: RegistryOptions) {
    this.store = opts.store;
    this.resources = opts.resources;
    this.clock = opts.clock;
    this.#random = opts.random ?? Math.random;
  }

  get(def: ResourceDef, ns: string | undefined, name: string): KObject {
    const o = this.store.get(resourceKey(def), def.namespaced ? ns : undefined, name);
    if (!o) throw notFound(def, name);
    return o;
  }

  randomSuffix(n = 5): string {
    let s = '';
    for (let i = 0; i < n; i++) s += GENERATE_ALPHABET[Math.floor(this.#random() * GENERATE_ALPHABET.length)]!;
    return s;
  }

  #decodeBody(def: ResourceDef, body: unknown): KObject {
    if (!isPlainObject(body)) throw badRequest(`json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type ${def.kind}`);
    const o = structuredClone(body) as KObject;
    const want = apiVersionOf(def);
    if (o.apiVersion !== undefined && o.apiVersion !== want) {
      throw badRequest(`the API version in the data (${String(o.apiVersion)}) does not match the expected API version (${want})`);
    }
    if (o.kind !== undefined && o.kind !== def.kind) {
      throw badRequest(`the kind in the data (${String(o.kind)}) does not match the expected kind (${def.kind})`);
    }
    o.apiVersion = want;
    o.kind = def.kind;
    if (o.metadata === undefined || o.metadata === null) o.metadata = {};
    if (!isPlainObject(o.metadata)) throw badRequest('json: cannot unmarshal metadata into Go struct field of type v1.ObjectMeta');
    // ObjectMeta's fields are omitempty: empty maps and lists, and nulls, are not kept.
    for (const [k, v] of Object.entries(o.metadata)) {
      if (v === null || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0)) delete o.metadata[k];
    }
    return o;
  }

  #checkNamespace(def: ResourceDef, o: KObject, ns: string | undefined): void {
    if (!def.namespaced) {
      delete o.metadata.namespace;
      return;
    }
    if (o.metadata.namespace && ns && o.metadata.namespace !== ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    o.metadata.namespace = ns ?? o.metadata.namespace;
  }

  #strict(o: KObject, opts: WriteOptions): void {
    if (opts.fieldValidation !== 'Strict') return;
    const unknown = unknownMetaFields(o);
    if (unknown.length) throw badRequest(`strict decoding error: ${unknown.join(', ')}`);
  }

  #invalid(def: ResourceDef, name: string, errs: FieldError[]): void {
    if (errs.length) throw invalid(def, name, errs);
  }

  create(def: ResourceDef, ns: string | undefined, body: unknown, opts: WriteOptions = {}): KObject {
    const o = this.#decodeBody(def, body);
    this.#checkNamespace(def, o, ns);
    this.#strict(o, opts);
    if (o.metadata.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
    for (const k of SYSTEM_META) delete o.metadata[k];
    if (def.namespaced) {
      const nsObj = this.store.get('namespaces', undefined, o.metadata.namespace ?? '');
      if (!nsObj) throw notFound({ group: '', resource: 'namespaces' }, o.metadata.namespace ?? '');
      if (nsObj.metadata.deletionTimestamp) {
        throw new ApiError(403, 'Forbidden', `${def.resource}${def.group ? `.${def.group}` : ''} "${o.metadata.name ?? ''}" is forbidden: unable to create new content in namespace ${o.metadata.namespace ?? ''} because it is being terminated`);
      }
    }
    if (!o.metadata.name && o.metadata.generateName) o.metadata.name = o.metadata.generateName + this.randomSuffix();
    this.#invalid(def, o.metadata.name ?? '', validateObject(def, o));
    applyDefaults(def, o, () => this.#allocateIp());
    o.metadata.uid = randomUUID();
    o.metadata.creationTimestamp = rfc3339(this.clock.now());
    if (def.custom || def.group === 'apps') o.metadata.generation = 1;
    if (opts.dryRun) {
      if (this.store.get(resourceKey(def), o.metadata.namespace, o.metadata.name ?? '')) throw alreadyExists(def, o.metadata.name ?? '');
      return o;
    }
    return this.store.create(resourceKey(def), o);
  }

  #allocateIp(): string {
    const n = this.#nextIp++;
    return `10.96.${Math.floor(n / 250) % 256}.${(n % 250) + 1}`;
  }

  /** PUT: replace the object. Keeps system metadata; pods keep their status. */
  update(def: ResourceDef, ns: string | undefined, name: string, body: unknown, opts: WriteOptions = {}): KObject {
    const o = this.#decodeBody(def, body);
    this.#checkNamespace(def, o, ns);
    this.#strict(o, opts);
    if ((o.metadata.name ?? '') !== name) throw badRequest(`the name of the object (${o.metadata.name ?? ''}) does not match the name on the URL (${name})`);
    return this.#replace(def, this.get(def, ns, name), o, opts);
  }

  #replace(def: ResourceDef, cur: KObject, o: KObject, opts: WriteOptions): KObject {
    const name = cur.metadata.name ?? '';
    const rv = o.metadata.resourceVersion;
    if (!rv && !def.unconditionalUpdate) {
      throw invalid(def, name, [{ type: 'FieldValueInvalid', field: 'metadata.resourceVersion', value: '0x0', detail: 'must be specified for an update' }]);
    }
    if (rv && rv !== cur.metadata.resourceVersion) throw conflict(def, name, 'the object has been modified; please apply your changes to the latest version and try again');
    if (o.metadata.uid && o.metadata.uid !== cur.metadata.uid) {
      throw conflict(def, name, `Precondition failed: UID in precondition: ${o.metadata.uid}, UID in object meta: ${cur.metadata.uid ?? ''}`);
    }
    for (const k of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation']) {
      if (cur.metadata[k] === undefined) delete o.metadata[k];
      else o.metadata[k] = cur.metadata[k];
    }
    delete o.metadata.managedFields;
    if (def.resource === 'pods' || def.resource === 'services' || def.resource === 'namespaces') o['status'] = structuredClone(cur['status']);
    if (def.resource === 'services' && isPlainObject(o['spec']) && isPlainObject(cur['spec'])) {
      o['spec']['clusterIP'] ??= cur['spec']['clusterIP'];
      o['spec']['clusterIPs'] ??= cur['spec']['clusterIPs'];
    }
    this.#invalid(def, name, validateObject(def, o, def.resource === 'pods' ? cur : undefined));
    if (typeof cur.metadata.generation === 'number') {
      const body = (x: KObject): string => JSON.stringify({ ...x, metadata: undefined, status: def.custom ? undefined : x['status'] });
      o.metadata.generation = cur.metadata.generation + (body(cur) !== body(o) ? 1 : 0);
    }
    if (opts.dryRun) return { ...o, metadata: { ...o.metadata, resourceVersion: cur.metadata.resourceVersion ?? '' } };
    if (o.metadata.deletionTimestamp && (o.metadata.finalizers ?? []).length === 0 && def.resource !== 'pods') {
      return this.store.delete(resourceKey(def), o.metadata.namespace, name);
    }
    return this.store.update(resourceKey(def), o, cur.metadata.resourceVersion);
  }

  patch(def: ResourceDef, ns: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions & { fieldManager?: string } = {}): KObject {
    if (type === 'strategic' && !def.strategicMerge) {
      throw unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
    }
    if (type === 'apply') {
      if (!opts.fieldManager) throw invalid({ group: 'meta.k8s.io', kind: 'PatchOptions' }, '', [{ type: 'FieldValueRequired', field: 'fieldManager', detail: 'is required for apply patch' }]);
      const existing = this.store.get(resourceKey(def), def.namespaced ? ns : undefined, name);
      if (!existing) {
        const o = this.#decodeBody(def, patch);
        if (o.metadata.name !== name) throw badRequest(`the name of the object (${o.metadata.name ?? ''}) does not match the name on the URL (${name})`);
        return this.create(def, ns, o, opts);
      }
    }
    const cur = this.get(def, ns, name);
    let patched: unknown;
    try {
      if (type === 'json') patched = jsonPatch(cur, patch);
      else if (type === 'merge') {
        if (!isPlainObject(patch)) throw new PatchError(400, 'json: cannot unmarshal into Go value of type map[string]interface {}');
        patched = mergePatch(cur, patch);
      } else {
        if (!isPlainObject(patch)) throw new PatchError(400, 'json: cannot unmarshal into Go value of type map[string]interface {}');
        patched = def.strategicMerge ? strategicMerge(cur, patch) : mergePatch(cur, patch);
      }
    } catch (e) {
      if (e instanceof PatchError) {
        throw e.code === 400 ? badRequest(e.message) : new ApiError(422, 'Invalid', e.message);
      }
      throw e;
    }
    const o = this.#decodeBody(def, patched);
    this.#checkNamespace(def, o, ns);
    this.#strict(o, opts);
    if ((o.metadata.name ?? '') !== name) throw badRequest(`the name of the object (${o.metadata.name ?? ''}) does not match the name on the URL (${name})`);
    if (!o.metadata.resourceVersion || type === 'apply') o.metadata.resourceVersion = cur.metadata.resourceVersion ?? '';
    return this.#replace(def, cur, o, opts);
  }

  /**
   * DELETE. Returns the object and whether it is gone now (false while a pod terminates gracefully
   * or finalizers hold it).
   */
  delete(def: ResourceDef, ns: string | undefined, name: string, opts: DeleteOptions = {}): { object: KObject; deleted: boolean } {
    const cur = this.get(def, ns, name);
    const pre = opts.preconditions;
    if (pre?.uid && pre.uid !== cur.metadata.uid) {
      throw conflict(def, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${cur.metadata.uid ?? ''}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== cur.metadata.resourceVersion) {
      throw conflict(def, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${cur.metadata.resourceVersion ?? ''}`);
    }
    const pp = opts.propagationPolicy;
    if (pp !== undefined && !['Foreground', 'Background', 'Orphan'].includes(pp)) {
      throw invalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', [{ type: 'FieldValueNotSupported', field: 'propagationPolicy', value: JSON.stringify(pp), detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' }]);
    }
    const key = resourceKey(def);
    const grace = this.#gracePeriod(def, cur, opts);
    const finalizers = cur.metadata.finalizers ?? [];
    if (grace > 0 || finalizers.length > 0 || def.resource === 'namespaces') {
      if (cur.metadata.deletionTimestamp && (def.resource !== 'pods' || (cur.metadata.deletionGracePeriodSeconds ?? 0) <= grace)) {
        return { object: cur, deleted: false };
      }
      const o = structuredClone<KObject>(cur);
      o.metadata.deletionTimestamp = rfc3339(this.clock.now() + grace * 1000);
      o.metadata.deletionGracePeriodSeconds = grace;
      if (def.resource === 'namespaces') o['status'] = { phase: 'Terminating' };
      if (opts.dryRun) return { object: o, deleted: false };
      return { object: this.store.update(key, o), deleted: false };
    }
    if (opts.dryRun) return { object: cur, deleted: true };
    return { object: this.store.delete(key, cur.metadata.namespace, name), deleted: true };
  }

  #gracePeriod(def: ResourceDef, cur: KObject, opts: DeleteOptions): number {
    if (def.resource !== 'pods') return 0;
    const spec = isPlainObject(cur['spec']) ? cur['spec'] : {};
    const status = isPlainObject(cur['status']) ? cur['status'] : {};
    if (!spec['nodeName'] || status['phase'] === 'Succeeded' || status['phase'] === 'Failed') return 0;
    const g = opts.gracePeriodSeconds ?? (typeof spec['terminationGracePeriodSeconds'] === 'number' ? spec['terminationGracePeriodSeconds'] : 30);
    return Math.max(0, g);
  }

  /** Internal write (controllers): apply `fn` to a copy of the current object and store it. */
  mutate(def: ResourceDef, ns: string | undefined, name: string, fn: (o: KObject) => boolean | void): KObject | undefined {
    const cur = this.store.get(resourceKey(def), def.namespaced ? ns : undefined, name);
    if (!cur) return undefined;
    const o = structuredClone<KObject>(cur);
    if (fn(o) === false) return cur;
    return this.store.update(resourceKey(def), o);
  }

  /** Internal immediate removal (the kubelet's final delete, garbage collection). */
  remove(def: ResourceDef, ns: string | undefined, name: string): KObject | undefined {
    const key = resourceKey(def);
    if (!this.store.get(key, def.namespaced ? ns : undefined, name)) return undefined;
    return this.store.delete(key, def.namespaced ? ns : undefined, name);
  }
}
