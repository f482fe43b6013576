/**
 * The objects the Kubeless controller (and the Deployment and ReplicaSet controllers after it) create
 * for a Function: ConfigMap, Service, Deployment, ReplicaSet and pods, shaped as in a real cluster.
 * Every pod gets its own loopback port (containerPort, FUNC_PORT and prometheus.io/port agree).
 */
import type { KObject, OwnerReference } from '../apiserver/types.ts';
import { isPlainObject } from '../apiserver/types.ts';
import { depsFileName, isCompiled, runtimeImage, sourceFileName, type ParsedFunction } from './function-spec.ts';

/** The port Kubeless' templates use; each sandbox pod listens on a port of its own instead. */
export const KUBELESS_PORT = 8080;
const PREPARE_IMAGE = 'kubeless/unzip:latest';

export function ownerRef(o: KObject, controller = false): OwnerReference {
  const r: OwnerReference = { apiVersion: o.apiVersion ?? '', kind: o.kind ?? '', name: o.metadata.name ?? '', uid: o.metadata.uid ?? '' };
  if (controller) {
    r.controller = true;
    r.blockOwnerDeletion = true;
  }
  return r;
}

function userAnnotations(fn: KObject): Record<string, string> {
  const a = { ...(fn.metadata.annotations ?? {}) };
  delete a['kubectl.kubernetes.io/last-applied-configuration'];
  return a;
}

export function configMapFor(fn: KObject, p: ParsedFunction): KObject {
  const data: Record<string, string> = { handler: p.spec.handler, [sourceFileName(p.modName, p.spec.runtime)]: p.spec.source };
  const deps = depsFileName(p.spec.runtime);
  if (deps) data[deps] = p.spec.deps ?? '';
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: p.spec.name, namespace: p.spec.namespace, labels: p.labels, ownerReferences: [ownerRef(fn)] }, data };
}

export function serviceFor(fn: KObject, p: ParsedFunction): KObject {
  const custom = isPlainObject(fn['spec']) && isPlainObject(fn['spec']['service']) ? structuredClone(fn['spec']['service']) : undefined;
  const spec = custom && Array.isArray(custom['ports']) && custom['ports'].length > 0
    ? custom
    : { ports: [{ name: 'http-function-port', protocol: 'TCP', port: KUBELESS_PORT, targetPort: KUBELESS_PORT }], selector: p.labels, type: 'ClusterIP' };
  if (!isPlainObject(spec['selector'])) spec['selector'] = p.labels;
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: p.spec.name, namespace: p.spec.namespace, labels: p.labels, ownerReferences: [ownerRef(fn)] }, spec };
}

function initContainers(p: ParsedFunction): Array<Record<string, unknown>> {
  const name = p.spec.name;
  const file = sourceFileName(p.modName, p.spec.runtime);
  const deps = depsFileName(p.spec.runtime);
  const mounts = [{ name, mountPath: '/kubeless' }, { name: `${name}-deps`, mountPath: '/src' }];
  let cmd = `cp /src/${file} /kubeless/${file}`;
  if (deps) cmd += ` && cp /src/${deps} /kubeless`;
  const out: Array<Record<string, unknown>> = [{ name: 'prepare', image: PREPARE_IMAGE, command: ['sh', '-c'], args: [cmd], volumeMounts: mounts, imagePullPolicy: 'IfNotPresent' }];
  if (p.spec.deps) {
    const install = p.spec.runtime.startsWith('python') ? 'pip install --prefix=/kubeless -r /kubeless/requirements.txt' : 'npm install --production --prefix=/kubeless';
    out.push({ name: 'install', image: runtimeImage(p.spec.runtime), command: ['sh', '-c'], args: [install], volumeMounts: [mounts[0]], workingDir: '/kubeless', imagePullPolicy: 'IfNotPresent' });
  }
  if (isCompiled(p.spec.runtime)) {
    out.push({ name: 'compile', image: runtimeImage(p.spec.runtime), command: ['sh', '-c'], args: ['/compile-function.sh'], volumeMounts: [mounts[0]], workingDir: '/kubeless', imagePullPolicy: 'IfNotPresent' });
  }
  return out;
}

/** The pod template, with the given port in the container, FUNC_PORT and the scrape annotation. */
export function podTemplate(fn: KObject, p: ParsedFunction, port: number): { metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  const name = p.spec.name;
  const env = [
    ...Object.entries(p.spec.env ?? {}).map(([k, v]) => ({ name: k, value: v })),
    { name: 'FUNC_HANDLER', value: p.handlerName },
    { name: 'MOD_NAME', value: p.modName },
    { name: 'FUNC_TIMEOUT', value: p.timeout },
    { name: 'FUNC_RUNTIME', value: p.spec.runtime },
    { name: 'FUNC_MEMORY_LIMIT', value: '0' },
    { name: 'FUNC_PORT', value: String(port) },
  ];
  return {
    metadata: {
      labels: { ...p.labels },
      annotations: { ...userAnnotations(fn), 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics', 'prometheus.io/port': String(port) },
    },
    spec: {
      volumes: [{ name, emptyDir: {} }, { name: `${name}-deps`, configMap: { name, defaultMode: 420 } }],
      initContainers: initContainers(p),
      containers: [{
        name,
        image: runtimeImage(p.spec.runtime),
        env,
        ports: [{ containerPort: port, protocol: 'TCP' }],
        livenessProbe: { httpGet: { path: '/healthz', port, scheme: 'HTTP' }, initialDelaySeconds: 3, periodSeconds: 30, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
        volumeMounts: [{ name, mountPath: '/kubeless' }],
        imagePullPolicy: 'IfNotPresent',
        resources: {},
      }],
      securityContext: { runAsUser: 1000, fsGroup: 1000 },
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
    },
  };
}

export function deploymentFor(fn: KObject, p: ParsedFunction): KObject {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: p.spec.name, namespace: p.spec.namespace, labels: p.labels, annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [ownerRef(fn)] },
    spec: {
      replicas: p.replicas,
      selector: { matchLabels: p.labels },
      template: podTemplate(fn, p, KUBELESS_PORT),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

export function replicaSetFor(deploy: KObject, p: ParsedFunction, revision: number): KObject {
  const labels = { ...p.labels, 'pod-template-hash': p.templateHash };
  const template = podTemplate({ metadata: {} }, p, KUBELESS_PORT);
  template.metadata['labels'] = labels;
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `${p.spec.name}-${p.templateHash}`, namespace: p.spec.namespace, labels,
      annotations: { 'deployment.kubernetes.io/desired-replicas': String(p.replicas), 'deployment.kubernetes.io/max-replicas': String(p.replicas + 1), 'deployment.kubernetes.io/revision': String(revision) },
      ownerReferences: [ownerRef(deploy, true)],
    },
    spec: { replicas: p.replicas, selector: { matchLabels: labels }, template },
  };
}

export function podFor(fn: KObject, rs: KObject, p: ParsedFunction, port: number, nodeName: string, suffix: string): KObject {
  const t = podTemplate(fn, p, port);
  const rsName = rs.metadata.name ?? '';
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: `${rsName}-${suffix}`, generateName: `${rsName}-`, namespace: p.spec.namespace,
      labels: { ...(t.metadata['labels'] as Record<string, string>), 'pod-template-hash': p.templateHash },
      annotations: t.metadata['annotations'] as Record<string, string>,
      ownerReferences: [ownerRef(rs, true)],
    },
    spec: { ...t.spec, nodeName },
  };
}
