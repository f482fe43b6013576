/**
 * The few fields discovery reads from Kubernetes objects. Objects come from two decoders: typed list
 * calls (client-node turns timestamps into Date) and watch events (plain JSON strings), so every
 * timestamp is read through `isoTime`.
 */
import type { KubernetesObject } from '@kubernetes/client-node';

export interface ContainerPort {
  containerPort?: number;
  protocol?: string;
}

export interface EnvVar {
  name?: string;
  value?: string;
}

export interface Container {
  name?: string;
  ports?: ContainerPort[];
  env?: EnvVar[];
}

export interface ContainerStatus {
  name?: string;
  restartCount?: number;
  ready?: boolean;
}

export interface PodObject extends KubernetesObject {
  spec?: { nodeName?: string; containers?: Container[] };
  status?: {
    phase?: string;
    podIP?: string;
    startTime?: string | Date;
    conditions?: Array<{ type?: string; status?: string }>;
    containerStatuses?: ContainerStatus[];
  };
}

/** Any object with a `spec` of string-keyed values (Kubeless Function and trigger CRDs). */
export interface SpecObject extends KubernetesObject {
  spec?: Record<string, unknown>;
}

export function labelsOf(o: KubernetesObject): Record<string, string> {
  return { ...(o.metadata?.labels ?? {}) };
}

export function annotationsOf(o: KubernetesObject): Record<string, string> {
  return { ...(o.metadata?.annotations ?? {}) };
}

/** RFC 3339 text of a timestamp that may be a Date (typed lists) or a string (watch events). */
export function isoTime(v: unknown): string | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (typeof v === 'string' && v !== '') return v;
  return null;
}

export function specString(o: SpecObject, key: string): string | null {
  const v = o.spec?.[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** `namespace/name`: the key of a namespaced object. */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function keyOf(o: KubernetesObject): string {
  return objectKey(o.metadata?.namespace ?? '', o.metadata?.name ?? '');
}
