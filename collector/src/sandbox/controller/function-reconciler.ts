/**
 * Function → ConfigMap, Service, Deployment, ReplicaSets and pods, as Kubeless and the Deployment
 * controller do it: replicas from spec.deployment, rolling update on any change of the pod template
 * (maxSurge 1, maxUnavailable 0, as Kubeless sets), replacement of deleted pods, and garbage
 * collection of everything when the Function goes.
 */
import type { KObject } from '../apiserver/types.ts';
import { isPlainObject } from '../apiserver/types.ts';
import { ApiError } from '../apiserver/status.ts';
import type { ResourceDef } from '../apiserver/resources.ts';
import type { ControllerContext } from './context.ts';
import type { PodLifecycle } from './pod-lifecycle.ts';
import type { PortAllocator } from './ports.ts';
import { parseFunction, type ParsedFunction } from './function-spec.ts';
import { configMapFor, deploymentFor, podFor, replicaSetFor, serviceFor } from './objects.ts';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const REVISION = 'deployment.kubernetes.io/revision';
const HISTORY_LIMIT = 10;

function isReady(p: KObject): boolean {
  const conds = rec(p['status'])['conditions'];
  return Array.isArray(conds) && conds.some((c) => rec(c)['type'] === 'Ready' && rec(c)['status'] === 'True');
}

export class FunctionReconciler {
  readonly #ctx: ControllerContext;
  readonly #pods: PodLifecycle;
  readonly #ports: PortAllocator;
  /** Last deploy error reported per Function uid+generation, so it is reported once. */
  readonly #reported = new Set<string>();

  constructor(ctx: ControllerContext, pods: PodLifecycle, ports: PortAllocator) {
    this.#ctx = ctx;
    this.#pods = pods;
    this.#ports = ports;
  }

  /** Pods (not yet removed) that belong to the Function's ReplicaSets. */
  podsOf(ns: string, name: string): KObject[] {
    return this.#ctx.store.list('pods', ns).filter((p) => {
      const owner = p.metadata.ownerReferences?.find((o) => o.controller);
      const hash = p.metadata.labels?.['pod-template-hash'];
      return owner?.kind === 'ReplicaSet' && hash !== undefined && owner.name === `${name}-${hash}` && p.metadata.labels?.['function'] === name;
    });
  }

  async reconcile(ns: string, name: string): Promise<void> {
    const fn = this.#ctx.store.get('functions.kubeless.io', ns, name);
    if (!fn || fn.metadata.deletionTimestamp) {
      this.#teardown(ns, name, fn?.metadata.uid);
      return;
    }
    const parsed = parseFunction(fn);
    if ('error' in parsed) {
      const key = `${fn.metadata.uid ?? ''}/${fn.metadata.generation ?? 0}`;
      if (!this.#reported.has(key)) {
        this.#reported.add(key);
        this.#ctx.logger.warn({ function: `${ns}/${name}`, err: parsed.error }, 'sandbox: cannot deploy function');
        this.#ctx.events.record(fn, 'Warning', 'FailedDeploy', parsed.error, { component: 'function-controller' });
      }
      return;
    }
    this.#ensure(this.#ctx.defs.configmaps, configMapFor(fn, parsed));
    this.#ensure(this.#ctx.defs.services, serviceFor(fn, parsed));
    const deploy = this.#ensureDeployment(fn, parsed);
    const rs = this.#ensureReplicaSet(deploy, parsed);
    await this.#rollout(fn, deploy, rs, parsed);
  }

  /** Create the object, or bring labels, owner and spec/data in line with the desired one. */
  #ensure(def: ResourceDef, want: KObject): KObject {
    const ns = want.metadata.namespace;
    const name = want.metadata.name ?? '';
    const cur = this.#ctx.store.get(def.group ? `${def.resource}.${def.group}` : def.resource, ns, name);
    if (!cur) return this.#ctx.registry.create(def, ns, want);
    return this.#ctx.registry.mutate(def, ns, name, (o) => {
      o.metadata.labels = want.metadata.labels ?? {};
      o.metadata.ownerReferences = want.metadata.ownerReferences ?? [];
      if (want['data'] !== undefined) o['data'] = want['data'];
      if (def.resource === 'services') {
        const spec = rec(o['spec']);
        const w = rec(want['spec']);
        spec['selector'] = w['selector'];
        spec['ports'] = (Array.isArray(w['ports']) ? w['ports'] : []).map((p) => ({ protocol: 'TCP', ...rec(p), targetPort: rec(p)['targetPort'] ?? rec(p)['port'] }));
      }
    }) ?? cur;
  }

  #ensureDeployment(fn: KObject, p: ParsedFunction): KObject {
    const want = deploymentFor(fn, p);
    const cur = this.#ctx.store.get('deployments.apps', p.spec.namespace, p.spec.name);
    if (!cur) return this.#ctx.registry.create(this.#ctx.defs.deployments, p.spec.namespace, want);
    return this.#ctx.registry.mutate(this.#ctx.defs.deployments, p.spec.namespace, p.spec.name, (o) => {
      const before = JSON.stringify(o['spec']);
      o['spec'] = want['spec'];
      o.metadata.labels = want.metadata.labels ?? {};
      if (JSON.stringify(o['spec']) !== before) o.metadata.generation = (o.metadata.generation ?? 1) + 1;
    }) ?? cur;
  }

  #replicaSets(deploy: KObject): KObject[] {
    return this.#ctx.store.list('replicasets.apps', deploy.metadata.namespace).filter((r) => r.metadata.ownerReferences?.some((o) => o.uid === deploy.metadata.uid));
  }

  #ensureReplicaSet(deploy: KObject, p: ParsedFunction): KObject {
    const ns = p.spec.namespace;
    const rsName = `${p.spec.name}-${p.templateHash}`;
    const existing = this.#ctx.store.get('replicasets.apps', ns, rsName);
    const revisions = this.#replicaSets(deploy).map((r) => Number(r.metadata.annotations?.[REVISION] ?? 0));
    const current = existing ? Number(existing.metadata.annotations?.[REVISION] ?? 0) : 0;
    const top = Math.max(0, ...revisions);
    const revision = existing && current === top ? current : top + 1;
    const want = replicaSetFor(deploy, p, revision);
    let rs: KObject;
    if (!existing) {
      rs = this.#ctx.registry.create(this.#ctx.defs.replicasets, ns, want);
      this.#ctx.events.record(deploy, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rsName} from 0 to ${p.replicas}`, { component: 'deployment-controller' });
    } else {
      rs = this.#ctx.registry.mutate(this.#ctx.defs.replicasets, ns, rsName, (o) => {
        o.metadata.annotations = want.metadata.annotations ?? {};
        rec(o['spec'])['replicas'] = p.replicas;
      }) ?? existing;
    }
    this.#ctx.registry.mutate(this.#ctx.defs.deployments, ns, p.spec.name, (o) => {
      o.metadata.annotations = { ...(o.metadata.annotations ?? {}), [REVISION]: String(revision) };
    });
    return rs;
  }

  async #createPod(fn: KObject, rs: KObject, p: ParsedFunction): Promise<void> {
    const port = await this.#ports.allocate();
    const pod = podFor(fn, rs, p, port, this.#ctx.nodeName, this.#ctx.registry.randomSuffix());
    this.#pods.registerSpec(p.spec.namespace, pod.metadata.name ?? '', p.spec, port);
    try {
      const created = this.#ctx.registry.create(this.#ctx.defs.pods, p.spec.namespace, pod);
      this.#ctx.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name ?? ''}`, { component: 'replicaset-controller' });
      this.#ctx.events.record(created, 'Normal', 'Scheduled', `Successfully assigned ${p.spec.namespace}/${created.metadata.name ?? ''} to ${this.#ctx.nodeName}`, { component: 'default-scheduler' });
    } catch (e) {
      this.#ports.release(port);
      if (!(e instanceof ApiError)) throw e;
      this.#ctx.logger.warn({ err: e.message }, 'sandbox: creating a function pod failed');
    }
  }

  #deletePod(pod: KObject, rsName: string): void {
    const ns = pod.metadata.namespace ?? '';
    try {
      this.#ctx.registry.delete(this.#ctx.defs.pods, ns, pod.metadata.name ?? '');
      const rs = this.#ctx.store.get('replicasets.apps', ns, rsName);
      if (rs) this.#ctx.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name ?? ''}`, { component: 'replicaset-controller' });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  async #rollout(fn: KObject, deploy: KObject, rs: KObject, p: ParsedFunction): Promise<void> {
    const ns = p.spec.namespace;
    const live = this.podsOf(ns, p.spec.name).filter((x) => !x.metadata.deletionTimestamp);
    const isNew = (x: KObject): boolean => x.metadata.labels?.['pod-template-hash'] === p.templateHash;
    const newPods = live.filter(isNew);
    const oldPods = live.filter((x) => !isNew(x));
    const byUnreadyThenNewest = (a: KObject, b: KObject): number =>
      Number(isReady(a)) - Number(isReady(b)) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '');
    const surge = 1;
    const toCreate = Math.min(p.replicas - newPods.length, p.replicas + surge - live.length);
    for (let i = 0; i < toCreate; i++) await this.#createPod(fn, rs, p);
    const readyNew = newPods.filter(isReady).length;
    const keepOld = Math.max(0, p.replicas - readyNew);
    for (const o of [...oldPods].sort(byUnreadyThenNewest).slice(0, Math.max(0, oldPods.length - keepOld))) {
      this.#deletePod(o, `${p.spec.name}-${o.metadata.labels?.['pod-template-hash'] ?? ''}`);
    }
    for (const o of [...newPods].sort(byUnreadyThenNewest).slice(0, Math.max(0, newPods.length - p.replicas))) this.#deletePod(o, rs.metadata.name ?? '');
    this.#updateStatus(deploy, rs, p);
    this.#trimHistory(deploy, rs, live);
  }

  /** Keep the newest revisionHistoryLimit (10) old ReplicaSets that no longer have pods. */
  #trimHistory(deploy: KObject, current: KObject, live: KObject[]): void {
    const rev = (r: KObject): number => Number(r.metadata.annotations?.[REVISION] ?? 0);
    const idle = this.#replicaSets(deploy)
      .filter((r) => r.metadata.name !== current.metadata.name && !live.some((x) => `${x.metadata.labels?.['function'] ?? ''}-${x.metadata.labels?.['pod-template-hash'] ?? ''}` === r.metadata.name))
      .sort((a, b) => rev(b) - rev(a));
    for (const r of idle.slice(HISTORY_LIMIT)) this.#ctx.registry.remove(this.#ctx.defs.replicasets, r.metadata.namespace, r.metadata.name ?? '');
  }

  #updateStatus(deploy: KObject, rs: KObject, p: ParsedFunction): void {
    const ns = p.spec.namespace;
    const pods = this.podsOf(ns, p.spec.name).filter((x) => !x.metadata.deletionTimestamp);
    const now = this.#ctx.now();
    for (const r of this.#replicaSets(deploy)) {
      const mine = pods.filter((x) => `${p.spec.name}-${x.metadata.labels?.['pod-template-hash'] ?? ''}` === r.metadata.name);
      this.#ctx.registry.mutate(this.#ctx.defs.replicasets, ns, r.metadata.name ?? '', (o) => {
        if (o.metadata.name !== rs.metadata.name) rec(o['spec'])['replicas'] = mine.length;
        const ready = mine.filter(isReady).length;
        o['status'] = { replicas: mine.length, fullyLabeledReplicas: mine.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: o.metadata.generation ?? 1 };
      });
    }
    const ready = pods.filter(isReady).length;
    const updated = pods.filter((x) => x.metadata.labels?.['pod-template-hash'] === p.templateHash).length;
    this.#ctx.registry.mutate(this.#ctx.defs.deployments, ns, p.spec.name, (o) => {
      const prev = Array.isArray(rec(o['status'])['conditions']) ? (rec(o['status'])['conditions'] as Rec[]) : [];
      const cond = (type: string, ok: boolean, reason: string, message: string): Rec => {
        const old = prev.find((c) => c['type'] === type);
        const same = old && old['status'] === (ok ? 'True' : 'False') && old['reason'] === reason;
        return { type, status: ok ? 'True' : 'False', lastUpdateTime: same ? old['lastUpdateTime'] : now, lastTransitionTime: old && old['status'] === (ok ? 'True' : 'False') ? old['lastTransitionTime'] : now, reason, message };
      };
      const available = ready >= p.replicas;
      const done = updated === p.replicas && pods.length === p.replicas && available;
      const status: Rec = {
        observedGeneration: o.metadata.generation ?? 1, replicas: pods.length, updatedReplicas: updated, readyReplicas: ready, availableReplicas: ready,
        conditions: [
          cond('Available', available, available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
          cond('Progressing', true, done ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated', done ? `ReplicaSet "${rs.metadata.name ?? ''}" has successfully progressed.` : `ReplicaSet "${rs.metadata.name ?? ''}" is progressing.`),
        ],
      };
      if (p.replicas - ready > 0) status['unavailableReplicas'] = p.replicas - ready;
      o['status'] = status;
    });
  }

  /** Garbage collection after the Function is gone: Deployment, ReplicaSets, Service, ConfigMap, pods. */
  #teardown(ns: string, name: string, fnUid: string | undefined): void {
    const ownedBy = (o: KObject | undefined, uid: string | undefined): boolean =>
      !!o && (o.metadata.ownerReferences ?? []).some((r) => r.kind === 'Function' && r.name === name && (uid === undefined || r.uid === uid));
    const deploy = this.#ctx.store.get('deployments.apps', ns, name);
    if (deploy && ownedBy(deploy, fnUid)) {
      for (const r of this.#replicaSets(deploy)) this.#ctx.registry.remove(this.#ctx.defs.replicasets, ns, r.metadata.name ?? '');
      this.#ctx.registry.remove(this.#ctx.defs.deployments, ns, name);
    }
    for (const def of [this.#ctx.defs.services, this.#ctx.defs.configmaps]) {
      if (ownedBy(this.#ctx.store.get(def.resource, ns, name), fnUid)) this.#ctx.registry.remove(def, ns, name);
    }
    for (const pod of this.podsOf(ns, name)) {
      if (!pod.metadata.deletionTimestamp) this.#deletePod(pod, '');
    }
  }
}
