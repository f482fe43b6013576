import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PEER_LIMITS } from './limits.ts';

/** How to reach peers over HTTPS: the CA that signed their certificates and the name they carry. */
export interface PeerTls {
  /** PEM of the CA(s) to trust (default: the system's). */
  ca?: string;
  /** Name to check the peer's certificate against (default: the peer's address). */
  servername?: string;
}

export interface PeerRequestOptions {
  /** The caller's Authorization header, passed on as is. */
  authorization?: string;
  timeoutMs: number;
  /** Largest answer read (default PEER_LIMITS.maxAnswerBytes). */
  maxBytes?: number;
  tls?: PeerTls;
  signal?: AbortSignal;
}

/** What one peer said: its JSON envelope, or why there is none. */
export type PeerAnswer = { ok: true; status: number; body: PeerEnvelope } | { ok: false; status?: number; reason: string };

export interface PeerEnvelope {
  status: 'success' | 'error';
  data?: unknown;
  error?: string;
  errorType?: string;
  warnings?: string[];
}

const DEFAULT_MAX_BYTES = PEER_LIMITS.maxAnswerBytes;

/** GET a peer's JSON API answer; never throws (a failure is an answer with a reason). */
export function getPeerJson(url: string, o: PeerRequestOptions): Promise<PeerAnswer> {
  return new Promise((resolve) => {
    const u = new URL(url);
    const https = u.protocol === 'https:';
    const headers: Record<string, string> = { accept: 'application/json' };
    if (o.authorization !== undefined) headers['authorization'] = o.authorization;
    const opts = {
      method: 'GET',
      headers,
      timeout: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(https && o.tls?.ca ? { ca: o.tls.ca } : {}),
      ...(https && o.tls?.servername ? { servername: o.tls.servername } : {}),
    };
    let settled = false;
    const done = (a: PeerAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(a);
    };
    // The socket timeout covers idle time only; this one covers the whole exchange.
    const deadline = setTimeout(() => {
      req.destroy();
      done({ ok: false, reason: `no answer within ${o.timeoutMs} ms` });
    }, o.timeoutMs);
    deadline.unref();
    const onResponse = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > (o.maxBytes ?? DEFAULT_MAX_BYTES)) {
          req.destroy();
          done({ ok: false, status: res.statusCode, reason: `answer larger than ${o.maxBytes ?? DEFAULT_MAX_BYTES} bytes` });
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e) => done({ ok: false, reason: e.message }));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        let body: PeerEnvelope | undefined;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as PeerEnvelope;
        } catch {
          body = undefined;
        }
        if (!body || typeof body !== 'object' || (body.status !== 'success' && body.status !== 'error')) {
          done({ ok: false, status, reason: `HTTP ${status} without an API envelope` });
        } else done({ ok: true, status, body });
      });
    };
    const req = (https ? httpsRequest : httpRequest)(u, opts, onResponse);
    req.on('timeout', () => {
      req.destroy();
      done({ ok: false, reason: `no answer within ${o.timeoutMs} ms` });
    });
    req.on('error', (e: NodeJS.ErrnoException) => done({ ok: false, reason: e.code ?? e.message }));
    req.end();
  });
}
