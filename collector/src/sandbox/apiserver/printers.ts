/**
 * Server-side printing: the columns and cells kube-apiserver's printers produce for `kubectl get`
 * (pods, services, events, deployments, ...) and the default Name/Age columns of custom resources.
 */
import type { KObject } from './types.ts';
import { isPlainObject } from './types.ts';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface Printer {
  columns: ColumnDefinition[];
  cells(o: KObject, now: number): Array<string | number>;
  conditions?(o: KObject): Array<{ type: string; status: string }> | undefined;
}

const col = (name: string, priority = 0, type = 'string', format = ''): ColumnDefinition => ({ name, type, format, description: '', priority });
const NAME = { ...col('Name', 0, 'string', 'name'), description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names' };

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    const y = Math.floor(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

export function since(ts: unknown, now: number): string {
  if (typeof ts !== 'string' || ts === '') return '<unknown>';
  const t = Date.parse(ts);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const arr = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const s = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
const orNone = (v: string): string => (v === '' ? '<none>' : v);

function podStatusReason(o: KObject): { ready: number; total: number; reason: string; restarts: number; lastRestart: string } {
  const spec = rec(o['spec']);
  const status = rec(o['status']);
  const phase = s(status['phase']);
  let reason = s(status['reason']) || phase;
  let restarts = 0;
  let lastRestart = '';
  let ready = 0;
  const total = arr(spec['containers']).length;
  const initSpec = arr(spec['initContainers']);
  let initializing = false;
  const initStatuses = arr(status['initContainerStatuses']);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += Number(c['restartCount'] ?? 0);
    const st = rec(c['state']);
    const term = isPlainObject(st['terminated']) ? st['terminated'] : undefined;
    const wait = isPlainObject(st['waiting']) ? st['waiting'] : undefined;
    if (term && Number(term['exitCode'] ?? 0) === 0) continue;
    if (term) reason = term['reason'] ? `Init:${s(term['reason'])}` : `Init:ExitCode:${s(term['exitCode'])}`;
    else if (wait && wait['reason'] && wait['reason'] !== 'PodInitializing') reason = `Init:${s(wait['reason'])}`;
    else reason = `Init:${i}/${initSpec.length}`;
    initializing = true;
    break;
  }
  const initialized = arr(status['conditions']).some((c) => c['type'] === 'Initialized' && c['status'] === 'True');
  if (!initializing || initialized) {
    restarts = 0;
    let hasRunning = false;
    const cs = arr(status['containerStatuses']);
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]!;
      restarts += Number(c['restartCount'] ?? 0);
      const lastTerm = rec(rec(c['lastState'])['terminated']);
      if (typeof lastTerm['finishedAt'] === 'string' && lastTerm['finishedAt'] > lastRestart) lastRestart = lastTerm['finishedAt'];
      const st = rec(c['state']);
      const wait = rec(st['waiting']);
      const term = isPlainObject(st['terminated']) ? st['terminated'] : undefined;
      if (s(wait['reason']) !== '') reason = s(wait['reason']);
      else if (term && s(term['reason']) !== '') reason = s(term['reason']);
      else if (term) reason = term['signal'] ? `Signal:${s(term['signal'])}` : `ExitCode:${s(term['exitCode'])}`;
      else if (c['ready'] === true && isPlainObject(st['running'])) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = arr(status['conditions']).some((c) => c['type'] === 'Ready' && c['status'] === 'True') ? 'Running' : 'NotReady';
    }
  }
  if (o.metadata.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  return { ready, total, reason, restarts, lastRestart };
}

const podPrinter: Printer = {
  columns: [NAME, col('Ready'), col('Status'), col('Restarts'), col('Age'), col('IP', 1), col('Node', 1), col('Nominated Node', 1), col('Readiness Gates', 1)],
  cells(o, now) {
    const p = podStatusReason(o);
    const restarts = p.restarts !== 0 && p.lastRestart ? `${p.restarts} (${since(p.lastRestart, now)} ago)` : String(p.restarts);
    const status = rec(o['status']);
    const ip = s(arr(status['podIPs'])[0]?.['ip']) || s(status['podIP']);
    return [o.metadata.name ?? '', `${p.ready}/${p.total}`, p.reason, restarts, since(o.metadata.creationTimestamp, now),
      orNone(ip), orNone(s(rec(o['spec'])['nodeName'])), orNone(s(status['nominatedNodeName'])), '<none>'];
  },
  conditions(o) {
    const phase = rec(o['status'])['phase'];
    if (phase === 'Succeeded') return [{ type: 'Completed', status: 'True' }];
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True' }];
    return undefined;
  },
};

function selectorString(sel: unknown): string {
  const m = rec(sel);
  const keys = Object.keys(m).sort();
  return keys.length ? keys.map((k) => `${k}=${s(m[k])}`).join(',') : '<none>';
}

const servicePrinter: Printer = {
  columns: [NAME, col('Type'), col('Cluster-IP'), col('External-IP'), col('Port(s)'), col('Age'), col('Selector', 1)],
  cells(o, now) {
    const spec = rec(o['spec']);
    const ports = arr(spec['ports']).map((p) => (p['nodePort'] ? `${s(p['port'])}:${s(p['nodePort'])}/${s(p['protocol'] || 'TCP')}` : `${s(p['port'])}/${s(p['protocol'] || 'TCP')}`));
    return [o.metadata.name ?? '', s(spec['type']), orNone(s(spec['clusterIP'])), '<none>', orNone(ports.join(',')), since(o.metadata.creationTimestamp, now), selectorString(spec['selector'])];
  },
};

const eventPrinter: Printer = {
  columns: [col('Last Seen'), col('Type'), col('Reason'), col('Object'), col('Subobject', 1), col('Source', 1), col('Message'), col('First Seen', 1), col('Count', 1), { ...NAME, priority: 1 }],
  cells(o, now) {
    const inv = rec(o['involvedObject']);
    const src = rec(o['source']);
    const last = s(o['lastTimestamp']) || s(o['eventTime']) || o.metadata.creationTimestamp;
    return [since(last, now), s(o['type']), s(o['reason']), `${s(inv['kind']).toLowerCase()}/${s(inv['name'])}`, s(inv['fieldPath']),
      [s(src['component']), s(src['host'])].filter(Boolean).join(', '), s(o['message']).trim(), since(s(o['firstTimestamp']) || last, now), s(o['count'] ?? 1), o.metadata.name ?? ''];
  },
};

function containersAndImages(template: unknown): [string, string] {
  const cs = arr(rec(rec(template)['spec'])['containers']);
  return [cs.map((c) => s(c['name'])).join(','), cs.map((c) => s(c['image'])).join(',')];
}

const deploymentPrinter: Printer = {
  columns: [NAME, col('Ready'), col('Up-to-date'), col('Available'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
  cells(o, now) {
    const spec = rec(o['spec']);
    const st = rec(o['status']);
    const [c, i] = containersAndImages(spec['template']);
    return [o.metadata.name ?? '', `${Number(st['readyReplicas'] ?? 0)}/${Number(spec['replicas'] ?? 0)}`, Number(st['updatedReplicas'] ?? 0), Number(st['availableReplicas'] ?? 0),
      since(o.metadata.creationTimestamp, now), c, i, selectorString(rec(spec['selector'])['matchLabels'])];
  },
};

const replicaSetPrinter: Printer = {
  columns: [NAME, { ...col('Desired', 0, 'integer') }, { ...col('Current', 0, 'integer') }, { ...col('Ready', 0, 'integer') }, col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)],
  cells(o, now) {
    const spec = rec(o['spec']);
    const st = rec(o['status']);
    const [c, i] = containersAndImages(spec['template']);
    return [o.metadata.name ?? '', Number(spec['replicas'] ?? 0), Number(st['replicas'] ?? 0), Number(st['readyReplicas'] ?? 0),
      since(o.metadata.creationTimestamp, now), c, i, selectorString(rec(spec['selector'])['matchLabels'])];
  },
};

const namespacePrinter: Printer = {
  columns: [NAME, col('Status'), col('Age')],
  cells: (o, now) => [o.metadata.name ?? '', s(rec(o['status'])['phase']), since(o.metadata.creationTimestamp, now)],
};

const nodePrinter: Printer = {
  columns: [NAME, col('Status'), col('Roles'), col('Age'), col('Version'), col('Internal-IP', 1), col('External-IP', 1), col('OS-Image', 1), col('Kernel-Version', 1), col('Container-Runtime', 1)],
  cells(o, now) {
    const st = rec(o['status']);
    const ready = arr(st['conditions']).find((c) => c['type'] === 'Ready');
    const info = rec(st['nodeInfo']);
    const ip = s(arr(st['addresses']).find((a) => a['type'] === 'InternalIP')?.['address']);
    return [o.metadata.name ?? '', ready?.['status'] === 'True' ? 'Ready' : 'NotReady', '<none>', since(o.metadata.creationTimestamp, now), s(info['kubeletVersion']),
      orNone(ip), '<none>', s(info['osImage']), s(info['kernelVersion']), s(info['containerRuntimeVersion'])];
  },
};

const configMapPrinter: Printer = {
  columns: [NAME, { ...col('Data', 0, 'integer') }, col('Age')],
  cells: (o, now) => [o.metadata.name ?? '', Object.keys(rec(o['data'])).length + Object.keys(rec(o['binaryData'])).length, since(o.metadata.creationTimestamp, now)],
};

const crdPrinter: Printer = {
  columns: [NAME, { ...col('Created At', 0, 'date'), description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' }],
  cells: (o) => [o.metadata.name ?? '', o.metadata.creationTimestamp ?? ''],
};

/** Custom resources without printer columns: Name and Age. */
const defaultPrinter: Printer = {
  columns: [NAME, { ...col('Age', 0, 'date'), description: 'CreationTimestamp is a timestamp representing the server time when this object was created.' }],
  cells: (o, now) => [o.metadata.name ?? '', since(o.metadata.creationTimestamp, now)],
};

const PRINTERS: Record<string, Printer> = {
  pods: podPrinter,
  services: servicePrinter,
  events: eventPrinter,
  'deployments.apps': deploymentPrinter,
  'replicasets.apps': replicaSetPrinter,
  namespaces: namespacePrinter,
  nodes: nodePrinter,
  configmaps: configMapPrinter,
  'customresourcedefinitions.apiextensions.k8s.io': crdPrinter,
};

export function printerFor(resourceKey: string): Printer {
  return PRINTERS[resourceKey] ?? defaultPrinter;
}
