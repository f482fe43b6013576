import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { requireAuth } from './auth/middleware.ts';
import type { Authenticator } from './auth/authenticator.ts';
import { inputLimits, type HttpLimits } from './input-limits.ts';

export interface GuardOptions {
  /** Absent: no authentication (loopback, or --insecure-no-auth). */
  authenticator?: Authenticator;
  logger?: Logger;
  limits?: Partial<HttpLimits>;
}

/**
 * Wraps the API app: input limits first (URL length, body size), then authentication of everything
 * but /healthz and /readyz, then the app itself. Returns a request handler for `listen`.
 */
export function guardApp(inner: RequestHandler, opts: GuardOptions = {}): express.Express {
  const outer = express();
  outer.disable('x-powered-by');
  outer.use(inputLimits(opts.limits));
  if (opts.authenticator) outer.use(requireAuth(opts.authenticator, opts.logger ? { logger: opts.logger } : {}));
  outer.use(inner);
  return outer;
}
