import { randomUUID } from 'node:crypto';
import express from 'express';
import type { FunctionInfo } from '../../discovery/types.ts';
import { ApiError, sendData } from '../envelope.ts';

/** Named limits of the invoke endpoint (docs/ui.md). */
export const INVOKE_LIMITS = {
  /** Largest request body the endpoint accepts, and largest response body it passes on. */
  maxBodyBytes: 1024 * 1024,
  /** Timeout when the function declares none. */
  defaultTimeoutMs: 30_000,
} as const;

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** Where one call goes: a ready pod of the function, addressed directly. */
export interface InvokeTarget {
  pod: string;
  /** http://podIP:port/ */
  url: string;
  timeoutSeconds: number | null;
}

export type FindPod = (namespace: string, name: string) => InvokeTarget | 'no-function' | 'no-ready-pod';

export interface InvokeDeps {
  findPod: FindPod;
  fetch: typeof fetch;
  /** Monotonic milliseconds, for durationMs (default performance.now). */
  monotonic?: () => number;
  /** The collector's clock, milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

/** The answer of POST /api/v1/functions/{ns}/{name}/invoke. */
export interface InvokeResult {
  status: number;
  headers: Record<string, string>;
  /** The response body as text (UTF-8), cut at INVOKE_LIMITS.maxBodyBytes. */
  body: string;
  truncated: boolean;
  durationMs: number;
  pod: string;
  /** When the call was sent and when its answer was read, by the collector's clock (ms since the epoch): the window its log lines fall in. */
  start: number;
  end: number;
}

/**
 * Picks a ready pod of a function from the inventory, round-robin over calls: a function pod that is
 * ready, not terminating and has an IP; the port is its scrape port (Kubeless serves the function and
 * its metrics on the same port).
 */
export function readyPodFinder(inventory: () => readonly FunctionInfo[]): FindPod {
  let next = 0;
  return (namespace, name) => {
    const fn = inventory().find((f) => f.namespace === namespace && f.name === name);
    if (!fn) return 'no-function';
    const ready = fn.pods.filter((p) => p.role === 'function' && p.ready && !p.terminating && p.podIP);
    if (ready.length === 0) return 'no-ready-pod';
    const p = ready[next++ % ready.length]!;
    const host = p.podIP!.includes(':') ? `[${p.podIP!}]` : p.podIP!;
    return { pod: p.name, url: `http://${host}:${p.scrape.port}/`, timeoutSeconds: fn.timeoutSeconds };
  };
}

interface InvokeBody {
  method: string;
  body: string | undefined;
  contentType: string | undefined;
}

function parseBody(raw: unknown): InvokeBody {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ApiError('bad_data', 'body must be a JSON object {method?, data?, contentType?}');
  const o = raw as Record<string, unknown>;
  const data = o['data'];
  const methodRaw = o['method'] ?? (data === undefined ? 'GET' : 'POST');
  if (typeof methodRaw !== 'string' || !METHODS.has(methodRaw.toUpperCase())) throw new ApiError('bad_data', `method must be one of ${[...METHODS].join(', ')}`);
  const ct = o['contentType'];
  if (ct !== undefined && (typeof ct !== 'string' || !/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(ct))) throw new ApiError('bad_data', 'contentType must be a media type such as application/json');
  let body: string | undefined;
  let contentType = ct;
  if (typeof data === 'string') {
    body = data;
    contentType ??= looksLikeJson(data) ? 'application/json' : 'text/plain';
  } else if (data !== undefined) {
    body = JSON.stringify(data);
    contentType ??= 'application/json';
  }
  const method = methodRaw.toUpperCase();
  if ((method === 'GET' || method === 'DELETE') && body !== undefined && body !== '') throw new ApiError('bad_data', `${method} calls carry no data`);
  return { method, body: method === 'GET' || method === 'DELETE' ? undefined : body, contentType };
}

function looksLikeJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

async function readCapped(res: Response, max: number): Promise<{ text: string; truncated: boolean }> {
  if (!res.body) return { text: '', truncated: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > max) {
      chunks.push(value.subarray(0, max - size));
      truncated = true;
      await reader.cancel();
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated };
}

/** A cross-site page may not make the browser call functions: same-origin requests only when a browser says where it comes from. */
function checkOrigin(req: express.Request): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const host = req.headers.host;
  let ok: boolean;
  try {
    ok = host !== undefined && new URL(origin).host === host;
  } catch {
    ok = false;
  }
  if (!ok) throw new ApiError('forbidden', 'cross-origin invoke refused');
}

/**
 * POST /api/v1/functions/{namespace}/{name}/invoke with {method?, data?, contentType?}: calls the
 * function once on one of its ready pods, directly at the pod's address, with the Kubeless event
 * headers, and answers {status, headers, body, truncated, durationMs, pod}. The request must be
 * JSON (which keeps plain cross-site form posts out).
 */
export function invokeRoutes(deps: InvokeDeps): (app: express.Express) => void {
  const monotonic = deps.monotonic ?? (() => performance.now());
  const now = deps.now ?? Date.now;
  const json = express.json({ limit: INVOKE_LIMITS.maxBodyBytes });
  return (app) => {
    app.post('/api/v1/functions/:namespace/:name/invoke', json, async (req, res) => {
      checkOrigin(req);
      if (!req.is('application/json')) throw new ApiError('bad_data', 'send the call as Content-Type: application/json {method?, data?, contentType?}');
      const call = parseBody(req.body);
      const ns = String(req.params['namespace']);
      const name = String(req.params['name']);
      const target = deps.findPod(ns, name);
      if (target === 'no-function') throw new ApiError('not_found', `function ${ns}/${name} not found`);
      if (target === 'no-ready-pod') throw new ApiError('unavailable', `function ${ns}/${name} has no ready pod to call`);
      const timeoutMs = target.timeoutSeconds && target.timeoutSeconds > 0 ? target.timeoutSeconds * 1000 : INVOKE_LIMITS.defaultTimeoutMs;
      const abort = new AbortController();
      const timer = setTimeout(() => abort.abort(new Error('timeout')), timeoutMs);
      const onClose = (): void => {
        if (!res.writableEnded) abort.abort(new Error('client gone'));
      };
      res.on('close', onClose);
      const headers: Record<string, string> = {
        'event-id': randomUUID(),
        'event-time': new Date().toISOString(),
        'event-namespace': 'api.fnscope.io',
        accept: '*/*',
      };
      if (call.contentType) {
        headers['content-type'] = call.contentType;
        headers['event-type'] = call.contentType;
      }
      const started = monotonic();
      const start = now();
      try {
        const r = await deps.fetch(target.url, { method: call.method, headers, body: call.body ?? null, signal: abort.signal, redirect: 'manual' });
        const { text, truncated } = await readCapped(r, INVOKE_LIMITS.maxBodyBytes);
        const result: InvokeResult = {
          status: r.status,
          headers: Object.fromEntries(r.headers),
          body: text,
          truncated,
          durationMs: Math.round((monotonic() - started) * 1000) / 1000,
          pod: target.pod,
          start,
          end: now(),
        };
        sendData(res, result);
      } catch (e) {
        if (abort.signal.aborted) throw new ApiError('timeout', `function ${ns}/${name} did not answer within ${timeoutMs / 1000} s (pod ${target.pod})`);
        throw new ApiError('unavailable', `calling ${ns}/${name} on pod ${target.pod} failed: ${(e as Error).message}`);
      } finally {
        clearTimeout(timer);
        res.off('close', onClose);
      }
    });
  };
}
