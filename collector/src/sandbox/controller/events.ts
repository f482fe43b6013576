/**
 * core/v1 Events as the kubelet, scheduler and controllers record them: one Event per (object, reason,
 * message), counted up with lastTimestamp when it repeats, named `<object>.<hex nanoseconds>`.
 */
import type { KObject } from '../apiserver/types.ts';
import type { Registry } from '../apiserver/registry.ts';
import { rfc3339 } from '../apiserver/registry.ts';
import type { ResourceDef } from '../apiserver/resources.ts';

export interface EventSource {
  component: string;
  host?: string;
}

/** Bound on the aggregation memory: past it, repeats start new Events (as after an API restart). */
const MAX_TRACKED = 10_000;

export class EventRecorder {
  readonly #registry: Registry;
  readonly #def: ResourceDef;
  /** (namespace, uid, reason, message) → event name, for aggregation. */
  readonly #seen = new Map<string, string>();
  #seq = 0;

  constructor(registry: Registry) {
    this.#registry = registry;
    this.#def = registry.resources.find('', 'v1', 'events')!;
  }

  record(obj: KObject, type: 'Normal' | 'Warning', reason: string, message: string, source: EventSource, fieldPath?: string): void {
    const ns = obj.metadata.namespace ?? 'default';
    const nowMs = this.#registry.clock.now();
    const now = rfc3339(nowMs);
    const key = `${ns}|${obj.metadata.uid ?? ''}|${reason}|${message}`;
    const existing = this.#seen.get(key);
    try {
      if (existing && this.#registry.mutate(this.#def, ns, existing, (e) => {
        e['count'] = Number(e['count'] ?? 1) + 1;
        e['lastTimestamp'] = now;
      })) return;
      const involved: Record<string, unknown> = {
        kind: obj.kind, namespace: ns, name: obj.metadata.name, uid: obj.metadata.uid, apiVersion: obj.apiVersion, resourceVersion: obj.metadata.resourceVersion,
      };
      if (fieldPath) involved['fieldPath'] = fieldPath;
      const name = `${obj.metadata.name ?? 'event'}.${(BigInt(nowMs) * 1_000_000n + BigInt(this.#seq++ % 1_000_000)).toString(16)}`;
      this.#registry.create(this.#def, ns, {
        metadata: { name, namespace: ns },
        involvedObject: involved,
        reason, message, type,
        source,
        firstTimestamp: now, lastTimestamp: now, count: 1,
        reportingComponent: source.component, reportingInstance: source.host ?? '',
      });
      if (this.#seen.size >= MAX_TRACKED) this.#seen.clear();
      this.#seen.set(key, name);
    } catch {
      // Events are best effort, as in Kubernetes (e.g. the namespace is being deleted).
    }
  }

  /** Forget aggregation state of a deleted object. */
  forget(uid: string): void {
    for (const k of [...this.#seen.keys()]) if (k.includes(`|${uid}|`)) this.#seen.delete(k);
  }
}
