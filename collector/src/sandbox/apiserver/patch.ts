/**
 * The three patch formats the API accepts: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and
 * Kubernetes strategic merge patch (merge keys for the built-in list fields kubectl touches, and the
 * `$patch`, `$retainKeys`, `$setElementOrder/…` and `$deleteFromPrimitiveList/…` directives).
 */
import { isPlainObject } from './types.ts';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** A patch that cannot be applied: the API answers 422 (JSON patch) or 400 (bad patch document). */
export class PatchError extends Error {
  readonly code: 400 | 422;

  constructor(code: 400 | 422, message: string) {
    super(message);
    this.name = 'PatchError';
    this.code = code;
  }
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchError(422, `the server rejected our request due to an error in our request: invalid JSON pointer "${p}"`);
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function container(doc: unknown, parts: string[], path: string): { parent: unknown; key: string } {
  let cur = doc;
  for (const seg of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isPlainObject(cur)) cur = cur[seg];
    else cur = undefined;
    if (cur === undefined) throw new PatchError(422, `doc is missing path: "${path}": missing value`);
  }
  return { parent: cur, key: parts[parts.length - 1] ?? '' };
}

function getAt(doc: unknown, path: string): unknown {
  const parts = parsePointer(path);
  if (parts.length === 0) return doc;
  const { parent, key } = container(doc, parts, path);
  const v: unknown = Array.isArray(parent) ? (parent as unknown[])[Number(key)] : isPlainObject(parent) ? parent[key] : undefined;
  if (v === undefined) throw new PatchError(422, `doc is missing path: "${path}": missing value`);
  return v;
}

function arrayIndex(arr: unknown[], key: string, forAdd: boolean, path: string): number {
  if (forAdd && key === '-') return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(key)) throw new PatchError(422, `unable to access invalid index: ${key}: "${path}"`);
  const i = Number(key);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new PatchError(422, `unable to access invalid index: ${i}: "${path}"`);
  return i;
}

function removeAt(doc: unknown, path: string): unknown {
  const parts = parsePointer(path);
  const { parent, key } = container(doc, parts, path);
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, key, false, path);
    return parent.splice(i, 1)[0];
  }
  if (isPlainObject(parent) && key in parent) {
    const v = parent[key];
    delete parent[key];
    return v;
  }
  throw new PatchError(422, `doc is missing path: "${path}": missing value`);
}

function addAt(doc: unknown, path: string, value: unknown): unknown {
  const parts = parsePointer(path);
  if (parts.length === 0) return value;
  const { parent, key } = container(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true, path), 0, value);
  else if (isPlainObject(parent)) parent[key] = value;
  else throw new PatchError(422, `doc is missing path: "${path}": missing value`);
  return doc;
}

/** RFC 6902, applied to a copy of `doc`. */
export function jsonPatch(doc: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError(400, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let out = structuredClone(doc);
  for (const raw of ops as unknown[]) {
    if (!isPlainObject(raw) || typeof raw['op'] !== 'string' || typeof raw['path'] !== 'string') {
      throw new PatchError(422, 'the server rejected our request due to an error in our request: operation missing "op" or "path"');
    }
    const op = raw as unknown as JsonPatchOp;
    switch (op.op) {
      case 'add':
        out = addAt(out, op.path, structuredClone(op.value));
        break;
      case 'remove':
        removeAt(out, op.path);
        break;
      case 'replace':
        if (parsePointer(op.path).length === 0) out = structuredClone(op.value);
        else {
          getAt(out, op.path);
          removeAt(out, op.path);
          out = addAt(out, op.path, structuredClone(op.value));
        }
        break;
      case 'move': {
        const v = getAt(out, op.from ?? '');
        removeAt(out, op.from ?? '');
        out = addAt(out, op.path, v);
        break;
      }
      case 'copy':
        out = addAt(out, op.path, structuredClone(getAt(out, op.from ?? '')));
        break;
      case 'test':
        if (JSON.stringify(getAt(out, op.path)) !== JSON.stringify(op.value)) {
          throw new PatchError(422, `testing value ${op.path} failed: test failed`);
        }
        break;
      default:
        throw new PatchError(422, `Unexpected kind: ${op.op}`);
    }
  }
  return out;
}

/** Merge keys of list fields in the built-in types (field name, with its parent for ambiguous ones). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
  'containers.ports': 'containerPort',
  'initContainers.ports': 'containerPort',
  'spec.ports': 'port',
};
/** Primitive lists merged as sets. */
const SET_LISTS = new Set(['finalizers']);

function mergeKeyFor(parent: string, field: string): string | undefined {
  return MERGE_KEYS[`${parent}.${field}`] ?? (field === 'ports' ? undefined : MERGE_KEYS[field]);
}

function mergeList(parent: string, field: string, orig: unknown, patch: unknown[], deletes: unknown[]): unknown[] {
  const key = mergeKeyFor(parent, field);
  const base = Array.isArray(orig) ? [...(orig as unknown[])] : [];
  if (SET_LISTS.has(field)) {
    const out = base.filter((v) => !deletes.some((d) => JSON.stringify(d) === JSON.stringify(v)));
    for (const v of patch) if (!out.some((o) => JSON.stringify(o) === JSON.stringify(v))) out.push(v);
    return out;
  }
  if (!key) {
    if (patch.some((p) => isPlainObject(p) && p['$patch'] === 'replace')) return patch.filter((p) => !(isPlainObject(p) && p['$patch'] === 'replace'));
    return structuredClone(patch);
  }
  if (patch.some((p) => isPlainObject(p) && p['$patch'] === 'replace')) {
    return patch.filter((p) => !(isPlainObject(p) && p['$patch'] === 'replace')).map((p) => strategicMerge(undefined, p, field));
  }
  const out = base;
  for (const p of patch) {
    if (!isPlainObject(p)) continue;
    const idx = out.findIndex((o) => isPlainObject(o) && o[key] === p[key]);
    if (p['$patch'] === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], p, field);
    else out.push(strategicMerge(undefined, p, field));
  }
  return out;
}

function orderBy(list: unknown[], order: unknown, field: string, parent: string): unknown[] {
  const key = mergeKeyFor(parent, field);
  if (!Array.isArray(order)) return list;
  const rank = (v: unknown): number => {
    const i = (order as unknown[]).findIndex((o) => (key && isPlainObject(o) && isPlainObject(v) ? o[key] === v[key] : JSON.stringify(o) === JSON.stringify(v)));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return [...list].sort((a, b) => rank(a) - rank(b));
}

/** Strategic merge patch of `patch` onto `orig` (neither is modified). */
export function strategicMerge(orig: unknown, patch: unknown, parent = ''): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  if (patch['$patch'] === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch['$patch'] === 'delete') return undefined;
  const base: Record<string, unknown> = isPlainObject(orig) ? { ...orig } : {};
  const retain = patch['$retainKeys'];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/') || k.startsWith('$deleteFromPrimitiveList/')) continue;
    if (v === null) {
      delete base[k];
    } else if (Array.isArray(v)) {
      const deletes = patch[`$deleteFromPrimitiveList/${k}`];
      let merged = mergeList(parent, k, base[k], v, Array.isArray(deletes) ? deletes : []);
      merged = orderBy(merged, patch[`$setElementOrder/${k}`], k, parent);
      base[k] = merged;
    } else if (isPlainObject(v)) {
      const m = strategicMerge(base[k], v, k);
      if (m === undefined) delete base[k];
      else base[k] = m;
    } else {
      base[k] = v;
    }
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$deleteFromPrimitiveList/') && Array.isArray(v)) {
      const f = k.slice('$deleteFromPrimitiveList/'.length);
      if (!(f in patch) && Array.isArray(base[f])) {
        base[f] = (base[f] as unknown[]).filter((x) => !v.some((d) => JSON.stringify(d) === JSON.stringify(x)));
      }
    }
    if (k.startsWith('$setElementOrder/')) {
      const f = k.slice('$setElementOrder/'.length);
      if (!(f in patch) && Array.isArray(base[f])) base[f] = orderBy(base[f] as unknown[], v, f, parent);
    }
  }
  if (Array.isArray(retain)) {
    for (const k of Object.keys(base)) if (!retain.includes(k)) delete base[k];
  }
  return base;
}
