/**
 * CronJobTriggers: on each tick of the schedule a trigger pod appears, as the CronJob Kubeless creates
 * would start one. Its container is named `trigger` (no prometheus annotations, the function's labels),
 * and the controller emulates what it does (an HTTP POST to the function's service) instead of running
 * curl: the pod goes Running, then Succeeded, and keeps the response in its log. The last three
 * trigger pods of each trigger are kept, like a CronJob's successful jobs history.
 */
import type { Timer } from '../../util/clock.ts';
import type { KObject } from '../apiserver/types.ts';
import { isPlainObject } from '../apiserver/types.ts';
import type { ControllerContext } from './context.ts';
import type { PodLifecycle } from './pod-lifecycle.ts';
import { parseCron } from './cron.ts';
import { MemoryLog } from './memory-log.ts';
import { buildPodStatus } from './pod-status.ts';

export type TriggerInvoke = (namespace: string, fn: string, req: { method: string; body: string; headers: Record<string, string> }) => Promise<{ status: number; body: string }>;

const HISTORY = 3;
const TRIGGER_IMAGE = 'kubeless/unzip:latest';

export class CronTriggers {
  readonly #ctx: ControllerContext;
  readonly #pods: PodLifecycle;
  readonly #invoke: TriggerInvoke | undefined;
  readonly #timers = new Map<string, { schedule: string; timer: Timer }>();
  readonly #reported = new Set<string>();
  /** Creation order of the trigger pods (timestamps have one-second resolution). */
  readonly #created = new Map<string, number>();
  #seq = 0;

  constructor(ctx: ControllerContext, pods: PodLifecycle, invoke: TriggerInvoke | undefined) {
    this.#ctx = ctx;
    this.#pods = pods;
    this.#invoke = invoke;
  }

  reconcile(ns: string, name: string): void {
    const key = `${ns}/${name}`;
    const t = this.#ctx.store.get('cronjobtriggers.kubeless.io', ns, name);
    const spec = isPlainObject(t?.['spec']) ? t['spec'] : {};
    const schedule = typeof spec['schedule'] === 'string' ? spec['schedule'] : '';
    const current = this.#timers.get(key);
    if (!t || t.metadata.deletionTimestamp) {
      current?.timer.cancel();
      this.#timers.delete(key);
      return;
    }
    if (current && current.schedule === schedule) return;
    current?.timer.cancel();
    this.#timers.delete(key);
    let cron;
    try {
      cron = parseCron(schedule);
    } catch (e) {
      const rk = `${t.metadata.uid ?? ''}/${schedule}`;
      if (!this.#reported.has(rk)) {
        this.#reported.add(rk);
        this.#ctx.events.record(t, 'Warning', 'InvalidSchedule', `invalid schedule ${JSON.stringify(schedule)}: ${(e as Error).message}`, { component: 'cronjob-trigger-controller' });
      }
      return;
    }
    const arm = (): void => {
      const now = this.#ctx.clock.now();
      const timer = this.#ctx.clock.setTimeout(() => {
        void this.fire(ns, name).finally(arm);
      }, cron.next(now) - now);
      this.#timers.set(key, { schedule, timer });
    };
    arm();
  }

  /** Run the trigger once now (what the schedule does on each tick). Returns the trigger pod. */
  async fire(ns: string, name: string): Promise<KObject | undefined> {
    const t = this.#ctx.store.get('cronjobtriggers.kubeless.io', ns, name);
    if (!t) return undefined;
    const spec = isPlainObject(t['spec']) ? t['spec'] : {};
    const fn = typeof spec['function-name'] === 'string' ? spec['function-name'] : name;
    const payload = spec['payload'] === undefined ? '' : JSON.stringify(spec['payload']);
    const minutes = Math.floor(this.#ctx.clock.now() / 60_000);
    const job = `trigger-${fn}-${minutes}`;
    const url = `http://${fn}.${ns}.svc.cluster.local:8080`;
    let pod: KObject;
    try {
      pod = this.#ctx.registry.create(this.#ctx.defs.pods, ns, {
        metadata: {
          generateName: `${job}-`,
          labels: { function: fn, 'created-by': 'kubeless', 'batch.kubernetes.io/job-name': job, 'job-name': job },
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: job, uid: `${t.metadata.uid ?? ''}-${minutes}`, controller: true, blockOwnerDeletion: true }],
        },
        spec: {
          nodeName: this.#ctx.nodeName,
          restartPolicy: 'Never',
          containers: [{
            name: 'trigger', image: TRIGGER_IMAGE,
            args: ['curl', '-Lv', '-H', 'event-id: $(POD_UID)', '-H', 'event-time: $(date --rfc-3339=seconds --utc)', '-H', 'event-type: application/json', '-H', 'event-namespace: cronjobtrigger.kubeless.io', ...(payload ? ['-H', 'Content-Type: application/json', '-d', payload] : []), url],
          }],
        },
      });
    } catch (e) {
      this.#ctx.logger.warn({ err: e, trigger: `${ns}/${name}` }, 'sandbox: creating a trigger pod failed');
      return undefined;
    }
    const podName = pod.metadata.name ?? '';
    this.#created.set(pod.metadata.uid ?? '', ++this.#seq);
    const log = new MemoryLog(this.#ctx.clock);
    this.#pods.registerEmulated(pod, log);
    const startedAt = this.#ctx.now();
    this.#setState(ns, podName, 'Running', { running: { startedAt } }, true);
    let exitCode = 0;
    log.write('stderr', `> ${payload ? 'POST' : 'GET'} / HTTP/1.1\n> Host: ${fn}.${ns}.svc.cluster.local:8080`);
    try {
      if (!this.#invoke) throw new Error('no function invoker configured');
      const headers: Record<string, string> = { 'event-id': pod.metadata.uid ?? '', 'event-time': startedAt, 'event-type': 'application/json', 'event-namespace': 'cronjobtrigger.kubeless.io' };
      if (payload) headers['content-type'] = 'application/json';
      const r = await this.#invoke(ns, fn, { method: payload ? 'POST' : 'GET', body: payload, headers });
      log.write('stderr', `< HTTP/1.1 ${r.status}`);
      if (r.body !== '') log.write('stdout', r.body.replace(/\n$/, ''));
    } catch (e) {
      exitCode = 7;
      log.write('stderr', `curl: (7) Failed to connect to ${fn}.${ns}.svc.cluster.local port 8080: ${(e as Error).message}`);
    }
    log.end();
    const finishedAt = this.#ctx.now();
    this.#setState(ns, podName, exitCode === 0 ? 'Succeeded' : 'Failed', { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt } }, false);
    this.#prune(ns, fn);
    return this.#ctx.pod(ns, podName);
  }

  #setState(ns: string, name: string, phase: 'Running' | 'Succeeded' | 'Failed', state: Record<string, unknown>, started: boolean): void {
    this.#ctx.registry.mutate(this.#ctx.defs.pods, ns, name, (o) => {
      o['status'] = buildPodStatus(o, { name: 'trigger', ready: phase === 'Running', started, restartCount: 0, state, lastState: {}, phase }, this.#ctx.now());
    });
  }

  #prune(ns: string, fn: string): void {
    const pods = this.#ctx.store.list('pods', ns)
      .filter((p) => p.metadata.labels?.['function'] === fn && p.metadata.ownerReferences?.some((o) => o.kind === 'Job'))
      .filter((p) => isPlainObject(p['status']) && (p['status']['phase'] === 'Succeeded' || p['status']['phase'] === 'Failed'))
      .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
        (this.#created.get(b.metadata.uid ?? '') ?? 0) - (this.#created.get(a.metadata.uid ?? '') ?? 0));
    for (const p of pods.slice(HISTORY)) {
      this.#created.delete(p.metadata.uid ?? '');
      this.#ctx.registry.remove(this.#ctx.defs.pods, ns, p.metadata.name ?? '');
    }
  }

  stop(): void {
    for (const t of this.#timers.values()) t.timer.cancel();
    this.#timers.clear();
  }
}
