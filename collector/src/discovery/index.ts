/** Discovery: which functions exist, their pods, and where to scrape them. */
export type {
  DiscoveryProvider, DiscoveryState, EndpointInfo, FunctionInfo, Inventory, PodInfo, ProviderSink, ProviderState,
  ResourceState, Scheme, Target, TargetGroup, TriggerInfo,
} from './types.ts';
export { createDiscovery, loadKubeConfig } from './create.ts';
export type { DiscoveryConfig, DiscoveryDeps, KubernetesDiscoveryConfig } from './create.ts';
export { DiscoveryManager } from './manager.ts';
export type { DiscoveryManagerOptions, GroupsListener } from './manager.ts';
export { discoveryMetricDefs, MemoryDiscoveryMetrics, noopDiscoveryMetrics } from './metrics.ts';
export type { DiscoveryCounter, DiscoveryGauge, DiscoveryMetrics, MetricDef } from './metrics.ts';
export { Backoff } from './backoff.ts';
export type { BackoffOptions } from './backoff.ts';
export { KubernetesProvider } from './kubernetes/provider.ts';
export type { KubernetesProviderOptions } from './kubernetes/provider.ts';
export { kubeClientFromConfig, podsResource, resourcePath } from './kubernetes/client.ts';
export type { KubeClient, KubeList, ResourceRef, Selectors, WatchFn, WatchQuery } from './kubernetes/client.ts';
export type { InformerTuning } from './kubernetes/informer.ts';
export type { FrameworkAdapter, FunctionObjects, FunctionView } from './kubernetes/adapter.ts';
export { kubelessAdapter } from './kubernetes/kubeless.ts';
export { FileProvider, fsWatchFile } from './file/file-provider.ts';
export type { FileProviderOptions, FileWatchHandle } from './file/file-provider.ts';
export { parseFileSd } from './file/parse.ts';
