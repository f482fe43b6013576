/**
 * The resources the sandbox's API server serves, with the discovery facts kubectl reads: plural,
 * singular, kind, scope, verbs, short names, categories, subresources.
 */

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface SubresourceDef {
  name: string;
  kind: string;
  verbs: readonly Verb[];
}

export interface ResourceDef {
  group: string;
  version: string;
  /** Plural, as in the URL. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  verbs: readonly Verb[];
  shortNames?: readonly string[];
  categories?: readonly string[];
  subresources?: readonly SubresourceDef[];
  /** Built-in types take strategic merge patches; custom resources do not. */
  strategicMerge: boolean;
  /** Custom resource (served from a CRD): unknown fields kept, deletes return the object. */
  custom: boolean;
  /** Updates without metadata.resourceVersion are allowed (true for most built-ins, false for custom resources). */
  unconditionalUpdate: boolean;
  /** Name validation: DNS-1123 subdomain (most kinds) or DNS-1035 label (services). */
  nameRule: 'subdomain' | 'label1035' | 'any';
}

const ALL: readonly Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const READ: readonly Verb[] = ['get', 'list', 'watch'];

function core(p: Omit<ResourceDef, 'group' | 'version' | 'strategicMerge' | 'custom' | 'unconditionalUpdate' | 'nameRule'> & Partial<ResourceDef>): ResourceDef {
  return { group: '', version: 'v1', strategicMerge: true, custom: false, unconditionalUpdate: true, nameRule: 'subdomain', ...p };
}

function kubeless(resource: string, singular: string, kind: string): ResourceDef {
  return {
    group: 'kubeless.io', version: 'v1beta1', resource, singular, kind, namespaced: true, verbs: ALL,
    strategicMerge: false, custom: true, unconditionalUpdate: false, nameRule: 'subdomain',
  };
}

const PROXY_VERBS: readonly Verb[] = ['create', 'delete', 'get', 'patch', 'update'];

/** Every resource the sandbox serves. */
export function builtinResources(): ResourceDef[] {
  return [
    core({ resource: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'], nameRule: 'label1035' }),
    core({ resource: 'nodes', singular: 'node', kind: 'Node', namespaced: false, verbs: READ, shortNames: ['no'] }),
    core({
      resource: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, verbs: ALL, shortNames: ['po'], categories: ['all'],
      subresources: [
        { name: 'log', kind: 'Pod', verbs: ['get'] },
        { name: 'proxy', kind: 'PodProxyOptions', verbs: PROXY_VERBS },
      ],
    }),
    core({
      resource: 'services', singular: 'service', kind: 'Service', namespaced: true, verbs: ALL, shortNames: ['svc'], categories: ['all'], nameRule: 'label1035',
      subresources: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: PROXY_VERBS }],
    }),
    core({ resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, verbs: ALL, shortNames: ['cm'] }),
    core({ resource: 'events', singular: 'event', kind: 'Event', namespaced: true, verbs: ALL, shortNames: ['ev'] }),
    { group: 'apps', version: 'v1', resource: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, verbs: READ, shortNames: ['deploy'], categories: ['all'], strategicMerge: true, custom: false, unconditionalUpdate: true, nameRule: 'subdomain' },
    { group: 'apps', version: 'v1', resource: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, verbs: READ, shortNames: ['rs'], categories: ['all'], strategicMerge: true, custom: false, unconditionalUpdate: true, nameRule: 'subdomain' },
    { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', singular: 'customresourcedefinition', kind: 'CustomResourceDefinition', namespaced: false, verbs: READ, shortNames: ['crd', 'crds'], categories: ['api-extensions'], strategicMerge: false, custom: false, unconditionalUpdate: true, nameRule: 'subdomain' },
    kubeless('functions', 'function', 'Function'),
    kubeless('httptriggers', 'httptrigger', 'HTTPTrigger'),
    kubeless('cronjobtriggers', 'cronjobtrigger', 'CronJobTrigger'),
    // prometheus-operator's rule CRD, for `fnscope serve --sync` (docs/sync.md).
    {
      group: 'monitoring.coreos.com', version: 'v1', resource: 'prometheusrules', singular: 'prometheusrule', kind: 'PrometheusRule', namespaced: true, verbs: ALL,
      shortNames: ['promrule'], categories: ['prometheus-operator'], strategicMerge: false, custom: true, unconditionalUpdate: false, nameRule: 'subdomain',
    },
  ];
}

export function apiVersionOf(def: { group: string; version: string }): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** Key used by the store for a resource: `pods`, `functions.kubeless.io`. */
export function resourceKey(def: { group: string; resource: string }): string {
  return def.group ? `${def.resource}.${def.group}` : def.resource;
}

/** Lookup of resource definitions by group/version/plural, and by kind. */
export class ResourceRegistry {
  readonly all: readonly ResourceDef[];

  constructor(defs: readonly ResourceDef[] = builtinResources()) {
    this.all = defs;
  }

  find(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.all.find((d) => d.group === group && d.version === version && d.resource === resource);
  }

  byKey(key: string): ResourceDef | undefined {
    return this.all.find((d) => resourceKey(d) === key);
  }

  byKind(apiVersion: string, kind: string): ResourceDef | undefined {
    return this.all.find((d) => apiVersionOf(d) === apiVersion && d.kind === kind);
  }

  /** Group/version pairs, core first, in a stable order. */
  groupVersions(): Array<{ group: string; version: string }> {
    const seen = new Set<string>();
    const out: Array<{ group: string; version: string }> = [];
    for (const d of this.all) {
      const k = apiVersionOf(d);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ group: d.group, version: d.version });
    }
    return out;
  }

  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.all.filter((d) => d.group === group && d.version === version);
  }
}
