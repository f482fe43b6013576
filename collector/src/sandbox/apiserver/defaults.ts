/**
 * Defaulting applied on create, as the API server's defaulters and admission plugins do for the
 * built-in kinds the sandbox serves (pods, services, namespaces).
 */
import type { KObject } from './types.ts';
import { isPlainObject } from './types.ts';
import type { ResourceDef } from './resources.ts';

function obj(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = parent[key];
  if (isPlainObject(v)) return v;
  const n: Record<string, unknown> = {};
  parent[key] = n;
  return n;
}

function setDefault(o: Record<string, unknown>, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

function defaultContainer(c: Record<string, unknown>): void {
  const image = typeof c['image'] === 'string' ? c['image'] : '';
  const tagged = /:[^/]+$/.test(image) || image.includes('@');
  setDefault(c, 'imagePullPolicy', !tagged || image.endsWith(':latest') ? 'Always' : 'IfNotPresent');
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  if (Array.isArray(c['ports'])) for (const p of c['ports']) if (isPlainObject(p)) setDefault(p, 'protocol', 'TCP');
  for (const probeKey of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = c[probeKey];
    if (!isPlainObject(p)) continue;
    setDefault(p, 'timeoutSeconds', 1);
    setDefault(p, 'periodSeconds', 10);
    setDefault(p, 'successThreshold', 1);
    setDefault(p, 'failureThreshold', 3);
    if (isPlainObject(p['httpGet'])) setDefault(p['httpGet'], 'scheme', 'HTTP');
  }
}

function defaultPod(o: KObject): void {
  const spec = obj(o, 'spec');
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'serviceAccountName', 'default');
  spec['serviceAccount'] = spec['serviceAccountName'];
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'priority', 0);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  setDefault(spec, 'tolerations', [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  for (const f of ['containers', 'initContainers']) {
    const l = spec[f];
    if (Array.isArray(l)) for (const c of l) if (isPlainObject(c)) defaultContainer(c);
  }
  o['status'] = { phase: 'Pending', qosClass: 'BestEffort' };
}

function defaultService(o: KObject, allocateIp: () => string): void {
  const spec = obj(o, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec['type'] !== 'ExternalName') {
    if (spec['clusterIP'] === undefined || spec['clusterIP'] === '') spec['clusterIP'] = allocateIp();
    setDefault(spec, 'clusterIPs', [spec['clusterIP']]);
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (Array.isArray(spec['ports'])) {
    for (const p of spec['ports']) {
      if (!isPlainObject(p)) continue;
      setDefault(p, 'protocol', 'TCP');
      setDefault(p, 'targetPort', p['port']);
    }
  }
  o['status'] = { loadBalancer: {} };
}

function defaultNamespace(o: KObject): void {
  o.metadata.labels = { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name ?? '' };
  obj(o, 'spec')['finalizers'] = ['kubernetes'];
  o['status'] = { phase: 'Active' };
}

/** Applies create-time defaults in place. */
export function applyDefaults(def: ResourceDef, o: KObject, allocateIp: () => string): void {
  if (def.group !== '') return;
  if (def.resource === 'pods') defaultPod(o);
  else if (def.resource === 'services') defaultService(o, allocateIp);
  else if (def.resource === 'namespaces') defaultNamespace(o);
}
