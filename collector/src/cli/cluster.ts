import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { ErrorCodes, FnscopeError } from '../util/errors.ts';

export type DetectedCluster = { kind: 'in-cluster' } | { kind: 'kubeconfig'; path: string };

/** Where the cluster comes from when no flag says: in-cluster, then $KUBECONFIG / ~/.kube/config, else none. */
export function detectCluster(env: NodeJS.ProcessEnv): DetectedCluster | undefined {
  if (env['KUBERNETES_SERVICE_HOST'] && existsSync('/var/run/secrets/kubernetes.io/serviceaccount/token')) return { kind: 'in-cluster' };
  const file = kubeconfigFile(env);
  return file !== undefined ? { kind: 'kubeconfig', path: file } : undefined;
}

/**
 * The kubeconfig of a command that talks to a cluster, found as kubectl finds it: the file given, else
 * $KUBECONFIG, ~/.kube/config, the pod's service account; null when there is none.
 * (KubeConfig.loadFromDefault() makes up http://localhost:8080 instead, and the first request then fails
 * with a message about TLS.) The client library is loaded here, not when the CLI starts (about 1 s).
 */
export async function loadClusterConfig(path: string | undefined, env: NodeJS.ProcessEnv): Promise<KubeConfig | null> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  const file = path ?? kubeconfigFile(env);
  try {
    if (file !== undefined) kc.loadFromFile(file);
    else if (detectCluster(env)?.kind === 'in-cluster') kc.loadFromCluster();
    else return null;
  } catch (e) {
    throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `cannot load the kubeconfig${file !== undefined ? ` ${file}` : ' of the pod'}: ${(e as Error).message}`, { cause: e });
  }
  return kc;
}

function kubeconfigFile(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env['KUBECONFIG']?.split(':').find((p) => p && existsSync(p));
  if (fromEnv) return fromEnv;
  const home = join(env['HOME'] ?? homedir(), '.kube', 'config');
  return existsSync(home) ? home : undefined;
}
