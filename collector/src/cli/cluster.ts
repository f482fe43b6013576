import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ErrorCodes, FnscopeError } from '../util/errors.ts';

export type DetectedCluster = { kind: 'in-cluster' } | { kind: 'kubeconfig'; path: string };

/** Where the cluster comes from when no flag says: in-cluster, then $KUBECONFIG / ~/.kube/config, else none. */
export function detectCluster(env: NodeJS.ProcessEnv): DetectedCluster | undefined {
  if (inCluster(env)) return { kind: 'in-cluster' };
  const file = kubeconfigFile(env);
  return file !== undefined ? { kind: 'kubeconfig', path: file } : undefined;
}

/**
 * The cluster's KubeConfig; a kubeconfig that cannot be read is FNS_CONFIG_INVALID naming it. The client
 * library is loaded here, not when the CLI starts (about 1 s).
 */
export async function loadCluster(c: DetectedCluster): Promise<KubeConfig> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (c.kind === 'in-cluster') kc.loadFromCluster();
    else kc.loadFromFile(c.path);
  } catch (e) {
    throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `cannot load the kubeconfig ${c.kind === 'in-cluster' ? 'of the pod' : c.path}: ${(e as Error).message}`, { cause: e });
  }
  return kc;
}

/**
 * The kubeconfig of a command that talks to a cluster, found as kubectl finds it: the file given, else
 * $KUBECONFIG, ~/.kube/config, the pod's service account; null when there is none.
 * (KubeConfig.loadFromDefault() makes up http://localhost:8080 instead, and the first request then fails
 * with a message about TLS.)
 */
export async function loadClusterConfig(path: string | undefined, env: NodeJS.ProcessEnv): Promise<KubeConfig | null> {
  const file = path ?? kubeconfigFile(env);
  if (file !== undefined) return loadCluster({ kind: 'kubeconfig', path: file });
  return inCluster(env) ? loadCluster({ kind: 'in-cluster' }) : null;
}

function inCluster(env: NodeJS.ProcessEnv): boolean {
  return env['KUBERNETES_SERVICE_HOST'] !== undefined && env['KUBERNETES_SERVICE_HOST'] !== '' && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token');
}

function kubeconfigFile(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env['KUBECONFIG']?.split(':').find((p) => p && existsSync(p));
  if (fromEnv) return fromEnv;
  const home = join(env['HOME'] ?? homedir(), '.kube', 'config');
  return existsSync(home) ? home : undefined;
}
