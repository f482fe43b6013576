/** What an authenticator sees of a request: never the body, only what decides access. */
export interface AuthRequest {
  /** HTTP method (GET, HEAD, POST...). */
  method: string;
  /** URL path without the query string, e.g. /api/v1/functions. */
  path: string;
  /** The Authorization header as sent, if any. */
  authorization: string | undefined;
}

/**
 * The outcome of one check. `status` says how to refuse: 401 (no or bad credentials), 403 (known
 * caller without the permission), 503 (the authority could not be asked). `reason` is for the caller
 * and the log: it never contains the credential.
 */
export type AuthDecision = { ok: true; user: string } | { ok: false; status: 401 | 403 | 503; reason: string };

/** Decides whether a request may proceed. Implementations: static tokens from a file, Kubernetes reviews. */
export interface Authenticator {
  /** "token" or "kubernetes": for logs and /api/v1/status-like views. */
  readonly kind: string;
  check(req: AuthRequest): Promise<AuthDecision>;
  /** Stop background work (file polling). */
  close(): void;
}

const BEARER = /^Bearer[ \t]+([^ \t]+)[ \t]*$/i;

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or another scheme. */
export function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const m = BEARER.exec(authorization);
  return m?.[1];
}

/** Refusal for a request that carries no bearer token. */
export const MISSING_TOKEN: AuthDecision = { ok: false, status: 401, reason: 'missing bearer token (send "Authorization: Bearer <token>")' };
