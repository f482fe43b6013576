/**
 * Kubeless: `functions.kubeless.io/v1beta1` objects, pods labelled `function=<fn>` and
 * `created-by=kubeless`, HTTP and CronJob triggers. A pod whose Function is gone (or a plain
 * Deployment with the labels) still shows, with `hasFunctionObject: false` and its runtime, handler
 * and timeout read from the function container's FUNC_* environment.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { EndpointInfo, FunctionInfo, PodInfo, TargetGroup, TriggerInfo } from '../types.ts';
import type { FrameworkAdapter, FunctionObjects, FunctionView } from './adapter.ts';
import { annotationsOf, isoTime, labelsOf, specString, type PodObject, type SpecObject } from './objects.ts';
import { functionContainer, podInfo, podTarget } from './pod-info.ts';

const GROUP = 'kubeless.io';
const VERSION = 'v1beta1';
const SLO_PREFIX = 'fnscope.io/slo-';
/** Kubeless's default Function timeout, seconds. */
const DEFAULT_TIMEOUT = 180;

function parseTimeout(v: string | null | undefined): number | null {
  if (v === null || v === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(v)) return null;
  return Number(v);
}

function envOf(pods: PodObject[], fnName: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const p of pods) {
    for (const e of functionContainer(p, fnName)?.env ?? []) {
      if (e.name !== undefined && typeof e.value === 'string' && !env.has(e.name)) env.set(e.name, e.value);
    }
  }
  return env;
}

function triggerInfo(resource: string, obj: KubernetesObject): TriggerInfo {
  const o = obj as SpecObject;
  const details: Record<string, string> = {};
  const pick = (key: string, as: string): void => {
    const v = specString(o, key);
    if (v !== null && v !== '') details[as] = v;
  };
  if (resource === 'httptriggers') {
    pick('host-name', 'host');
    pick('path', 'path');
    pick('gateway', 'gateway');
    pick('tls', 'tls');
  } else if (resource === 'cronjobtriggers') {
    pick('schedule', 'schedule');
  }
  return { kind: resource === 'httptriggers' ? 'http' : resource === 'cronjobtriggers' ? 'cronjob' : resource, name: obj.metadata?.name ?? '', details };
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export const kubelessAdapter: FrameworkAdapter = {
  framework: 'kubeless',
  functionResource: { group: GROUP, version: VERSION, plural: 'functions' },
  triggerResources: [
    { group: GROUP, version: VERSION, plural: 'httptriggers' },
    { group: GROUP, version: VERSION, plural: 'cronjobtriggers' },
  ],
  defaultPodSelector: 'created-by=kubeless',

  functionOfPod(pod) {
    const fn = pod.metadata?.labels?.['function'];
    return fn === undefined || fn === '' ? undefined : fn;
  },

  functionOfTrigger(_resource, obj) {
    const fn = specString(obj, 'function-name');
    return fn === null || fn === '' ? undefined : fn;
  },

  source(namespace, name) {
    return `kubeless/${namespace}/${name}`;
  },

  build(o: FunctionObjects): FunctionView | undefined {
    if (o.fn === undefined && o.pods.length === 0) return undefined;
    const fn = o.fn;
    const env = envOf(o.pods, o.name);
    const mod = env.get('MOD_NAME');
    const fnHandler = env.get('FUNC_HANDLER');
    const envHandler = mod !== undefined && fnHandler !== undefined ? `${mod}.${fnHandler}` : null;
    const runtime = (fn ? specString(fn, 'runtime') : null) || env.get('FUNC_RUNTIME') || null;
    const handler = (fn ? specString(fn, 'handler') : null) || envHandler;
    const timeoutSeconds = fn
      ? parseTimeout(specString(fn, 'timeout')) ?? DEFAULT_TIMEOUT
      : parseTimeout(env.get('FUNC_TIMEOUT'));
    const annotations = fn ? annotationsOf(fn) : {};
    const slo: Record<string, string> = {};
    for (const [k, v] of Object.entries(annotations)) if (k.startsWith(SLO_PREFIX)) slo[k.slice(SLO_PREFIX.length)] = v;

    const pods: PodInfo[] = [];
    const otherPods: PodInfo[] = [];
    for (const p of o.pods) {
      const info = podInfo(p, o.name);
      (info.role === 'function' ? pods : otherPods).push(info);
    }
    pods.sort(byName);
    otherPods.sort(byName);
    const targets = pods.filter((p) => p.target).map(podTarget);
    const endpoints: EndpointInfo[] = targets.map((t) => ({ address: t.address, scheme: t.scheme, metricsPath: t.metricsPath }));
    const source = this.source(o.namespace, o.name);

    const info: FunctionInfo = {
      namespace: o.namespace,
      name: o.name,
      framework: 'kubeless',
      source,
      runtime,
      handler,
      timeoutSeconds,
      labels: fn ? labelsOf(fn) : {},
      annotations,
      slo,
      triggers: o.triggers.map((t) => triggerInfo(t.resource, t.obj)).sort((a, b) => byName(a, b) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0)),
      hasFunctionObject: fn !== undefined,
      createdAt: fn ? isoTime(fn.metadata?.creationTimestamp) : null,
      pods,
      otherPods,
      endpoints,
    };
    const labels: Record<string, string> = { namespace: o.namespace, function: o.name };
    if (runtime !== null) labels['runtime'] = runtime;
    const group: TargetGroup = { source, labels, targets };
    return { info, group };
  },
};
