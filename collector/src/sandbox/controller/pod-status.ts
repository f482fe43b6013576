/**
 * Pod status as a kubelet writes it, from the function container's status report: phase, the five
 * conditions, init container statuses (Completed), container status with state/lastState/restarts,
 * pod and host IPs and start time.
 */
import type { ContainerState, ContainerStatusReport } from '../kubelet/types.ts';
import type { KObject } from '../apiserver/types.ts';
import { isPlainObject } from '../apiserver/types.ts';

export const POD_IP = '127.0.0.1';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

function condition(prev: Rec[], type: string, ok: boolean, now: string, reason?: string, message?: string): Rec {
  const status = ok ? 'True' : 'False';
  const old = prev.find((c) => c['type'] === type);
  const c: Rec = { type, status, lastProbeTime: null, lastTransitionTime: old && old['status'] === status ? old['lastTransitionTime'] : now };
  if (!ok && reason) c['reason'] = reason;
  if (!ok && message) c['message'] = message;
  return c;
}

function withContainerId(state: ContainerState, id: string): Rec {
  const s = structuredClone(state) as Rec;
  if (isPlainObject(s['terminated'])) s['terminated']['containerID'] = id;
  return s;
}

export function containerId(podUid: string, restartCount: number): string {
  return `fnscope://${podUid.slice(0, 8)}-${restartCount}`;
}

/** The status a pod has once the kubelet has admitted it (before its container first reports). */
export function admittedStatus(pod: KObject, now: string): Rec {
  return buildPodStatus(pod, undefined, now);
}

export function buildPodStatus(pod: KObject, report: ContainerStatusReport | undefined, now: string): Rec {
  const prev = rec(pod['status']);
  const prevConds = list(prev['conditions']);
  const spec = rec(pod['spec']);
  const containers = list(spec['containers']);
  const main = containers[0] ?? {};
  const uid = pod.metadata.uid ?? '';
  const ready = report?.ready ?? false;
  const name = typeof main['name'] === 'string' ? main['name'] : '';
  const startTime = typeof prev['startTime'] === 'string' ? prev['startTime'] : now;
  const notReady = `containers with unready status: [${name}]`;
  const init = list(spec['initContainers']).map((c) => ({
    name: c['name'], image: c['image'], imageID: '', containerID: `fnscope://${uid.slice(0, 8)}-init-${String(c['name'])}`, ready: true, restartCount: 0, started: false,
    state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: startTime, finishedAt: startTime, containerID: `fnscope://${uid.slice(0, 8)}-init-${String(c['name'])}` } },
    lastState: {},
  }));
  const restarts = report?.restartCount ?? 0;
  const status: Rec = {
    phase: report?.phase ?? 'Pending',
    conditions: [
      condition(prevConds, 'PodReadyToStartContainers', true, now),
      condition(prevConds, 'Initialized', true, now),
      condition(prevConds, 'Ready', ready, now, 'ContainersNotReady', notReady),
      condition(prevConds, 'ContainersReady', ready, now, 'ContainersNotReady', notReady),
      condition(prevConds, 'PodScheduled', true, now),
    ],
    hostIP: POD_IP,
    hostIPs: [{ ip: POD_IP }],
    podIP: POD_IP,
    podIPs: [{ ip: POD_IP }],
    startTime,
    initContainerStatuses: init,
    containerStatuses: [{
      name,
      state: report ? withContainerId(report.state, containerId(uid, restarts)) : { waiting: { reason: 'ContainerCreating' } },
      lastState: report ? withContainerId(report.lastState, containerId(uid, Math.max(0, restarts - 1))) : {},
      ready,
      restartCount: restarts,
      image: main['image'] ?? '',
      imageID: '',
      containerID: report?.started || report?.state.terminated ? containerId(uid, restarts) : undefined,
      started: report?.started ?? false,
    }],
    qosClass: 'BestEffort',
  };
  if (init.length === 0) delete status['initContainerStatuses'];
  return status;
}
