/**
 * A pod as discovery reports it, and whether (and where) to scrape it. Scrape settings follow the
 * `prometheus.io/scrape|scheme|port|path` annotations, with defaults http, the function container's
 * port (8080 when it declares none) and /metrics.
 */
import type { PodInfo, Scheme, Target } from '../types.ts';
import { annotationsOf, isoTime, type Container, type PodObject } from './objects.ts';

const DEFAULT_PORT = 8080;
const DEFAULT_PATH = '/metrics';

function containerPort(c: Container | undefined): number | undefined {
  const p = c?.ports?.find((x) => (x.protocol ?? 'TCP') === 'TCP' && typeof x.containerPort === 'number');
  return p?.containerPort;
}

/** The function container of a pod: the one named after the function. */
export function functionContainer(pod: PodObject, fnName: string): Container | undefined {
  return pod.spec?.containers?.find((c) => c.name === fnName);
}

function roleOf(pod: PodObject, fnContainer: Container | undefined, scrapeAnnotation: string | undefined): PodInfo['role'] {
  if (fnContainer !== undefined || scrapeAnnotation === 'true') return 'function';
  const isTrigger = pod.spec?.containers?.some((c) => c.name === 'trigger') === true
    || pod.metadata?.ownerReferences?.some((o) => o.kind === 'Job') === true;
  return isTrigger ? 'trigger' : 'other';
}

export function podInfo(pod: PodObject, fnName: string): PodInfo {
  const ann = annotationsOf(pod);
  const fnC = functionContainer(pod, fnName);
  const role = roleOf(pod, fnC, ann['prometheus.io/scrape']);
  const container = fnC ?? (role === 'function' ? pod.spec?.containers?.[0] : undefined);
  const statuses = pod.status?.containerStatuses ?? [];
  const cs = container ? statuses.find((s) => s.name === container.name) : statuses[0];
  const phase = pod.status?.phase ?? 'Unknown';
  const podIP = pod.status?.podIP || null;

  const enabled = ann['prometheus.io/scrape'] !== 'false';
  const scheme: Scheme = ann['prometheus.io/scheme'] === 'https' ? 'https' : 'http';
  const rawPort = ann['prometheus.io/port'];
  let port = containerPort(container) ?? DEFAULT_PORT;
  let portError: string | null = null;
  if (rawPort !== undefined) {
    const n = /^\d{1,5}$/.test(rawPort.trim()) ? Number(rawPort.trim()) : NaN;
    if (n >= 1 && n <= 65535) port = n;
    else portError = `invalid prometheus.io/port ${JSON.stringify(rawPort)}`;
  }
  let path = ann['prometheus.io/path'] || DEFAULT_PATH;
  if (!path.startsWith('/')) path = `/${path}`;

  let reason: string | null = null;
  if (role === 'trigger') reason = 'CronJob trigger pod';
  else if (role === 'other') reason = `no container named ${fnName}`;
  else if (!enabled) reason = 'prometheus.io/scrape is "false"';
  else if (portError !== null) reason = portError;
  else if (phase === 'Succeeded' || phase === 'Failed') reason = `pod ${phase}`;
  else if (podIP === null) reason = 'no pod IP yet';

  return {
    uid: pod.metadata?.uid ?? '',
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    node: pod.spec?.nodeName || null,
    phase,
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true,
    restarts: cs?.restartCount ?? 0,
    container: container?.name ?? null,
    podIP,
    startTime: isoTime(pod.status?.startTime),
    terminating: pod.metadata?.deletionTimestamp != null,
    role,
    scrape: { enabled, scheme, port, path },
    target: reason === null,
    notTargetReason: reason,
  };
}

/** `ip:port`, bracketing IPv6 addresses. */
export function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The scrape target of a pod that is one (`info.target`). */
export function podTarget(info: PodInfo): Target {
  const labels: Record<string, string> = { pod: info.name, pod_uid: info.uid };
  if (info.node !== null) labels['node'] = info.node;
  if (info.container !== null) labels['container'] = info.container;
  return {
    address: hostPort(info.podIP ?? '', info.scrape.port),
    scheme: info.scrape.scheme,
    metricsPath: info.scrape.path,
    labels,
    pod: info,
  };
}
