/**
 * Structural validation of rendered manifests against the Kubernetes API types as @kubernetes/client-node
 * generates them from the Kubernetes OpenAPI: every field must exist on its type (no typo survives),
 * with the JSON type the schema gives it. Required fields and formats are checked by kubernetes-models
 * (validateWithKubernetesModels) when that package is installed.
 */
import * as k8s from '@kubernetes/client-node';

interface Attr {
  baseName: string;
  type: string;
}

type ModelClass = { getAttributeTypeMap(): Attr[] };

const models = k8s as unknown as Record<string, ModelClass | undefined>;

/** apiVersion/kind → the client-node model class name. */
const KINDS: Record<string, string> = {
  'v1/Namespace': 'V1Namespace',
  'v1/ServiceAccount': 'V1ServiceAccount',
  'v1/Secret': 'V1Secret',
  'v1/Service': 'V1Service',
  'v1/ConfigMap': 'V1ConfigMap',
  'apps/v1/Deployment': 'V1Deployment',
  'apps/v1/DaemonSet': 'V1DaemonSet',
  'apps/v1/StatefulSet': 'V1StatefulSet',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'V1ClusterRole',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'V1ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1/Role': 'V1Role',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'V1RoleBinding',
  'networking.k8s.io/v1/NetworkPolicy': 'V1NetworkPolicy',
};

export function isCoreKind(obj: { apiVersion?: string; kind?: string }): boolean {
  return KINDS[`${obj.apiVersion}/${obj.kind}`] !== undefined;
}

function typeName(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

function check(v: unknown, type: string, path: string, errors: string[]): void {
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) {
    if (!Array.isArray(v)) errors.push(`${path}: expected a list, got ${typeName(v)}`);
    else v.forEach((x, i) => check(x, arr[1]!, `${path}[${i}]`, errors));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeName(v) !== 'object') errors.push(`${path}: expected a map, got ${typeName(v)}`);
    else for (const [k, x] of Object.entries(v as Record<string, unknown>)) check(x, map[1]!, `${path}.${k}`, errors);
    return;
  }
  switch (type) {
    case 'string':
    case 'Date':
      if (typeof v !== 'string') errors.push(`${path}: expected a string, got ${typeName(v)}`);
      return;
    case 'number':
      if (typeof v !== 'number') errors.push(`${path}: expected a number, got ${typeName(v)}`);
      return;
    case 'boolean':
      if (typeof v !== 'boolean') errors.push(`${path}: expected a boolean, got ${typeName(v)}`);
      return;
    case 'IntOrString':
      if (typeof v !== 'string' && !Number.isInteger(v)) errors.push(`${path}: expected an integer or a string, got ${typeName(v)}`);
      return;
    case 'any':
    case 'object':
      return;
  }
  const model = models[type];
  if (!model || typeof model.getAttributeTypeMap !== 'function') {
    errors.push(`${path}: no model for type ${type}`);
    return;
  }
  if (typeName(v) !== 'object') {
    errors.push(`${path}: expected an object (${type}), got ${typeName(v)}`);
    return;
  }
  const attrs = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const t = attrs.get(k);
    if (t === undefined) errors.push(`${path}.${k}: unknown field of ${type}`);
    else check(x, t, `${path}.${k}`, errors);
  }
}

/** Problems with one object: unknown kinds, unknown fields, wrong JSON types. Empty when valid. */
export function structuralErrors(obj: Record<string, unknown>): string[] {
  const key = `${String(obj['apiVersion'])}/${String(obj['kind'])}`;
  const cls = KINDS[key];
  if (!cls) return [`${key}: not a kind this check knows`];
  const errors: string[] = [];
  check(obj, cls, `${String(obj['kind'])}/${String((obj['metadata'] as { name?: string } | undefined)?.name)}`, errors);
  return errors;
}

/** The kubernetes-models module of an object, e.g. kubernetes-models/apps/v1/Deployment. */
function modelModule(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith('monitoring.coreos.com/')) return `@kubernetes-models/prometheus-operator/${apiVersion}/${kind}`;
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/**
 * Validates with kubernetes-models (JSON schemas compiled from the Kubernetes OpenAPI and the
 * prometheus-operator CRDs): required fields, enums, formats such as quantities. Resolves with the
 * errors, or undefined when the package is not installed.
 */
export async function validateWithKubernetesModels(obj: Record<string, unknown>): Promise<string[] | undefined> {
  const spec: string = modelModule(String(obj['apiVersion']), String(obj['kind']));
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec)) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' || (e as NodeJS.ErrnoException).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return undefined;
    throw e;
  }
  const Model = mod[String(obj['kind'])] as (new (data: unknown) => { validate(): void }) | undefined;
  if (!Model) return [`${spec} has no export ${String(obj['kind'])}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (e) {
    return [`${String(obj['kind'])}/${String((obj['metadata'] as { name?: string } | undefined)?.name)}: ${(e as Error).message}`];
  }
}
