/**
 * Response shapes a client can ask for in `Accept`: plain JSON, `as=Table` (what `kubectl get`
 * prints), and `as=PartialObjectMetadata[List]` (metadata-only informers).
 */
import type { KObject } from './types.ts';
import { printerFor } from './printers.ts';
import { notAcceptable } from './status.ts';

export type Rendering =
  | { as: 'json' }
  | { as: 'Table'; version: 'v1' | 'v1beta1' }
  | { as: 'PartialObjectMetadata'; version: 'v1' | 'v1beta1' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string): MediaRange[] {
  return accept.split(',').map((part) => {
    const [type, ...ps] = part.split(';').map((x) => x.trim());
    const params: Record<string, string> = {};
    for (const p of ps) {
      const i = p.indexOf('=');
      if (i > 0) params[p.slice(0, i).trim()] = p.slice(i + 1).trim();
    }
    return { type: (type ?? '').toLowerCase(), params };
  }).filter((m) => m.type !== '');
}

const JSONISH = new Set(['application/json', 'application/*', '*/*', 'application/yaml']);

/** Chooses the rendering for an Accept header; 406 when nothing acceptable is offered. */
export function negotiate(accept: string | undefined): Rendering {
  if (!accept) return { as: 'json' };
  const ranges = parseAccept(accept);
  if (ranges.length === 0) return { as: 'json' };
  for (const r of ranges) {
    if (!JSONISH.has(r.type)) continue;
    const as = r.params['as'];
    if (as === undefined) return { as: 'json' };
    const g = r.params['g'];
    const v = r.params['v'];
    if (g !== 'meta.k8s.io' || (v !== 'v1' && v !== 'v1beta1')) continue;
    if (as === 'Table') return { as: 'Table', version: v };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { as: 'PartialObjectMetadata', version: v };
  }
  if (ranges.some((r) => r.type === 'application/vnd.kubernetes.protobuf' && r.params['as'] === undefined)) return { as: 'json' };
  throw notAcceptable(['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf']);
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export function partialMetadata(o: KObject, version = 'v1'): KObject {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata };
}

export interface TableMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

/** A meta.k8s.io Table of the given objects (one row each). */
export function toTable(resourceKey: string, objects: readonly KObject[], now: number, include: IncludeObject, meta: TableMeta, version = 'v1'): Record<string, unknown> {
  const p = printerFor(resourceKey);
  const rows = objects.map((o) => {
    const row: Record<string, unknown> = { cells: p.cells(o, now) };
    const conds = p.conditions?.(o);
    if (conds) row['conditions'] = conds;
    if (include === 'Metadata') row['object'] = partialMetadata(o, version);
    else if (include === 'Object') row['object'] = o;
    return row;
  });
  const metadata: Record<string, unknown> = {};
  if (meta.resourceVersion !== undefined) metadata['resourceVersion'] = meta.resourceVersion;
  if (meta.continue) metadata['continue'] = meta.continue;
  if (meta.remainingItemCount !== undefined) metadata['remainingItemCount'] = meta.remainingItemCount;
  return { kind: 'Table', apiVersion: `meta.k8s.io/${version}`, metadata, columnDefinitions: p.columns, rows };
}

/** Reads `includeObject` (default Metadata, as the API server does). */
export function includeObjectParam(q: URLSearchParams): IncludeObject {
  const v = q.get('includeObject');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}
