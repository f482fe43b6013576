/**
 * The objects a fresh sandbox cluster starts with: the standard namespaces, its single node, and the
 * CustomResourceDefinitions of Kubeless (functions, httptriggers, cronjobtriggers) and prometheus-operator's
 * prometheusrules.
 */
import type { Registry } from './registry.ts';
import type { ResourceDef } from './resources.ts';
import { rfc3339 } from './registry.ts';

export interface SeedOptions {
  nodeName: string;
  kubeletVersion?: string;
}

function crd(d: ResourceDef): Record<string, unknown> {
  return {
    metadata: { name: `${d.resource}.${d.group}` },
    spec: {
      group: d.group,
      names: { kind: d.kind, listKind: `${d.kind}List`, plural: d.resource, singular: d.singular },
      scope: 'Namespaced',
      versions: [{
        name: d.version, served: true, storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      }],
    },
  };
}

export function seedCluster(registry: Registry, opts: SeedOptions): void {
  const def = (resource: string, group = ''): ResourceDef => registry.resources.all.find((d) => d.resource === resource && d.group === group)!;
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    registry.create(def('namespaces'), undefined, { metadata: { name: ns } });
  }
  const now = rfc3339(registry.clock.now());
  const node = registry.create(def('nodes'), undefined, {
    metadata: {
      name: opts.nodeName,
      labels: { 'kubernetes.io/hostname': opts.nodeName, 'kubernetes.io/os': process.platform, 'kubernetes.io/arch': process.arch === 'x64' ? 'amd64' : process.arch },
    },
    spec: {},
  });
  registry.mutate(def('nodes'), undefined, node.metadata.name ?? '', (o) => {
    o['status'] = {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now }],
      addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: opts.nodeName }],
      nodeInfo: {
        kubeletVersion: opts.kubeletVersion ?? 'v1.32.0-fnscope-sandbox', osImage: 'fnscope sandbox', kernelVersion: process.version,
        containerRuntimeVersion: 'fnscope-processes://1', operatingSystem: process.platform, architecture: process.arch,
      },
    };
  });
  const crds = def('customresourcedefinitions', 'apiextensions.k8s.io');
  for (const d of registry.resources.all.filter((r) => r.custom)) {
    registry.create(crds, undefined, crd(d));
  }
}
