import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Clock } from '../../util/clock.ts';
import { ErrorCodes, FnscopeError } from '../../util/errors.ts';
import type { Authenticator } from './authenticator.ts';
import { kubeReviewClient, type KubeReviewClient, type ResourceAttributes } from './kube-review-client.ts';
import { KubernetesAuthenticator, type ReviewCacheTtls } from './kubernetes.ts';
import type { AuthPolicy } from './policy.ts';
import { TokenFileAuthenticator } from './token-file.ts';

export interface AuthDeps {
  clock: Clock;
  logger: Logger;
  /** The cluster the reviews go to (the collector's own). */
  kubeConfig?: KubeConfig;
  /** Instead of kubeConfig: a review client (tests). */
  reviewClient?: KubeReviewClient;
  audiences?: readonly string[];
  resourceAttributes?: Omit<ResourceAttributes, 'verb'>;
  cache?: Partial<ReviewCacheTtls>;
  tokenReloadIntervalMs?: number;
}

/** The authenticator a policy asks for; undefined when the policy is "none". */
export async function createAuthenticator(policy: AuthPolicy, deps: AuthDeps): Promise<Authenticator | undefined> {
  switch (policy.mode) {
    case 'none':
      return undefined;
    case 'token':
      return TokenFileAuthenticator.open({
        path: policy.tokenFile,
        clock: deps.clock,
        logger: deps.logger,
        ...(deps.tokenReloadIntervalMs !== undefined ? { reloadIntervalMs: deps.tokenReloadIntervalMs } : {}),
      });
    case 'kubernetes': {
      const client = deps.reviewClient ?? (deps.kubeConfig ? kubeReviewClient(deps.kubeConfig) : undefined);
      if (!client) throw new FnscopeError(ErrorCodes.CONFIG_INVALID, '--auth kubernetes needs a Kubernetes API (in-cluster service account or --kubeconfig)');
      return new KubernetesAuthenticator({
        client,
        clock: deps.clock,
        logger: deps.logger,
        ...(deps.audiences ? { audiences: deps.audiences } : {}),
        ...(deps.resourceAttributes ? { resourceAttributes: deps.resourceAttributes } : {}),
        ...(deps.cache ? { cache: deps.cache } : {}),
      });
    }
  }
}
