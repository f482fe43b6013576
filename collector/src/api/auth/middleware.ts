import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { sendError } from '../envelope.ts';
import type { AuthDecision, Authenticator } from './authenticator.ts';

/** Paths that stay open for kubelet probes: they tell nothing about the functions. */
export const OPEN_PATHS: readonly string[] = ['/healthz', '/readyz'];

/**
 * The web UI's own files (page shell, compiled modules, styles, uPlot): open to GET/HEAD, since a
 * browser opening the page sends no Authorization header. They hold no data; every API call the page
 * then makes carries the token.
 */
export const UI_ASSET_PATHS: readonly string[] = ['/', '/index.html', '/favicon.ico'];
export const UI_ASSET_PREFIX = '/ui/';

function isUiAsset(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  return UI_ASSET_PATHS.includes(path) || (path.startsWith(UI_ASSET_PREFIX) && !path.includes('..'));
}

export interface RequireAuthOptions {
  logger?: Logger;
  /** Default OPEN_PATHS. */
  openPaths?: readonly string[];
}

const errorTypeOf = { 401: 'unauthorized', 403: 'forbidden', 503: 'unavailable' } as const;

function pathOf(url: string | undefined): string {
  const u = url ?? '/';
  const q = u.indexOf('?');
  return q < 0 ? u : u.slice(0, q);
}

/**
 * Express middleware: every request except the open probe paths must pass the authenticator.
 * Refusals use the API's JSON envelope (401 unauthorized with `WWW-Authenticate: Bearer`, 403
 * forbidden, 503 unavailable when the authority could not be asked). Mount it before every route.
 */
export function requireAuth(auth: Authenticator, opts: RequireAuthOptions = {}): RequestHandler {
  const open = new Set(opts.openPaths ?? OPEN_PATHS);
  return (req: Request, res: Response, next: NextFunction): void => {
    const path = pathOf(req.originalUrl);
    if (open.has(path) || isUiAsset(req.method, path)) {
      next();
      return;
    }
    auth.check({ method: req.method, path, authorization: req.headers.authorization }).then(
      (d) => {
        if (d.ok) {
          next();
          return;
        }
        refuse(res, d, opts.logger, req.method, path);
      },
      (e: unknown) => next(e),
    );
  };
}

function refuse(res: Response, d: Exclude<AuthDecision, { ok: true }>, logger: Logger | undefined, method: string, path: string): void {
  logger?.debug({ method, path, status: d.status }, 'request refused');
  if (d.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="fnscope"');
  sendError(res, errorTypeOf[d.status], d.reason);
}

/**
 * The same check for WebSocket upgrades, in the shape `attachTailEndpoint({authorize})` takes:
 * null lets the upgrade proceed, otherwise the status and message to refuse it with.
 */
export function upgradeAuthorizer(auth: Authenticator): (req: IncomingMessage) => Promise<{ status: number; message: string } | null> {
  return async (req) => {
    // Browsers cannot set headers on a WebSocket: they may pass the token as ?access_token= instead.
    let authorization = req.headers.authorization;
    if (authorization === undefined) {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('access_token');
      if (token) authorization = `Bearer ${token}`;
    }
    const d = await auth.check({ method: req.method ?? 'GET', path: pathOf(req.url), authorization });
    return d.ok ? null : { status: d.status, message: d.reason };
  };
}
