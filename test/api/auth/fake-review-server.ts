import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/** One RBAC rule of the fake: who may do what on which non-resource path prefix or resource. */
export interface FakeRule {
  user?: string;
  group?: string;
  verbs: string[];
  nonResourcePrefix?: string;
  resource?: { namespace?: string; resource: string; subresource?: string; name?: string };
}

export interface FakeUser {
  username: string;
  uid: string;
  groups: string[];
  audiences?: string[];
}

/** What the fake saw, for assertions. */
export interface FakeCall {
  kind: 'TokenReview' | 'SubjectAccessReview';
  body: Record<string, unknown>;
}

/**
 * A stand-in for the two review APIs of a Kubernetes API server, answering exactly as documented:
 * POST /apis/authentication.k8s.io/v1/tokenreviews and
 * POST /apis/authorization.k8s.io/v1/subjectaccessreviews, with the posted object echoed and its
 * status filled in. The caller itself must present `callerToken` (the collector's service account).
 */
export class FakeReviewServer {
  readonly calls: FakeCall[] = [];
  readonly users = new Map<string, FakeUser>();
  rules: FakeRule[] = [];
  /** Answer every request with this status (to simulate an outage). */
  failWith: number | undefined;
  readonly #server: Server;
  readonly callerToken: string;

  constructor(callerToken: string) {
    this.callerToken = callerToken;
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(([status, body]) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.#server.close(() => r());
      this.#server.closeAllConnections();
    });
  }

  /** A KubeConfig that reaches this server as the caller. */
  kubeConfig(url: string): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
      users: [{ name: 'collector', token: this.callerToken }],
      contexts: [{ name: 'fake', cluster: 'fake', user: 'collector' }],
      currentContext: 'fake',
    });
    return kc;
  }

  async #handle(req: IncomingMessage): Promise<[number, Record<string, unknown>]> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.failWith !== undefined) return [this.failWith, status(this.failWith, 'injected failure')];
    if (req.headers.authorization !== `Bearer ${this.callerToken}`) return [401, status(401, 'Unauthorized')];
    if (req.method !== 'POST') return [405, status(405, 'method not allowed')];
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
    } catch {
      return [400, status(400, 'bad json')];
    }
    const spec = (body['spec'] ?? {}) as Record<string, unknown>;
    if (req.url === '/apis/authentication.k8s.io/v1/tokenreviews') {
      if (body['apiVersion'] !== 'authentication.k8s.io/v1' || body['kind'] !== 'TokenReview') return [400, status(400, 'not a TokenReview')];
      this.calls.push({ kind: 'TokenReview', body });
      const u = this.users.get(String(spec['token']));
      const wanted = (spec['audiences'] as string[] | undefined) ?? ['https://kubernetes.default.svc'];
      const audOk = u !== undefined && (u.audiences ?? ['https://kubernetes.default.svc']).some((a) => wanted.includes(a));
      const st = u && audOk
        ? { authenticated: true, user: { username: u.username, uid: u.uid, groups: u.groups }, audiences: wanted }
        : { authenticated: false, error: 'token lookup failed', user: {} };
      return [201, { ...body, metadata: { creationTimestamp: null }, status: st }];
    }
    if (req.url === '/apis/authorization.k8s.io/v1/subjectaccessreviews') {
      if (body['apiVersion'] !== 'authorization.k8s.io/v1' || body['kind'] !== 'SubjectAccessReview') return [400, status(400, 'not a SubjectAccessReview')];
      this.calls.push({ kind: 'SubjectAccessReview', body });
      const allowed = this.#allowed(spec);
      return [201, { ...body, metadata: { creationTimestamp: null }, status: allowed ? { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "fnscope-readers"' } : { allowed: false } }];
    }
    return [404, status(404, 'the server could not find the requested resource')];
  }

  #allowed(spec: Record<string, unknown>): boolean {
    const user = String(spec['user']);
    const groups = (spec['groups'] as string[] | undefined) ?? [];
    const nr = spec['nonResourceAttributes'] as { path: string; verb: string } | undefined;
    const ra = spec['resourceAttributes'] as Record<string, string> | undefined;
    return this.rules.some((r) => {
      if (r.user !== undefined && r.user !== user) return false;
      if (r.group !== undefined && !groups.includes(r.group)) return false;
      if (nr) return r.nonResourcePrefix !== undefined && nr.path.startsWith(r.nonResourcePrefix) && r.verbs.includes(nr.verb);
      if (ra && r.resource) {
        const want = r.resource;
        return r.verbs.includes(ra['verb'] ?? '') && ra['resource'] === want.resource && (ra['subresource'] ?? '') === (want.subresource ?? '') &&
          (ra['namespace'] ?? '') === (want.namespace ?? '') && (ra['name'] ?? '') === (want.name ?? '');
      }
      return false;
    });
  }
}

function status(code: number, message: string): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, code };
}
