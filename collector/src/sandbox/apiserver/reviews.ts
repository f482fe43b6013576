/**
 * authentication.k8s.io/v1 TokenReview and authorization.k8s.io/v1 SubjectAccessReview, so that
 * `fnscope serve --auth kubernetes` can run against the sandbox. Users are static: the kubeconfig's
 * own token (a member of system:masters, allowed everything) and any extra users given to the server,
 * each with a list of allow rules in the spirit of RBAC's PolicyRules.
 */
import { timingSafeEqual } from 'node:crypto';
import { isPlainObject } from './types.ts';
import { badRequest, invalid } from './status.ts';

/** One thing a sandbox user may do: a resource rule or a non-resource rule. */
export interface SandboxAccessRule {
  /** "get", "list", "watch", "create"... or "*". */
  verb: string;
  /**
   * Resource rules: "pods", "pods/log", "functions.kubeless.io", "functions.kubeless.io/status" or
   * "*". As in RBAC, "pods" does not cover its subresources.
   */
  resource?: string;
  /** Resource rules only: the namespace the rule is limited to (default: every namespace). */
  namespace?: string;
  /** Non-resource rules: a path, a prefix ending in "*" (e.g. "/api/v1/*"), or "*". */
  nonResourceURL?: string;
}

/** A user the sandbox's TokenReview knows by its bearer token. */
export interface SandboxUser {
  token: string;
  name: string;
  uid?: string;
  /** system:authenticated is always added. */
  groups?: string[];
  allow: SandboxAccessRule[];
  /** Audiences the token is valid for (default: the API server's, SANDBOX_AUDIENCES). */
  audiences?: string[];
}

/** The audiences of the sandbox API server, like a cluster's default service-account issuer. */
export const SANDBOX_AUDIENCES: readonly string[] = ['https://kubernetes.default.svc.cluster.local'];
/** The user the kubeconfig's token authenticates as. */
export const SANDBOX_ADMIN = 'sandbox-admin';

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function pathMatches(pattern: string, path: string): boolean {
  if (pattern === '*') return true;
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}

function resourceMatches(pattern: string, a: Rec): boolean {
  if (pattern === '*') return true;
  const [res = '', sub] = pattern.split('/');
  const dot = res.indexOf('.');
  const name = dot < 0 ? res : res.slice(0, dot);
  const group = dot < 0 ? '' : res.slice(dot + 1);
  return name === str(a['resource']) && group === str(a['group']) && (sub ?? '') === str(a['subresource']);
}

/** Whether one rule allows a request given as SubjectAccessReview attributes. */
export function ruleAllows(r: SandboxAccessRule, attrs: { resource?: Rec; nonResource?: Rec }): boolean {
  if (attrs.nonResource) {
    const a = attrs.nonResource;
    return r.nonResourceURL !== undefined && (r.verb === '*' || r.verb === str(a['verb'])) && pathMatches(r.nonResourceURL, str(a['path']));
  }
  const a = attrs.resource ?? {};
  if (r.resource === undefined || (r.verb !== '*' && r.verb !== str(a['verb']))) return false;
  if (r.namespace !== undefined && r.namespace !== str(a['namespace'])) return false;
  return resourceMatches(r.resource, a);
}

export class AccessReviews {
  readonly #users: SandboxUser[];

  /** `adminToken`: the kubeconfig's token; `users`: extra users with limited permissions. */
  constructor(adminToken: string | undefined, users: readonly SandboxUser[] = []) {
    const admin: SandboxUser[] = adminToken
      ? [{ token: adminToken, name: SANDBOX_ADMIN, uid: 'sandbox-admin-uid', groups: ['system:masters'], allow: [{ verb: '*', resource: '*' }, { verb: '*', nonResourceURL: '*' }] }]
      : [];
    this.#users = [...admin, ...users];
  }

  /** The answer to a POSTed TokenReview. */
  tokenReview(body: unknown): Rec {
    const b = rec(body);
    if (b['kind'] !== 'TokenReview') throw badRequest(`expected a TokenReview, got kind ${JSON.stringify(b['kind'] ?? '')}`);
    const spec = rec(b['spec']);
    const token = str(spec['token']);
    if (token === '') throw invalid({ group: 'authentication.k8s.io', kind: 'TokenReview' }, '', [{ type: 'FieldValueRequired', field: 'spec.token' }]);
    const asked = Array.isArray(spec['audiences']) ? spec['audiences'].filter((x): x is string => typeof x === 'string') : [];
    // No audiences asked: the API server's own, as kube-apiserver does.
    const wanted = asked.length > 0 ? asked : [...SANDBOX_AUDIENCES];
    const out = { kind: 'TokenReview', apiVersion: 'authentication.k8s.io/v1', metadata: { creationTimestamp: null }, spec };
    const user = this.#users.find((u) => sameToken(u.token, token));
    if (!user) return { ...out, status: { user: {}, error: '[invalid bearer token, token lookup failed]' } };
    const valid = user.audiences ?? SANDBOX_AUDIENCES;
    const audiences = wanted.filter((a) => valid.includes(a));
    if (audiences.length === 0) {
      return { ...out, status: { user: {}, error: `[invalid bearer token, token audiences ${JSON.stringify(valid)} is invalid for the target audiences ${JSON.stringify(wanted)}]` } };
    }
    const groups = [...new Set([...(user.groups ?? []), 'system:authenticated'])];
    return { ...out, status: { authenticated: true, user: { username: user.name, uid: user.uid ?? `uid-${user.name}`, groups }, audiences } };
  }

  /** The answer to a POSTed SubjectAccessReview. */
  subjectAccessReview(body: unknown): Rec {
    const b = rec(body);
    if (b['kind'] !== 'SubjectAccessReview') throw badRequest(`expected a SubjectAccessReview, got kind ${JSON.stringify(b['kind'] ?? '')}`);
    const spec = rec(b['spec']);
    const resource = isPlainObject(spec['resourceAttributes']) ? spec['resourceAttributes'] : undefined;
    const nonResource = isPlainObject(spec['nonResourceAttributes']) ? spec['nonResourceAttributes'] : undefined;
    const kind = { group: 'authorization.k8s.io', kind: 'SubjectAccessReview' };
    if ((resource === undefined) === (nonResource === undefined)) {
      throw invalid(kind, '', [{ type: 'FieldValueInvalid', field: 'spec.resourceAttributes', value: '', detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' }]);
    }
    const name = str(spec['user']);
    const groups = Array.isArray(spec['groups']) ? spec['groups'].filter((x): x is string => typeof x === 'string') : [];
    if (name === '' && groups.length === 0) throw invalid(kind, '', [{ type: 'FieldValueInvalid', field: 'spec.user', value: '""', detail: 'at least one of user or group must be specified' }]);
    const attrs = { ...(resource ? { resource } : {}), ...(nonResource ? { nonResource } : {}) };
    const out = { kind: 'SubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec };
    if (groups.includes('system:masters')) return { ...out, status: { allowed: true, reason: 'the sandbox allows system:masters everything' } };
    const user = this.#users.find((u) => u.name === name);
    const rule = user?.allow.find((r) => ruleAllows(r, attrs));
    if (user && rule) return { ...out, status: { allowed: true, reason: `allowed by the sandbox rule ${JSON.stringify(rule)} of user "${user.name}"` } };
    return { ...out, status: { allowed: false } };
  }
}
