/**
 * The `services/{name}[:{port}]/proxy/...` and `pods/{name}[:{port}]/proxy/...` subresources: forward
 * the request to a ready pod of the service (round robin) or to the pod, and stream the answer back.
 * In the sandbox every pod listens on 127.0.0.1 with a port of its own, so a service port maps to the
 * chosen pod's containerPort.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { KObject } from './types.ts';
import { isPlainObject } from './types.ts';
import type { Store } from './store.ts';
import { serviceUnavailable, notFound, type ApiError } from './status.ts';
import { writeError } from './body.ts';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'authorization']);

export interface ProxyTarget {
  host: string;
  port: number;
}

/** Splits `[scheme:]name[:port]`. */
export function splitNamePort(id: string): { name: string; port: string } {
  const parts = id.split(':');
  if (parts.length === 3) return { name: parts[1]!, port: parts[2]! };
  if (parts.length === 2) return { name: parts[0]!, port: parts[1]! };
  return { name: id, port: '' };
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const list = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

function isReady(pod: KObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  return list(rec(pod['status'])['conditions']).some((c) => c['type'] === 'Ready' && c['status'] === 'True');
}

function podPort(pod: KObject, port: string): number | undefined {
  const ports = list(rec(pod['spec'])['containers']).flatMap((c) => list(c['ports']));
  if (port === '') return typeof ports[0]?.['containerPort'] === 'number' ? ports[0]['containerPort'] : undefined;
  const byName = ports.find((p) => p['name'] === port);
  if (byName && typeof byName['containerPort'] === 'number') return byName['containerPort'];
  return /^\d+$/.test(port) ? Number(port) : undefined;
}

export function podTarget(pod: KObject, port: string): ProxyTarget {
  const ip = rec(pod['status'])['podIP'];
  const p = podPort(pod, port);
  if (typeof ip !== 'string' || ip === '' || p === undefined) {
    throw serviceUnavailable(`error trying to reach service: pod ${pod.metadata.name ?? ''} has no IP address or port`);
  }
  return { host: ip, port: p };
}

/** Picks a ready endpoint of the service; 503 like the API server when there is none. */
export class ServiceResolver {
  readonly #store: Store;
  readonly #next = new Map<string, number>();

  constructor(store: Store) {
    this.#store = store;
  }

  resolve(ns: string, id: string): ProxyTarget {
    const { name, port } = splitNamePort(id);
    const svc = this.#store.get('services', ns, name);
    if (!svc) throw notFound({ group: '', resource: 'services' }, name);
    const spec = rec(svc['spec']);
    const ports = list(spec['ports']);
    const sp = port === '' ? ports[0] : ports.find((p) => p['name'] === port || String(p['port']) === port);
    if (!sp) throw serviceUnavailable(`no service port ${JSON.stringify(port)} found for service ${JSON.stringify(name)}`);
    const selector = rec(spec['selector']);
    const keys = Object.keys(selector);
    // Ready pods the selector matches that expose a port (in the sandbox, a Kubeless CronJob trigger pod
    // matches a function's selector too, but has nothing listening).
    const ready = keys.length === 0 ? [] : this.#store.list('pods', ns)
      .filter((p) => isReady(p) && podPort(p, '') !== undefined && keys.every((k) => p.metadata.labels?.[k] === selector[k]));
    if (ready.length === 0) throw serviceUnavailable(`no endpoints available for service ${JSON.stringify(name)}`);
    const k = `${ns}/${name}`;
    const i = (this.#next.get(k) ?? 0) % ready.length;
    this.#next.set(k, i + 1);
    return podTarget(ready[i]!, '');
  }
}

/** Forwards the request to `target` and pipes the answer back. */
export function forward(req: IncomingMessage, res: ServerResponse, target: ProxyTarget, path: string): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
  headers['x-forwarded-for'] = req.socket.remoteAddress ?? '127.0.0.1';
  headers['host'] = `${target.host}:${target.port}`;
  return new Promise<void>((resolve) => {
    const up = httpRequest({ host: target.host, port: target.port, method: req.method, path, headers }, (r) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(r.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
      res.writeHead(r.statusCode ?? 502, out);
      r.pipe(res);
      r.on('end', resolve);
      r.on('error', () => {
        res.destroy();
        resolve();
      });
    });
    up.on('error', (e: NodeJS.ErrnoException) => {
      const err: ApiError = serviceUnavailable(`error trying to reach service: dial tcp ${target.host}:${target.port}: ${e.code === 'ECONNREFUSED' ? 'connect: connection refused' : e.message}`);
      writeError(res, err);
      resolve();
    });
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
}
