/**
 * Kubernetes objects shaped the way Kubeless creates them (see shared/kubeless-contract.md): Function
 * CRDs, function pods (labels function/created-by, prometheus.io annotations, container named after
 * the function with FUNC_* env), CronJob trigger pods (container `trigger`, no annotations), triggers.
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export function kubelessFunction(namespace: string, name: string, o: {
  runtime?: string; handler?: string; timeout?: string; annotations?: Record<string, string>;
} = {}): KubernetesObject {
  return {
    apiVersion: 'kubeless.io/v1beta1',
    kind: 'Function',
    metadata: {
      name, namespace, labels: { function: name, 'created-by': 'kubeless' },
      annotations: o.annotations ?? {}, creationTimestamp: new Date(Date.UTC(2026, 10, 21)),
    },
    spec: {
      runtime: o.runtime ?? 'python3.8', handler: o.handler ?? `${name}.handler`, timeout: o.timeout ?? '180',
      function: 'def handler(event, context):\n  return event\n', 'function-content-type': 'text', deps: '', checksum: 'sha256:0',
    },
  } as KubernetesObject;
}

export interface PodOpts {
  ip?: string | null;
  node?: string;
  phase?: string;
  ready?: boolean;
  restarts?: number;
  port?: number;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  deleting?: boolean;
  uid?: string;
  runtime?: string;
}

export function kubelessPod(namespace: string, fn: string, name: string, o: PodOpts = {}): KubernetesObject {
  const port = o.port ?? 8080;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name, namespace, uid: o.uid ?? `uid-${name}`,
      labels: o.labels ?? { function: fn, 'created-by': 'kubeless', 'pod-template-hash': '5d8f9c' },
      annotations: o.annotations ?? { 'prometheus.io/scrape': 'true', 'prometheus.io/path': '/metrics', 'prometheus.io/port': String(port) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${fn}-5d8f9c`, uid: 'rs-uid', controller: true }],
      ...(o.deleting ? { deletionTimestamp: '2026-11-22T00:05:00Z' } : {}),
    },
    spec: {
      nodeName: o.node ?? 'node-a',
      initContainers: [{ name: 'prepare' }, { name: 'install' }],
      containers: [{
        name: fn, image: 'kubeless/python:3.8', ports: [{ containerPort: port, protocol: 'TCP' }],
        env: [
          { name: 'FUNC_HANDLER', value: 'handler' }, { name: 'MOD_NAME', value: fn },
          { name: 'FUNC_TIMEOUT', value: '180' }, { name: 'FUNC_RUNTIME', value: o.runtime ?? 'python3.8' },
          { name: 'FUNC_MEMORY_LIMIT', value: '0' }, { name: 'FUNC_PORT', value: String(port) },
        ],
      }],
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ip === null ? {} : { podIP: o.ip ?? '10.0.0.1' }),
      startTime: '2026-11-22T00:00:00Z',
      conditions: [{ type: 'Ready', status: (o.ready ?? true) ? 'True' : 'False' }],
      containerStatuses: [{ name: fn, ready: o.ready ?? true, restartCount: o.restarts ?? 0 }],
    },
  } as KubernetesObject;
}

/** A pod started by a CronJobTrigger: the function's labels, container `trigger`, no annotations. */
export function cronTriggerPod(namespace: string, fn: string, name: string): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name, namespace, uid: `uid-${name}`,
      labels: { function: fn, 'created-by': 'kubeless', 'job-name': `trigger-${fn}-29000000` },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: `trigger-${fn}-29000000`, uid: 'job-uid', controller: true }],
    },
    spec: { nodeName: 'node-a', containers: [{ name: 'trigger', image: 'kubeless/unzip' }] },
    status: { phase: 'Succeeded', podIP: '10.0.9.9', containerStatuses: [{ name: 'trigger', ready: false, restartCount: 0 }] },
  } as KubernetesObject;
}

export function httpTrigger(namespace: string, name: string, fn: string, host: string, path: string): KubernetesObject {
  return {
    apiVersion: 'kubeless.io/v1beta1', kind: 'HTTPTrigger',
    metadata: { name, namespace },
    spec: { 'function-name': fn, 'host-name': host, path, tls: false, gateway: 'nginx' },
  } as KubernetesObject;
}

export function cronJobTrigger(namespace: string, name: string, fn: string, schedule: string): KubernetesObject {
  return {
    apiVersion: 'kubeless.io/v1beta1', kind: 'CronJobTrigger',
    metadata: { name, namespace },
    spec: { 'function-name': fn, schedule, payload: {} },
  } as KubernetesObject;
}
