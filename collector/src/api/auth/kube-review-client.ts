import { AuthenticationV1Api, AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';

/** The user a TokenReview names. */
export interface ReviewedUser {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** status of an authentication.k8s.io/v1 TokenReview. */
export interface TokenReviewStatus {
  authenticated?: boolean;
  user?: ReviewedUser;
  audiences?: string[];
  error?: string;
}

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributes {
  path: string;
  verb: string;
}

/** spec of an authorization.k8s.io/v1 SubjectAccessReview. */
export interface SubjectAccessReviewSpec {
  user?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
}

/** status of a SubjectAccessReview. */
export interface SubjectAccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** The two review APIs the Kubernetes authenticator needs (injected; fakes in tests). */
export interface KubeReviewClient {
  tokenReview(token: string, audiences?: readonly string[]): Promise<TokenReviewStatus>;
  subjectAccessReview(spec: SubjectAccessReviewSpec): Promise<SubjectAccessReviewStatus>;
}

/**
 * The review APIs over @kubernetes/client-node: POST /apis/authentication.k8s.io/v1/tokenreviews and
 * POST /apis/authorization.k8s.io/v1/subjectaccessreviews, authenticated as the collector's own
 * service account (or kubeconfig user). Errors carry the HTTP code only: the API server echoes the
 * reviewed token in its answers, so no answer body is ever put in an error message.
 */
export function kubeReviewClient(kc: KubeConfig): KubeReviewClient {
  const authn = kc.makeApiClient(AuthenticationV1Api);
  const authz = kc.makeApiClient(AuthorizationV1Api);
  const scrub = (what: string, e: unknown): Error => {
    const code = (e as { code?: unknown }).code;
    return new Error(`${what} failed${typeof code === 'number' ? ` (HTTP ${code})` : (e as Error).name === 'TypeError' ? ' (network error)' : ''}`);
  };
  return {
    async tokenReview(token, audiences) {
      try {
        const r = await authn.createTokenReview({
          body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token, ...(audiences && audiences.length > 0 ? { audiences: [...audiences] } : {}) } },
        });
        return (r.status ?? {}) as TokenReviewStatus;
      } catch (e) {
        throw scrub('TokenReview', e);
      }
    },
    async subjectAccessReview(spec) {
      try {
        const r = await authz.createSubjectAccessReview({
          body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec },
        });
        return r.status ?? { allowed: false };
      } catch (e) {
        throw scrub('SubjectAccessReview', e);
      }
    },
  };
}
