import { isLoopback } from '../server.ts';
import type { ResourceAttributes } from './kube-review-client.ts';
import { ErrorCodes, FnscopeError, UsageError } from '../../util/errors.ts';

/** The authentication flags of `fnscope serve`. */
export interface AuthFlags {
  /** --auth token|kubernetes */
  auth?: string;
  /** --token-file F (implies --auth token) */
  tokenFile?: string;
  /** --insecure-no-auth */
  insecureNoAuth?: boolean;
}

/** What the collector does about authentication. */
export type AuthPolicy =
  | { mode: 'none'; /** true when listening beyond loopback with --insecure-no-auth */ insecure: boolean }
  | { mode: 'token'; tokenFile: string }
  | { mode: 'kubernetes' };

/**
 * Decides the authentication of the API from the listen host and the flags. On loopback nothing is
 * required; beyond it a token file or Kubernetes reviews are mandatory unless --insecure-no-auth says
 * otherwise. Contradictory flags are a usage error; a missing choice beyond loopback is refused with
 * FNS_API_AUTH_REQUIRED.
 */
export function resolveAuthPolicy(listenHost: string, opts: AuthFlags): AuthPolicy {
  const auth = opts.auth;
  if (auth !== undefined && auth !== 'token' && auth !== 'kubernetes') {
    throw new UsageError(`--auth must be "token" or "kubernetes", not "${auth}"`);
  }
  if (opts.insecureNoAuth && (auth !== undefined || opts.tokenFile !== undefined)) {
    throw new UsageError('--insecure-no-auth cannot be combined with --auth or --token-file');
  }
  if (auth === 'kubernetes') {
    if (opts.tokenFile !== undefined) throw new UsageError('--token-file belongs to --auth token, not --auth kubernetes');
    return { mode: 'kubernetes' };
  }
  if (auth === 'token' || opts.tokenFile !== undefined) {
    if (opts.tokenFile === undefined || opts.tokenFile === '') throw new UsageError('--auth token needs --token-file F (one bearer token per line)');
    return { mode: 'token', tokenFile: opts.tokenFile };
  }
  if (isLoopback(listenHost)) return { mode: 'none', insecure: false };
  if (opts.insecureNoAuth) return { mode: 'none', insecure: true };
  throw new FnscopeError(
    ErrorCodes.API_AUTH_REQUIRED,
    `refusing to serve the API on ${listenHost} without authentication: beyond loopback, give --token-file F (static bearer tokens), ` +
      '--auth kubernetes (TokenReview + SubjectAccessReview), or --insecure-no-auth to accept anyone who can reach the port',
  );
}

const RA_KEYS = new Set(['namespace', 'group', 'version', 'resource', 'subresource', 'name']);

/**
 * `namespace=fnscope,resource=services,subresource=proxy,name=fnscope` (the value of
 * --auth-resource-attributes) to resource attributes; `resource` is required.
 */
export function parseResourceAttributes(s: string): Omit<ResourceAttributes, 'verb'> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    const k = eq < 0 ? p : p.slice(0, eq).trim();
    if (eq < 0 || !RA_KEYS.has(k)) throw new UsageError(`--auth-resource-attributes: "${p}" is not one of ${[...RA_KEYS].map((x) => `${x}=…`).join(', ')}`);
    out[k] = p.slice(eq + 1).trim();
  }
  if (!out['resource']) throw new UsageError('--auth-resource-attributes needs resource=…');
  return out;
}
