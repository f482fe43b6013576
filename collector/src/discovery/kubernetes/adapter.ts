/**
 * What a FaaS framework contributes to Kubernetes discovery: which resources hold its functions and
 * triggers, how a pod or a trigger names its function, and how the objects of one function become its
 * inventory entry and target group. Kubeless is the first adapter; OpenFaaS, Knative or Fission can
 * join by implementing this, without touching the stages after discovery.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { FunctionInfo, TargetGroup } from '../types.ts';
import type { ResourceRef } from './client.ts';
import type { PodObject } from './objects.ts';

export interface FunctionObjects {
  namespace: string;
  name: string;
  /** The framework's function object, if it exists. */
  fn: KubernetesObject | undefined;
  /** Pods that name this function (already filtered by node and shard ownership). */
  pods: PodObject[];
  /** Trigger objects that name this function, with their resource plural. */
  triggers: Array<{ resource: string; obj: KubernetesObject }>;
}

export interface FunctionView {
  info: FunctionInfo;
  group: TargetGroup;
}

export interface FrameworkAdapter {
  readonly framework: string;
  readonly functionResource: ResourceRef;
  /** Optional resources: a cluster that does not serve them simply has no triggers. */
  readonly triggerResources: readonly ResourceRef[];
  /** Pod label selector used when none is configured. */
  readonly defaultPodSelector: string;
  /** The name of the function a pod belongs to (in the pod's namespace), if any. */
  functionOfPod(pod: PodObject): string | undefined;
  functionOfTrigger(resource: string, obj: KubernetesObject): string | undefined;
  /** The group source of a function: unique across providers. */
  source(namespace: string, name: string): string;
  /** Undefined when nothing is left of the function (no object, no pods). */
  build(objects: FunctionObjects): FunctionView | undefined;
}
