/** One resource watched across the configured namespaces: a single informer for all, or one per namespace. */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { ResourceState } from '../types.ts';
import type { ResilientInformer } from './informer.ts';

export class InformerSet {
  readonly resource: string;
  #byNs = new Map<string, ResilientInformer>();
  #all: ResilientInformer | undefined;

  /** namespaces undefined or empty: one informer for every namespace. */
  constructor(resource: string, namespaces: readonly string[] | undefined, make: (namespace: string | undefined) => ResilientInformer) {
    this.resource = resource;
    if (namespaces === undefined || namespaces.length === 0) this.#all = make(undefined);
    else for (const ns of new Set(namespaces)) this.#byNs.set(ns, make(ns));
  }

  #informers(): ResilientInformer[] {
    return this.#all ? [this.#all] : [...this.#byNs.values()];
  }

  start(): void {
    for (const i of this.#informers()) i.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.#informers().map((i) => i.stop()));
  }

  get synced(): boolean {
    return this.#informers().every((i) => i.synced);
  }

  get(namespace: string, name: string): KubernetesObject | undefined {
    const inf = this.#all ?? this.#byNs.get(namespace);
    return inf?.get(name, namespace);
  }

  list(): KubernetesObject[] {
    return this.#informers().flatMap((i) => [...i.list()]);
  }

  states(): ResourceState[] {
    return this.#informers().map((i) => i.state());
  }
}
