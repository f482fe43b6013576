/**
 * Discovery documents: /version, /api (APIVersions), /apis (APIGroupList), /apis/{group} (APIGroup),
 * group-version APIResourceLists, and the aggregated apidiscovery.k8s.io/v2 form kubectl asks for first.
 */
import type { ResourceDef, ResourceRegistry } from './resources.ts';
import { apiVersionOf } from './resources.ts';

export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
export const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-fnscope-sandbox',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Which aggregated discovery version the Accept header asks for, if any. */
export function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  if (!accept) return undefined;
  for (const part of accept.split(',')) {
    const p = part.replace(/\s+/g, '');
    if (!p.includes('as=APIGroupDiscoveryList') || !p.includes('g=apidiscovery.k8s.io')) continue;
    if (p.includes('v=v2beta1')) return 'v2beta1';
    if (p.includes('v=v2')) return 'v2';
  }
  return undefined;
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupNames(reg: ResourceRegistry): string[] {
  return [...new Set(reg.all.filter((d) => d.group !== '').map((d) => d.group))];
}

export function apiGroup(reg: ResourceRegistry, group: string): Record<string, unknown> | undefined {
  const gvs = reg.groupVersions().filter((g) => g.group === group);
  if (group === '' || gvs.length === 0) return undefined;
  const versions = gvs.map((g) => ({ groupVersion: apiVersionOf(g), version: g.version }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(reg: ResourceRegistry): Record<string, unknown> {
  const groups = groupNames(reg).map((g) => {
    const d = apiGroup(reg, g)!;
    return { name: d['name'], versions: d['versions'], preferredVersion: d['preferredVersion'] };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

function resourceEntries(d: ResourceDef): Array<Record<string, unknown>> {
  const main: Record<string, unknown> = { name: d.resource, singularName: d.singular, namespaced: d.namespaced, kind: d.kind, verbs: d.verbs };
  if (d.shortNames) main['shortNames'] = d.shortNames;
  if (d.categories) main['categories'] = d.categories;
  const subs = (d.subresources ?? []).map((s) => ({ name: `${d.resource}/${s.name}`, singularName: '', namespaced: d.namespaced, kind: s.kind, verbs: s.verbs }));
  return [main, ...subs];
}

export function apiResourceList(reg: ResourceRegistry, group: string, version: string): Record<string, unknown> | undefined {
  const defs = reg.inGroupVersion(group, version);
  if (defs.length === 0) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources: defs.flatMap(resourceEntries) };
}

function discoveryResource(d: ResourceDef): Record<string, unknown> {
  const r: Record<string, unknown> = {
    resource: d.resource,
    responseKind: { group: d.group, version: d.version, kind: d.kind },
    scope: d.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: d.singular,
    verbs: d.verbs,
  };
  if (d.shortNames) r['shortNames'] = d.shortNames;
  if (d.categories) r['categories'] = d.categories;
  if (d.subresources?.length) {
    r['subresources'] = d.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.kind === d.kind ? d.group : '', version: s.kind === d.kind ? d.version : 'v1', kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return r;
}

/** APIGroupDiscoveryList for /api (core only) or /apis (every named group). */
export function aggregatedDiscovery(reg: ResourceRegistry, core: boolean, version: 'v2' | 'v2beta1'): Record<string, unknown> {
  const groups = core ? [''] : groupNames(reg);
  const items = groups.map((g) => {
    const versions = reg.groupVersions().filter((gv) => gv.group === g).map((gv) => ({
      version: gv.version,
      resources: reg.inGroupVersion(g, gv.version).map(discoveryResource),
      freshness: 'Current',
    }));
    return { metadata: g === '' ? { creationTimestamp: null } : { name: g, creationTimestamp: null }, versions };
  });
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}
