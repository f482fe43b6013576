import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../util/clock.ts';
import { bearerToken, MISSING_TOKEN, type AuthDecision, type Authenticator, type AuthRequest } from './authenticator.ts';
import type { KubeReviewClient, ResourceAttributes, ReviewedUser, SubjectAccessReviewSpec } from './kube-review-client.ts';
import { TtlCache } from './ttl-cache.ts';

/** How long decisions are remembered. Defaults follow kube-rbac-proxy / the API server's webhook authorizer. */
export interface ReviewCacheTtls {
  /** An authenticated token (default 2 min). */
  authenticatedMs: number;
  /** A rejected token (default 10 s). */
  unauthenticatedMs: number;
  /** An allowed SubjectAccessReview (default 5 min). */
  allowedMs: number;
  /** A denied SubjectAccessReview (default 30 s). */
  deniedMs: number;
  /** Most entries per cache (default 10 000; oldest out). */
  maxEntries: number;
}

export const DEFAULT_REVIEW_CACHE: Readonly<ReviewCacheTtls> = {
  authenticatedMs: 120_000,
  unauthenticatedMs: 10_000,
  allowedMs: 300_000,
  deniedMs: 30_000,
  maxEntries: 10_000,
};

export interface KubernetesAuthOptions {
  client: KubeReviewClient;
  clock: Clock;
  logger: Logger;
  /** Audiences the token must be valid for (TokenReview spec.audiences); default: the API server's. */
  audiences?: readonly string[];
  /**
   * Authorize against a resource, kube-rbac-proxy's --resource-attributes: e.g. {namespace: "fnscope",
   * resource: "services", subresource: "proxy", name: "fnscope"}; the verb comes from the HTTP method.
   * Absent: a non-resource check of the request path with the method's verb ("get" for GET/HEAD).
   */
  resourceAttributes?: Omit<ResourceAttributes, 'verb'>;
  cache?: Partial<ReviewCacheTtls>;
}

/** The verb kube-rbac-proxy derives from an HTTP method. */
export function verbOf(method: string): string {
  switch (method.toUpperCase()) {
    case 'GET':
    case 'HEAD':
      return 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      return method.toLowerCase();
  }
}

type Authn = { user: ReviewedUser } | { reason: string };

/**
 * Authentication by TokenReview and authorization by SubjectAccessReview, the way kube-rbac-proxy
 * does it: the bearer token goes to the API server, which names the user; the API server then says
 * whether that user may `get` this path (or the configured resource). Decisions are cached briefly,
 * keyed by the token's SHA-256 (the token itself is never stored) and the request attributes.
 */
export class KubernetesAuthenticator implements Authenticator {
  readonly kind = 'kubernetes';
  readonly #o: KubernetesAuthOptions;
  readonly #ttl: ReviewCacheTtls;
  readonly #authn: TtlCache<Authn>;
  readonly #authz: TtlCache<{ allowed: boolean; reason: string }>;
  readonly #inflight = new Map<string, Promise<AuthDecision>>();
  /** Reviews actually sent (for tests and metrics). */
  readonly calls = { tokenReviews: 0, subjectAccessReviews: 0 };

  constructor(o: KubernetesAuthOptions) {
    this.#o = o;
    this.#ttl = { ...DEFAULT_REVIEW_CACHE, ...o.cache };
    this.#authn = new TtlCache(o.clock, this.#ttl.maxEntries);
    this.#authz = new TtlCache(o.clock, this.#ttl.maxEntries);
  }

  check(req: AuthRequest): Promise<AuthDecision> {
    const token = bearerToken(req.authorization);
    if (token === undefined) return Promise.resolve(MISSING_TOKEN);
    const tokenKey = createHash('sha256').update(token, 'utf8').digest('hex');
    const verb = verbOf(req.method);
    const key = `${tokenKey}\0${verb}\0${req.path}`;
    let p = this.#inflight.get(key);
    if (p === undefined) {
      p = this.#decide(token, tokenKey, verb, req.path).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, p);
    }
    return p;
  }

  close(): void {}

  async #decide(token: string, tokenKey: string, verb: string, path: string): Promise<AuthDecision> {
    let authn = this.#authn.get(tokenKey);
    if (authn === undefined) {
      try {
        authn = await this.#review(token);
      } catch (e) {
        this.#o.logger.warn({ err: (e as Error).message }, 'TokenReview failed; refusing the request');
        return { ok: false, status: 503, reason: 'cannot verify the token: the Kubernetes API did not answer the TokenReview' };
      }
      this.#authn.set(tokenKey, authn, 'user' in authn ? this.#ttl.authenticatedMs : this.#ttl.unauthenticatedMs);
    }
    if (!('user' in authn)) return { ok: false, status: 401, reason: authn.reason };
    const user = authn.user;
    const spec = this.#sarSpec(user, verb, path);
    const zKey = `${user.username}\0${user.uid ?? ''}\0${(user.groups ?? []).join(',')}\0${JSON.stringify(spec.resourceAttributes ?? spec.nonResourceAttributes)}`;
    let z = this.#authz.get(zKey);
    if (z === undefined) {
      try {
        this.calls.subjectAccessReviews++;
        const st = await this.#o.client.subjectAccessReview(spec);
        z = { allowed: st.allowed && st.denied !== true, reason: st.reason ?? '' };
      } catch (e) {
        this.#o.logger.warn({ err: (e as Error).message, user: user.username }, 'SubjectAccessReview failed; refusing the request');
        return { ok: false, status: 503, reason: 'cannot authorize: the Kubernetes API did not answer the SubjectAccessReview' };
      }
      this.#authz.set(zKey, z, z.allowed ? this.#ttl.allowedMs : this.#ttl.deniedMs);
    }
    if (!z.allowed) {
      const what = spec.resourceAttributes ? `${verb} on ${describeResource(spec.resourceAttributes)}` : `${verb} on ${path}`;
      this.#o.logger.debug({ user: user.username, verb, path }, 'request forbidden by SubjectAccessReview');
      return { ok: false, status: 403, reason: `user "${user.username}" may not ${what}${z.reason ? ` (${z.reason})` : ''}` };
    }
    return { ok: true, user: user.username };
  }

  async #review(token: string): Promise<Authn> {
    this.calls.tokenReviews++;
    const st = await this.#o.client.tokenReview(token, this.#o.audiences);
    if (st.authenticated !== true || st.user?.username === undefined) return { reason: 'invalid bearer token' };
    const want = this.#o.audiences ?? [];
    if (want.length > 0 && !(st.audiences ?? []).some((a) => want.includes(a))) return { reason: 'bearer token not valid for this audience' };
    return { user: st.user };
  }

  #sarSpec(user: ReviewedUser, verb: string, path: string): SubjectAccessReviewSpec {
    const who = {
      user: user.username,
      ...(user.uid !== undefined ? { uid: user.uid } : {}),
      ...(user.groups !== undefined ? { groups: user.groups } : {}),
      ...(user.extra !== undefined ? { extra: user.extra } : {}),
    };
    const ra = this.#o.resourceAttributes;
    if (ra) return { ...who, resourceAttributes: { ...ra, verb } };
    return { ...who, nonResourceAttributes: { path, verb } };
  }
}

function describeResource(ra: ResourceAttributes): string {
  const r = [ra.group ? `${ra.resource ?? ''}.${ra.group}` : ra.resource ?? '', ra.subresource].filter(Boolean).join('/');
  return `${r}${ra.name ? ` "${ra.name}"` : ''}${ra.namespace ? ` in namespace ${ra.namespace}` : ''}`;
}
