/**
 * The discovery contract. A provider sends target groups; each group has a unique `source`, an update
 * re-sends the whole group, an empty group means its targets are gone, and a provider that fails sends
 * nothing (never a partial list). The inventory is framework-neutral: one adapter per FaaS framework.
 */

export type Scheme = 'http' | 'https';

/** One pod of a function, as discovery sees it. Times are RFC 3339; unknown values are null. */
export interface PodInfo {
  uid: string;
  name: string;
  namespace: string;
  node: string | null;
  phase: string;
  ready: boolean;
  /** Restarts of the function container (of the first container for other pods). */
  restarts: number;
  /** The function container (named after the function), or null when the pod has none. */
  container: string | null;
  podIP: string | null;
  startTime: string | null;
  /** True once the pod has a deletionTimestamp: it is shutting down. */
  terminating: boolean;
  /** `function`: runs the function; `trigger`: a CronJob trigger's pod; `other`: carries the labels only. */
  role: 'function' | 'trigger' | 'other';
  /** Where its metrics are, from the `prometheus.io/*` annotations (defaults http, 8080, /metrics). */
  scrape: { enabled: boolean; scheme: Scheme; port: number; path: string };
  /** True when the pod is in its function's target group right now. */
  target: boolean;
  /** Why a function pod is not a target (no IP yet, scrape disabled, finished), else null. */
  notTargetReason: string | null;
}

export interface TriggerInfo {
  /** `http` (HTTPTrigger) or `cronjob` (CronJobTrigger). */
  kind: string;
  name: string;
  /** Kind-specific settings: host and path for HTTP, schedule for CronJob. */
  details: Record<string, string>;
}

/** One scrape endpoint, without the pod detail. */
export interface EndpointInfo {
  address: string;
  scheme: Scheme;
  metricsPath: string;
}

export interface FunctionInfo {
  namespace: string;
  name: string;
  /** `kubeless`, or `file` for functions listed in a file. */
  framework: string;
  /** The source of this function's target group. */
  source: string;
  runtime: string | null;
  handler: string | null;
  timeoutSeconds: number | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The `fnscope.io/slo-*` annotations with the prefix removed, e.g. `{availability: "99.9"}`. */
  slo: Record<string, string>;
  triggers: TriggerInfo[];
  /** False when pods carry the function's labels but no Function object exists (deleted, or a plain Deployment). */
  hasFunctionObject: boolean;
  createdAt: string | null;
  /** Pods that run the function, targets or not. */
  pods: PodInfo[];
  /** Pods with the function's labels that do not run it (CronJob trigger pods): never scrape targets. */
  otherPods: PodInfo[];
  /** The scrape endpoints of this function right now. */
  endpoints: EndpointInfo[];
}

export interface Inventory {
  functions: FunctionInfo[];
}

export interface Target {
  /** `host:port` (`[v6]:port` for IPv6). */
  address: string;
  scheme: Scheme;
  metricsPath: string;
  /** Per-target labels: pod, pod_uid, node, container for pods; nothing for file targets. */
  labels: Record<string, string>;
  /** The pod behind the target; absent for file targets. */
  pod?: PodInfo;
}

export interface TargetGroup {
  /** Unique across providers: `kubeless/<ns>/<fn>`, `file:<path>:<index>`. */
  source: string;
  /** Labels of every target in the group: namespace, function, runtime (when known), and file labels. */
  labels: Record<string, string>;
  targets: Target[];
}

/** The state of one watched resource (per namespace) or one file. */
export interface ResourceState {
  /** `pods`, `functions`, `httptriggers`, `cronjobtriggers`, or a file path. */
  resource: string;
  /** Namespace watched, or `*` for all; empty for files. */
  namespace: string;
  synced: boolean;
  /** Last time this resource was known current (list done, watch connected, event or bookmark). */
  lastSync: string | null;
  lastError: string;
  lastErrorAt: string | null;
  restarts: number;
  watchRestarts: number;
  /** An optional resource the server does not serve (e.g. a trigger CRD not installed). */
  absent: boolean;
}

export interface ProviderState {
  name: string;
  kind: 'kubernetes' | 'file';
  synced: boolean;
  /** The stalest of its resources' lastSync: everything was known current at least as of then. */
  lastSync: string | null;
  /** The most recent error of any of its resources, '' when none. */
  lastError: string;
  lastErrorAt: string | null;
  /** Restarts of its informers (after errors or a stalled watch), summed. */
  restarts: number;
  /** Watch reconnections inside running informers, summed. */
  watchRestarts: number;
  functions: number;
  pods: number;
  targets: number;
  resources: ResourceState[];
}

export interface DiscoveryState {
  ready: boolean;
  providers: ProviderState[];
}

/** Where a provider sends its output. */
export interface ProviderSink {
  /** Whole groups that changed; an empty `targets` means the group is gone. */
  groups(groups: TargetGroup[]): void;
  /** Called once, after the first complete set of groups has been sent. */
  synced(): void;
}

export interface DiscoveryProvider {
  readonly name: string;
  start(sink: ProviderSink): void;
  stop(): Promise<void>;
  isSynced(): boolean;
  state(): ProviderState;
  inventory(): FunctionInfo[];
}
