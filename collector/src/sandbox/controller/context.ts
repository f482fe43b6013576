/** What the controller's parts share: the API's registry, the resource definitions, events, time. */
import type { Clock } from '../../util/clock.ts';
import type { Logger } from '../../util/logger.ts';
import type { Registry } from '../apiserver/registry.ts';
import type { ResourceDef } from '../apiserver/resources.ts';
import type { Store } from '../apiserver/store.ts';
import type { KObject } from '../apiserver/types.ts';
import { rfc3339 } from '../apiserver/registry.ts';
import { EventRecorder } from './events.ts';

export interface Defs {
  pods: ResourceDef;
  services: ResourceDef;
  configmaps: ResourceDef;
  events: ResourceDef;
  namespaces: ResourceDef;
  deployments: ResourceDef;
  replicasets: ResourceDef;
  functions: ResourceDef;
  httptriggers: ResourceDef;
  cronjobtriggers: ResourceDef;
}

export class ControllerContext {
  readonly registry: Registry;
  readonly store: Store;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly nodeName: string;
  readonly defs: Defs;
  readonly events: EventRecorder;
  readonly enqueue: (key: string) => void;

  constructor(registry: Registry, logger: Logger, nodeName: string, enqueue: (key: string) => void) {
    this.registry = registry;
    this.store = registry.store;
    this.clock = registry.clock;
    this.logger = logger;
    this.nodeName = nodeName;
    this.enqueue = enqueue;
    const find = (resource: string, group = ''): ResourceDef => {
      const d = registry.resources.all.find((r) => r.resource === resource && r.group === group);
      if (!d) throw new Error(`sandbox controller: resource ${resource}.${group} is not served`);
      return d;
    };
    this.defs = {
      pods: find('pods'), services: find('services'), configmaps: find('configmaps'), events: find('events'), namespaces: find('namespaces'),
      deployments: find('deployments', 'apps'), replicasets: find('replicasets', 'apps'),
      functions: find('functions', 'kubeless.io'), httptriggers: find('httptriggers', 'kubeless.io'), cronjobtriggers: find('cronjobtriggers', 'kubeless.io'),
    };
    this.events = new EventRecorder(registry);
  }

  now(): string {
    return rfc3339(this.clock.now());
  }

  pod(ns: string, name: string): KObject | undefined {
    return this.store.get('pods', ns, name);
  }
}
