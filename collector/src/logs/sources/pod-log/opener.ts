import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ErrorCodes, FnscopeError } from '../../../util/errors.ts';

export interface PodLogRequest {
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  previous?: boolean;
  sinceTime?: string;
  sinceSeconds?: number;
  tailLines?: number;
}

/** Opens one pod log stream (always with timestamps). Resolves when it ends; rejects on error. */
export interface PodLogOpener {
  stream(req: PodLogRequest, onChunk: (text: string) => void, signal: AbortSignal): Promise<void>;
}

/** An HTTP error answer of the log endpoint (e.g. 400 when there is no previous container). */
export class PodLogHttpError extends FnscopeError {
  readonly status: number;
  constructor(status: number, message: string) {
    super(ErrorCodes.KUBE_REQUEST, message);
    this.status = status;
  }
}

/**
 * The pod log API over node:http(s), authenticated with the KubeConfig (client-node applies the
 * cluster's CA, client certificate and token). client-node's own Log helper pipes the response
 * without forwarding stream errors (a dropped connection would never end it, or crash the process
 * with an unhandled 'error'), drops tailLines=0 and signals the end only through the Writable; a
 * plain request makes every end and every error explicit.
 */
export class KubeLogOpener implements PodLogOpener {
  readonly #kc: KubeConfig;

  constructor(kc: KubeConfig) {
    this.#kc = kc;
  }

  async stream(req: PodLogRequest, onChunk: (text: string) => void, signal: AbortSignal): Promise<void> {
    const cluster = this.#kc.getCurrentCluster();
    if (!cluster) throw new FnscopeError(ErrorCodes.KUBE_REQUEST, 'kubeconfig has no current cluster');
    const url = new URL(`${cluster.server.replace(/\/+$/, '')}/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log`);
    const q = url.searchParams;
    q.set('container', req.container);
    q.set('timestamps', 'true');
    if (req.follow) q.set('follow', 'true');
    if (req.previous) q.set('previous', 'true');
    if (req.sinceTime) q.set('sinceTime', req.sinceTime);
    else if (req.sinceSeconds !== undefined) q.set('sinceSeconds', String(Math.max(1, Math.ceil(req.sinceSeconds))));
    if (req.tailLines !== undefined) q.set('tailLines', String(req.tailLines));
    const opts: https.RequestOptions = { method: 'GET', headers: { accept: '*/*', 'user-agent': 'fnscope' } };
    await this.#kc.applyToHTTPSOptions(opts);
    const mod = url.protocol === 'https:' ? https : http;
    if (signal.aborted) return;
    await new Promise<void>((resolve, reject) => {
      const r = mod.request(url, { ...opts, signal }, (res) => {
        const status = res.statusCode ?? 0;
        if (status !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body = (body + d).slice(0, 4096)));
          res.on('end', () => {
            let message = body.trim();
            try {
              message = (JSON.parse(body) as { message?: string }).message ?? message;
            } catch {
              // not a Status object: keep the text
            }
            reject(new PodLogHttpError(status, `pod log ${req.namespace}/${req.pod}/${req.container}: HTTP ${status}: ${message}`));
          });
          res.on('error', reject);
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (d: string) => onChunk(d));
        res.on('end', () => resolve());
        res.on('error', (e) => (signal.aborted ? resolve() : reject(e)));
        res.on('aborted', () => (signal.aborted ? resolve() : reject(new Error('log stream aborted by the server'))));
      });
      r.on('socket', (s) => s.setKeepAlive(true, 30_000));
      r.on('error', (e) => (signal.aborted || e.name === 'AbortError' ? resolve() : reject(e)));
      r.end();
    });
  }
}
