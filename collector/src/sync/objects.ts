import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { dashboardConfigMap } from '../generate/dashboards/index.ts';
import { generateDashboards, generateRuleFiles, type GenerateConfig, type Inventory } from '../generate/index.ts';

/** What in-cluster sync keeps up to date: dashboard ConfigMaps, PrometheusRule objects, or both. */
export type SyncKind = 'dashboards' | 'rules';
export const SYNC_KINDS: readonly SyncKind[] = ['dashboards', 'rules'];

/** The label every object sync creates carries; sync only ever deletes objects with it. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'fnscope';
/** Annotation naming the function (`namespace/name`) an object was made for; absent on the generic ones. */
export const FUNCTION_ANNOTATION = 'fnscope.io/function';

/** The Kubernetes type of a synced object. */
export interface KindRef {
  apiVersion: string;
  kind: string;
}

export const CONFIGMAP: KindRef = { apiVersion: 'v1', kind: 'ConfigMap' };
export const PROMETHEUS_RULE: KindRef = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' };

export const KIND_OF: Readonly<Record<SyncKind, KindRef>> = { dashboards: CONFIGMAP, rules: PROMETHEUS_RULE };

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** `--sync dashboards,rules` → the set of kinds; throws a RangeError naming the bad entry. */
export function parseSyncKinds(text: string): Set<SyncKind> {
  const out = new Set<SyncKind>();
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(SYNC_KINDS as readonly string[]).includes(part)) throw new RangeError(`unknown sync kind "${part}" (expected ${SYNC_KINDS.join(', ')})`);
    out.add(part as SyncKind);
  }
  if (out.size === 0) throw new RangeError(`nothing to sync (expected ${SYNC_KINDS.join(', ')})`);
  return out;
}

function adopt(doc: unknown, namespace: string, fn: { namespace: string; name: string } | undefined): KubeObject {
  const obj = doc as KubeObject;
  obj.metadata.namespace = namespace;
  obj.metadata.labels = { ...obj.metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
  if (fn) obj.metadata.annotations = { ...obj.metadata.annotations, [FUNCTION_ANNOTATION]: `${fn.namespace}/${fn.name}` };
  return obj;
}

/**
 * The objects sync keeps in `namespace` for an inventory: one ConfigMap per generated dashboard
 * (labelled for the Grafana sidecar, with the folder annotations) and the PrometheusRule objects
 * `fnscope alerts --format prometheusrule` writes (the generic set plus one per annotated function).
 * Exactly the generators' output, with the managed-by label and the function annotation added.
 */
export function desiredObjects(inventory: Inventory, cfg: GenerateConfig, kinds: ReadonlySet<SyncKind>, namespace: string, warn: (m: string) => void = () => {}): KubeObject[] {
  const c: GenerateConfig = { ...cfg, namespace };
  const out: KubeObject[] = [];
  if (kinds.has('dashboards')) {
    for (const g of generateDashboards(inventory, c, warn)) out.push(adopt(parse(dashboardConfigMap(g.dashboard, c)), namespace, g.function));
  }
  if (kinds.has('rules')) {
    for (const f of generateRuleFiles(inventory, c, 'prometheusrule', warn)) out.push(adopt(parse(f.content), namespace, f.function));
  }
  return out;
}

/** `ConfigMap/fnscope-overview`: unique within one namespace. */
export function objectKey(o: { kind: string; metadata: { name: string } }): string {
  return `${o.kind}/${o.metadata.name}`;
}

/** A digest of an object's content, to skip applying what has not changed. */
export function objectDigest(o: KubeObject): string {
  return createHash('sha256').update(JSON.stringify(o)).digest('hex');
}
