/** The kubeconfig the sandbox writes: one cluster (plain http on loopback), one user with a token, one context. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  token: string;
  /** Name used for the cluster, the user and the context. Default "fnscope-sandbox". */
  name?: string;
  namespace?: string;
}

export function kubeconfigYaml(o: KubeconfigOptions): string {
  const name = o.name ?? 'fnscope-sandbox';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    // client-node refuses a plain-http server unless TLS verification is marked as skipped; there is
    // no TLS to verify on the sandbox's loopback API, so saying so changes nothing for kubectl.
    clusters: [{ name, cluster: { server: o.server, ...(o.server.startsWith('http:') ? { 'insecure-skip-tls-verify': true } : {}) } }],
    users: [{ name, user: { token: o.token } }],
    contexts: [{ name, context: { cluster: name, user: name, namespace: o.namespace ?? 'default' } }],
    'current-context': name,
  });
}

/** Writes the kubeconfig (mode 0600, parent folders created). */
export function writeKubeconfig(path: string, o: KubeconfigOptions): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, kubeconfigYaml(o), { mode: 0o600 });
}
