/** Builds the discovery stage from its configuration: a Kubernetes provider, a file provider, or both. */
import { KubeConfig } from '@kubernetes/client-node';
import type { Clock } from '../util/clock.ts';
import type { Logger } from '../util/logger.ts';
import { FileProvider } from './file/file-provider.ts';
import { DiscoveryManager } from './manager.ts';
import type { DiscoveryMetrics } from './metrics.ts';
import { kubeClientFromConfig } from './kubernetes/client.ts';
import type { InformerTuning } from './kubernetes/informer.ts';
import { KubernetesProvider } from './kubernetes/provider.ts';
import type { DiscoveryProvider } from './types.ts';

export interface KubernetesDiscoveryConfig extends InformerTuning {
  kubeConfig: KubeConfig;
  namespaces?: readonly string[];
  labelSelector?: string;
  nodeName?: string;
  ownsPod?: (podUid: string) => boolean;
  triggers?: boolean;
}

export interface DiscoveryConfig {
  kubernetes?: KubernetesDiscoveryConfig;
  /** file_sd files (YAML or JSON). */
  files?: readonly string[];
  fileRefreshIntervalMs?: number;
  /** Subscriber batching, ms (default 100). */
  batchMs?: number;
}

export interface DiscoveryDeps {
  clock: Clock;
  logger?: Logger;
  metrics?: DiscoveryMetrics;
}

/** A kubeconfig from a file, else the default chain ($KUBECONFIG, ~/.kube/config, in-cluster service account). */
export function loadKubeConfig(path?: string): KubeConfig {
  const kc = new KubeConfig();
  if (path !== undefined) kc.loadFromFile(path);
  else kc.loadFromDefault();
  return kc;
}

export function createDiscovery(cfg: DiscoveryConfig, deps: DiscoveryDeps): DiscoveryManager {
  const providers: DiscoveryProvider[] = [];
  const common = { clock: deps.clock, ...(deps.logger ? { logger: deps.logger } : {}), ...(deps.metrics ? { metrics: deps.metrics } : {}) };
  if (cfg.kubernetes) {
    const { kubeConfig, ...rest } = cfg.kubernetes;
    providers.push(new KubernetesProvider({ ...rest, ...common, client: kubeClientFromConfig(kubeConfig), kubeConfig }));
  }
  if (cfg.files && cfg.files.length > 0) {
    providers.push(new FileProvider({
      ...common, files: cfg.files, ...(cfg.fileRefreshIntervalMs !== undefined ? { refreshIntervalMs: cfg.fileRefreshIntervalMs } : {}),
    }));
  }
  return new DiscoveryManager({ ...common, providers, ...(cfg.batchMs !== undefined ? { batchMs: cfg.batchMs } : {}) });
}
