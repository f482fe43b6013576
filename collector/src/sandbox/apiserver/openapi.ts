/**
 * OpenAPI v3 documents (/openapi/v3 index and one document per group-version), enough for
 * `kubectl apply` (it checks that PATCH takes `fieldValidation`, then relies on server-side field
 * validation) and for `kubectl explain`. Schemas are deliberately shallow: custom resources keep
 * unknown fields, as Kubeless's schemaless CRDs do.
 */
import { createHash } from 'node:crypto';
import type { ResourceDef, ResourceRegistry } from './resources.ts';
import { apiVersionOf } from './resources.ts';

const META_REF = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const FUNCTION_SPEC_FIELDS: Record<string, string> = {
  handler: 'Entry point of the function, "module.function".',
  function: 'Source of the function: text, base64, or a URL (see function-content-type).',
  'function-content-type': 'How "function" is encoded: text, base64, url, optionally with +zip or +compressedtar.',
  checksum: 'sha256:<hex> of the function source.',
  runtime: 'Runtime id, e.g. python3.8 or nodejs14.',
  timeout: 'Seconds a call may run (string; default "180").',
  deps: 'Dependencies file contents (requirements.txt, package.json, ...).',
  deployment: 'An apps/v1 Deployment merged into the one the controller creates.',
  service: 'The Service spec for the function (default: port 8080 named http-function-port).',
  horizontalPodAutoscaler: 'An autoscaling HorizontalPodAutoscaler spec for the function.',
};

/** Schema name as kube-openapi spells it: `io.k8s.api.core.v1.Pod`, `io.kubeless.v1beta1.Function`. */
export function schemaName(d: ResourceDef): string {
  if (d.group === '') return `io.k8s.api.core.${d.version}.${d.kind}`;
  if (d.group === 'apps') return `io.k8s.api.apps.${d.version}.${d.kind}`;
  if (d.group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${d.version}.${d.kind}`;
  return `${d.group.split('.').reverse().join('.')}.${d.version}.${d.kind}`;
}

function kindSchema(d: ResourceDef): Record<string, unknown> {
  const spec: Record<string, unknown> = { type: 'object', description: `Specification of the ${d.kind}.` };
  if (d.custom) spec['x-kubernetes-preserve-unknown-fields'] = true;
  if (d.kind === 'Function') {
    spec['properties'] = Object.fromEntries(Object.entries(FUNCTION_SPEC_FIELDS).map(([k, v]) => [k, { type: k === 'deployment' || k === 'service' || k === 'horizontalPodAutoscaler' ? 'object' : 'string', description: v }]));
  }
  const properties: Record<string, unknown> = {
    apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
    kind: { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' },
    metadata: { allOf: [{ $ref: META_REF }], default: {}, description: "Standard object's metadata." },
    spec: spec,
  };
  if (!d.custom) properties['status'] = { type: 'object', description: `Most recently observed status of the ${d.kind}.`, 'x-kubernetes-preserve-unknown-fields': true };
  return {
    type: 'object',
    description: d.kind === 'Function' ? 'A Kubeless function: source, runtime and handler, run as a Deployment of pods.' : `${d.kind} (${apiVersionOf(d)}).`,
    properties,
    'x-kubernetes-group-version-kind': [{ group: d.group, kind: d.kind, version: d.version }],
    ...(d.custom ? { 'x-kubernetes-preserve-unknown-fields': true } : {}),
  };
}

const str = { type: 'string' };
const strMap = { type: 'object', additionalProperties: { type: 'string', default: '' } };
const OBJECT_META = {
  type: 'object',
  description: 'ObjectMeta is metadata that all persisted resources must have.',
  properties: {
    name: str, generateName: str, namespace: str, uid: str, resourceVersion: str, creationTimestamp: str, deletionTimestamp: str,
    labels: strMap, annotations: strMap,
    generation: { type: 'integer', format: 'int64' },
    finalizers: { type: 'array', items: { type: 'string', default: '' } },
    ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

function param(name: string, inWhere: 'query' | 'path', type = 'string'): Record<string, unknown> {
  return { name, in: inWhere, schema: { type, uniqueItems: true }, ...(inWhere === 'path' ? { required: true } : {}) };
}

const WRITE_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation'].map((n) => param(n, 'query'));
const LIST_PARAMS = ['labelSelector', 'fieldSelector', 'resourceVersion', 'resourceVersionMatch', 'continue'].map((n) => param(n, 'query'))
  .concat([param('limit', 'query', 'integer'), param('timeoutSeconds', 'query', 'integer'), param('watch', 'query', 'boolean'), param('allowWatchBookmarks', 'query', 'boolean')]);

function op(d: ResourceDef, action: string, params: Array<Record<string, unknown>>, body?: string[]): Record<string, unknown> {
  const ref = { $ref: `#/components/schemas/${schemaName(d)}` };
  const o: Record<string, unknown> = {
    operationId: `${action}${d.kind}`,
    parameters: params,
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: d.group, version: d.version, kind: d.kind },
  };
  if (body) o['requestBody'] = { content: Object.fromEntries(body.map((t) => [t, { schema: ref }])), required: true };
  return o;
}

function paths(d: ResourceDef): Record<string, unknown> {
  const base = d.group ? `/apis/${d.group}/${d.version}` : `/api/${d.version}`;
  const coll = d.namespaced ? `${base}/namespaces/{namespace}/${d.resource}` : `${base}/${d.resource}`;
  const nsParams = d.namespaced ? [param('namespace', 'path')] : [];
  const writable = d.verbs.includes('create');
  const collection: Record<string, unknown> = { get: op(d, 'list', LIST_PARAMS), parameters: nsParams };
  if (writable) collection['post'] = op(d, 'post', WRITE_PARAMS, ['application/json', 'application/yaml']);
  const item: Record<string, unknown> = { get: op(d, 'get', []), parameters: [param('name', 'path'), ...nsParams] };
  if (writable) {
    item['put'] = op(d, 'put', WRITE_PARAMS, ['application/json', 'application/yaml']);
    item['patch'] = op(d, 'patch', [...WRITE_PARAMS, param('force', 'query', 'boolean')], ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
    item['delete'] = op(d, 'delete', [param('gracePeriodSeconds', 'query', 'integer'), param('propagationPolicy', 'query'), param('dryRun', 'query')]);
  }
  return { [coll]: collection, [`${coll}/{name}`]: item };
}

function gvDocument(reg: ResourceRegistry, group: string, version: string): Record<string, unknown> {
  const defs = reg.inGroupVersion(group, version);
  const schemas: Record<string, unknown> = { 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': OBJECT_META };
  let allPaths: Record<string, unknown> = {};
  for (const d of defs) {
    schemas[schemaName(d)] = kindSchema(d);
    allPaths = { ...allPaths, ...paths(d) };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: allPaths, components: { schemas } };
}

/** The OpenAPI v3 documents by path, serialized once, with their content hashes. */
export class OpenApiV3 {
  readonly #docs = new Map<string, { body: string; hash: string }>();

  constructor(reg: ResourceRegistry) {
    for (const gv of reg.groupVersions()) {
      const path = gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
      const body = JSON.stringify(gvDocument(reg, gv.group, gv.version));
      this.#docs.set(path, { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() });
    }
  }

  index(): string {
    const paths: Record<string, unknown> = {};
    for (const [p, d] of this.#docs) paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${d.hash}` };
    return JSON.stringify({ paths });
  }

  document(path: string): string | undefined {
    return this.#docs.get(path)?.body;
  }
}
