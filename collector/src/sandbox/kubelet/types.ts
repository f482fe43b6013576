/**
 * The contract between the sandbox's control plane (API server + controller) and its kubelet (which
 * runs each pod's function container as a real local process). The control plane decides which pods
 * exist; the kubelet runs them, restarts them with backoff, keeps their logs (current and previous
 * container) and reports container status changes.
 */

/** What a Function object asks for, as the controller reads it from the spec. */
export interface FunctionSpec {
  namespace: string;
  name: string;
  /** Kubeless runtime id, e.g. "python3.8", "nodejs14". */
  runtime: string;
  /** "module.function". */
  handler: string;
  /** Source text (already decoded from base64 if the Function said so). */
  source: string;
  /** Seconds (Kubeless default 180). */
  timeoutSeconds: number;
  deps?: string;
  /** Environment from the Function's deployment template, if any. */
  env?: Record<string, string>;
}

export interface PodRunSpec {
  namespace: string;
  podName: string;
  uid: string;
  /** The function container is named after the function. */
  containerName: string;
  function: FunctionSpec;
  /** Address and port the function process listens on (the pod IP and containerPort). */
  host: string;
  port: number;
}

/** One line a container wrote, as the kubelet records it. */
export interface LogEntry {
  /** RFC 3339 with nanoseconds, UTC, strictly increasing within one container's log. */
  time: string;
  stream: 'stdout' | 'stderr';
  /** The line without its trailing newline. */
  text: string;
}

/** One container instance's log: append-only; readers can replay then follow. */
export interface ContainerLog {
  entries(): readonly LogEntry[];
  /** Called for each new entry; returns an unsubscribe function. */
  subscribe(onEntry: (e: LogEntry) => void, onEnd: () => void): () => void;
  /** True once the container instance that wrote it has terminated. */
  readonly ended: boolean;
}

export interface ContainerStateRunning { startedAt: string }
export interface ContainerStateWaiting { reason: string; message?: string }
export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason: string;
  message?: string;
  startedAt: string;
  finishedAt: string;
}
export interface ContainerState {
  running?: ContainerStateRunning;
  waiting?: ContainerStateWaiting;
  terminated?: ContainerStateTerminated;
}

/** Mirrors core/v1 ContainerStatus for the function container. */
export interface ContainerStatusReport {
  name: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
  /** Pod phase implied by the container: Pending until first start, Running, Failed/Succeeded when stopped for good. */
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
}

export interface PodHandle {
  /** The current container instance's log, or the previous one's (undefined when there is none). */
  log(previous: boolean): ContainerLog | undefined;
  status(): ContainerStatusReport;
  /** Terminate the container (SIGTERM, then SIGKILL after the grace period) and stop restarting it. */
  stop(gracePeriodMs?: number): Promise<void>;
}

export interface Kubelet {
  /** Start running a pod; onStatus fires on every container status change. */
  runPod(spec: PodRunSpec, onStatus: (s: ContainerStatusReport) => void): PodHandle;
  /** Runtimes this machine can run (e.g. python needs a python3 on PATH). */
  availableRuntimes(): readonly string[];
  /** Stop every pod; resolves once every child process is gone. */
  shutdown(): Promise<void>;
}
