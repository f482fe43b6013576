/**
 * The node side of pods: binds unscheduled pods to the sandbox's node, hands function pods to the
 * kubelet, mirrors its container reports into pod status and events, and finishes graceful deletion
 * (stop the process, then remove the pod), as a kubelet does.
 */
import type { ContainerLog, ContainerStatusReport, FunctionSpec, Kubelet, PodHandle } from '../kubelet/types.ts';
import type { KObject } from '../apiserver/types.ts';
import { isPlainObject } from '../apiserver/types.ts';
import type { PodLogProvider } from '../apiserver/logs.ts';
import type { ControllerContext } from './context.ts';
import type { PortAllocator } from './ports.ts';
import { buildPodStatus, POD_IP } from './pod-status.ts';

interface RunningPod {
  ns: string;
  name: string;
  uid: string;
  container: string;
  image: string;
  handle: PodHandle;
  last?: ContainerStatusReport;
  stopping?: Promise<void>;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

export class PodLifecycle implements PodLogProvider {
  readonly #ctx: ControllerContext;
  readonly #kubelet: Kubelet;
  readonly #ports: PortAllocator;
  readonly #running = new Map<string, RunningPod>();
  readonly #specs = new Map<string, { spec: FunctionSpec; port: number }>();
  readonly #emulated = new Map<string, { ns: string; name: string; log: ContainerLog }>();
  readonly #refused = new Set<string>();

  constructor(ctx: ControllerContext, kubelet: Kubelet, ports: PortAllocator) {
    this.#ctx = ctx;
    this.#kubelet = kubelet;
    this.#ports = ports;
  }

  /** The function a pod about to be created runs, and the port allocated to it. */
  registerSpec(ns: string, name: string, spec: FunctionSpec, port: number): void {
    this.#specs.set(`${ns}/${name}`, { spec, port });
  }

  #forget(ns: string, name: string): void {
    const s = this.#specs.get(`${ns}/${name}`);
    if (s) this.#ports.release(s.port);
    this.#specs.delete(`${ns}/${name}`);
  }

  /** A pod whose container the controller emulates itself (CronJob trigger pods). */
  registerEmulated(pod: KObject, log: ContainerLog): void {
    this.#emulated.set(pod.metadata.uid ?? '', { ns: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', log });
  }

  isEmulated(uid: string): boolean {
    return this.#emulated.has(uid);
  }

  get runningCount(): number {
    return this.#running.size;
  }

  containerLog(pod: KObject, container: string, previous: boolean): ContainerLog | undefined {
    const uid = pod.metadata.uid ?? '';
    const emulated = this.#emulated.get(uid);
    if (emulated) return previous ? undefined : emulated.log;
    const rp = this.#running.get(uid);
    if (!rp || rp.container !== container) return undefined;
    return rp.handle.log(previous);
  }

  reconcile(ns: string, name: string): void {
    const pod = this.#ctx.pod(ns, name);
    for (const rp of [...this.#running.values()]) {
      if (rp.ns === ns && rp.name === name && (!pod || pod.metadata.uid !== rp.uid)) this.#terminate(rp, 0, false);
    }
    if (!pod) {
      if (![...this.#running.values()].some((rp) => rp.ns === ns && rp.name === name)) this.#forget(ns, name);
      for (const [uid, e] of this.#emulated) if (e.ns === ns && e.name === name) this.#emulated.delete(uid);
      return;
    }
    const uid = pod.metadata.uid ?? '';
    const spec = rec(pod['spec']);
    if (pod.metadata.deletionTimestamp) {
      const rp = this.#running.get(uid);
      if (rp) this.#terminate(rp, (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000, true);
      else this.#remove(pod);
      return;
    }
    if (!spec['nodeName']) {
      this.#ctx.registry.mutate(this.#ctx.defs.pods, ns, name, (o) => {
        rec(o['spec'])['nodeName'] = this.#ctx.nodeName;
        o['status'] = buildPodStatus(o, undefined, this.#ctx.now());
      });
      this.#ctx.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${this.#ctx.nodeName}`, { component: 'default-scheduler' });
      return;
    }
    if (spec['nodeName'] !== this.#ctx.nodeName || this.#running.has(uid) || this.#emulated.has(uid) || this.#refused.has(uid)) return;
    this.#start(pod);
  }

  #start(pod: KObject): void {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const uid = pod.metadata.uid ?? '';
    const main = list(rec(pod['spec'])['containers'])[0] ?? {};
    const container = typeof main['name'] === 'string' ? main['name'] : '';
    const port = Number(list(main['ports'])[0]?.['containerPort'] ?? 0);
    const fnSpec = this.#specs.get(`${ns}/${name}`)?.spec;
    if (!fnSpec || container !== fnSpec.name || !port) {
      this.#refused.add(uid);
      const message = 'the fnscope sandbox runs only the function containers of Kubeless Functions';
      this.#ctx.registry.mutate(this.#ctx.defs.pods, ns, name, (o) => {
        const st = buildPodStatus(o, undefined, this.#ctx.now());
        const cs = list(st['containerStatuses']);
        if (cs[0]) cs[0]['state'] = { waiting: { reason: 'CreateContainerError', message } };
        o['status'] = st;
      });
      this.#ctx.events.record(pod, 'Warning', 'Failed', `Error: ${message}`, { component: 'kubelet', host: this.#ctx.nodeName }, `spec.containers{${container}}`);
      return;
    }
    const rp: Partial<RunningPod> = { ns, name, uid, container, image: typeof main['image'] === 'string' ? main['image'] : '' };
    this.#ctx.registry.mutate(this.#ctx.defs.pods, ns, name, (o) => {
      o['status'] = buildPodStatus(o, undefined, this.#ctx.now());
    });
    rp.handle = this.#kubelet.runPod(
      { namespace: ns, podName: name, uid, containerName: container, function: fnSpec, host: POD_IP, port },
      (report) => this.#onStatus(rp as RunningPod, report),
    );
    this.#running.set(uid, rp as RunningPod);
  }

  #onStatus(rp: RunningPod, report: ContainerStatusReport): void {
    const prev = rp.last;
    rp.last = report;
    const pod = this.#ctx.pod(rp.ns, rp.name);
    if (!pod || pod.metadata.uid !== rp.uid) return;
    this.#ctx.registry.mutate(this.#ctx.defs.pods, rp.ns, rp.name, (o) => {
      if (o.metadata.uid !== rp.uid) return false;
      o['status'] = buildPodStatus(o, report, this.#ctx.now());
      return true;
    });
    const src = { component: 'kubelet', host: this.#ctx.nodeName };
    const field = `spec.containers{${rp.container}}`;
    const startedNow = report.state.running && (!prev?.state.running || prev.state.running.startedAt !== report.state.running.startedAt || prev.restartCount !== report.restartCount);
    if (startedNow) {
      this.#ctx.events.record(pod, 'Normal', 'Pulled', `Container image "${rp.image}" already present on machine`, src, field);
      this.#ctx.events.record(pod, 'Normal', 'Created', `Created container: ${rp.container}`, src, field);
      this.#ctx.events.record(pod, 'Normal', 'Started', `Started container ${rp.container}`, src, field);
    }
    const wait = report.state.waiting?.reason;
    if (wait && wait !== prev?.state.waiting?.reason) {
      if (wait === 'CrashLoopBackOff') {
        this.#ctx.events.record(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${rp.container} in pod ${rp.name}_${rp.ns}(${rp.uid})`, src, field);
      } else if (wait !== 'ContainerCreating') {
        this.#ctx.events.record(pod, 'Warning', 'Failed', `Error: ${report.state.waiting?.message ?? wait}`, src, field);
      }
    }
    if (prev && prev.ready !== report.ready) this.#ctx.enqueue(`fn:${rp.ns}/${String(pod.metadata.labels?.['function'] ?? '')}`);
  }

  #terminate(rp: RunningPod, graceMs: number, removeAfter: boolean): void {
    if (rp.stopping) return;
    const pod = this.#ctx.pod(rp.ns, rp.name);
    if (pod && pod.metadata.uid === rp.uid) {
      this.#ctx.events.record(pod, 'Normal', 'Killing', `Stopping container ${rp.container}`, { component: 'kubelet', host: this.#ctx.nodeName }, `spec.containers{${rp.container}}`);
    }
    rp.stopping = rp.handle.stop(graceMs).catch((e: unknown) => {
      this.#ctx.logger.warn({ err: e, pod: rp.name }, 'sandbox: stopping a pod failed');
    }).then(() => {
      this.#running.delete(rp.uid);
      const cur = this.#ctx.pod(rp.ns, rp.name);
      if (removeAfter && cur && cur.metadata.uid === rp.uid) this.#remove(cur);
      else if (!cur || cur.metadata.uid !== rp.uid) this.#forget(rp.ns, rp.name);
    });
  }

  #remove(pod: KObject): void {
    const ns = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    this.#ctx.registry.remove(this.#ctx.defs.pods, ns, name);
    this.#emulated.delete(pod.metadata.uid ?? '');
    this.#refused.delete(pod.metadata.uid ?? '');
    this.#forget(ns, name);
    this.#ctx.events.forget(pod.metadata.uid ?? '');
  }

  /** Resolves when every pod this node runs has stopped. */
  async drain(): Promise<void> {
    await Promise.all([...this.#running.values()].map((rp) => rp.stopping ?? Promise.resolve()));
  }
}
