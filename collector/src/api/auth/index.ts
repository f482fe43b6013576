/** Authentication and authorization of the collector's API, /metrics and live tail. See docs/security.md. */
export { bearerToken, MISSING_TOKEN } from './authenticator.ts';
export type { AuthDecision, Authenticator, AuthRequest } from './authenticator.ts';
export { TokenFileAuthenticator, parseTokenFile } from './token-file.ts';
export type { TokenFileOptions } from './token-file.ts';
export { KubernetesAuthenticator, DEFAULT_REVIEW_CACHE, verbOf } from './kubernetes.ts';
export type { KubernetesAuthOptions, ReviewCacheTtls } from './kubernetes.ts';
export { kubeReviewClient } from './kube-review-client.ts';
export type {
  KubeReviewClient,
  NonResourceAttributes,
  ResourceAttributes,
  ReviewedUser,
  SubjectAccessReviewSpec,
  SubjectAccessReviewStatus,
  TokenReviewStatus,
} from './kube-review-client.ts';
export { requireAuth, upgradeAuthorizer, OPEN_PATHS, UI_ASSET_PATHS, UI_ASSET_PREFIX } from './middleware.ts';
export type { RequireAuthOptions } from './middleware.ts';
export { parseResourceAttributes, resolveAuthPolicy } from './policy.ts';
export type { AuthFlags, AuthPolicy } from './policy.ts';
export { createAuthenticator } from './create.ts';
export type { AuthDeps } from './create.ts';
export { TtlCache } from './ttl-cache.ts';
