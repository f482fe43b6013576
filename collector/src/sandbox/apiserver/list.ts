/**
 * List semantics: resourceVersion ("" most recent, "0" any, N not-older-than or exact), pagination with
 * `limit` and `continue` tokens served from a consistent snapshot, and 410 Expired when the snapshot
 * has been compacted away.
 */
import type { KObject } from './types.ts';
import type { Store } from './store.ts';
import { apiVersionOf, resourceKey, type ResourceDef } from './resources.ts';
import { objectFields } from './field-selector.ts';
import type { ListOptions } from './list-options.ts';
import { parseResourceVersion } from './list-options.ts';
import { badRequest, expired, timeoutError, tooOldResourceVersion, type ApiError } from './status.ts';

export interface ListResult {
  items: KObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

const CONTINUE_EXPIRED = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

export function encodeContinue(rv: number, start: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or malformed JSON');
  }
  const t = parsed as Partial<ContinueToken> | null;
  if (!t || t.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof t.rv !== 'number' || t.rv <= 0) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof t.start !== 'string' || t.start.includes('..')) throw badRequest('continue key is not valid: incorrect encoded start key');
  return t as ContinueToken;
}

const keyOf = (o: KObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

export function tooLargeResourceVersion(requested: number, current: number): ApiError {
  return timeoutError(`Too large resource version: ${requested}, current: ${current}`, { reason: 'ResourceVersionTooLarge', message: 'Too large resource version' });
}

/** Object filter for a request: namespace, name, labels and fields. */
export function matcher(def: ResourceDef, opts: ListOptions, namespace: string | undefined): (o: KObject) => boolean {
  return (o) =>
    (namespace === undefined || o.metadata.namespace === namespace) &&
    opts.labelSelector.matches(o.metadata.labels) &&
    opts.fieldSelector.matches(objectFields(def, o));
}

function snapshotAt(store: Store, def: ResourceDef, rv: number, ns: string | undefined): KObject[] {
  if (rv > store.resourceVersion) throw tooLargeResourceVersion(rv, store.resourceVersion);
  if (rv < store.compactedResourceVersion) throw tooOldResourceVersion(rv, store.compactedResourceVersion + 1);
  return store.snapshot(resourceKey(def), rv, ns);
}

export function listObjects(store: Store, def: ResourceDef, opts: ListOptions, namespace: string | undefined): ListResult {
  let all: KObject[];
  let listRv: number;
  let after = '';
  if (opts.continueToken) {
    if (opts.resourceVersion !== '' && opts.resourceVersion !== '0') throw badRequest('specifying resource version is not allowed when using continue');
    const t = decodeContinue(opts.continueToken);
    if (t.rv < store.compactedResourceVersion) throw expired(CONTINUE_EXPIRED);
    all = snapshotAt(store, def, t.rv, namespace);
    listRv = t.rv;
    after = t.start;
  } else if (opts.resourceVersion === '' || opts.resourceVersion === '0') {
    all = store.list(resourceKey(def), namespace);
    listRv = store.resourceVersion;
  } else {
    const rv = parseResourceVersion(opts.resourceVersion);
    const exact = opts.resourceVersionMatch === 'Exact' || (opts.resourceVersionMatch === '' && opts.limit > 0);
    if (exact) {
      all = snapshotAt(store, def, rv, namespace);
      listRv = rv;
    } else {
      if (rv > store.resourceVersion) throw tooLargeResourceVersion(rv, store.resourceVersion);
      all = store.list(resourceKey(def), namespace);
      listRv = store.resourceVersion;
    }
  }
  const match = matcher(def, opts, namespace);
  const filtered = all.filter((o) => (after === '' || keyOf(o) + '\u0000' > after) && match(o));
  const result: ListResult = { items: filtered, resourceVersion: String(listRv) };
  if (opts.limit > 0 && filtered.length > opts.limit) {
    result.items = filtered.slice(0, opts.limit);
    result.continueToken = encodeContinue(listRv, keyOf(result.items[result.items.length - 1]!) + '\u0000');
    if (opts.labelSelector.requirements.length === 0 && opts.fieldSelector.terms.length === 0) {
      result.remainingItemCount = filtered.length - opts.limit;
    }
  }
  return result;
}

/** The JSON list document (`PodList`, `FunctionList`, …). Built-in lists omit each item's kind. */
export function listDocument(def: ResourceDef, r: ListResult): Record<string, unknown> {
  const metadata: Record<string, unknown> = { resourceVersion: r.resourceVersion };
  if (r.continueToken) metadata['continue'] = r.continueToken;
  if (r.remainingItemCount !== undefined) metadata['remainingItemCount'] = r.remainingItemCount;
  const items = def.custom ? r.items : r.items.map(({ kind: _k, apiVersion: _a, ...rest }) => rest);
  return { kind: `${def.kind}List`, apiVersion: apiVersionOf(def), metadata, items };
}
