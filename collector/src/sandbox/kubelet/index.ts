export { createKubelet, SHUTDOWN_GRACE_PERIOD_MS, type KubeletOptions } from './kubelet.ts';
export { KUBELET_BACKOFF, CrashBackoff, goDuration, type BackoffOptions } from './backoff.ts';
export { ContainerLogBuffer, MAX_CONTAINER_LOG_BYTES, MAX_LOG_LINE_CHARS } from './container-log.ts';
export { DEFAULT_READINESS, type ReadinessOptions } from './readiness.ts';
export { DEFAULT_GRACE_PERIOD_MS } from './pod-runner.ts';
export { LogTime, formatRfc3339Nano, parseRfc3339Nano } from './log-time.ts';
export type {
  ContainerLog,
  ContainerState,
  ContainerStateRunning,
  ContainerStateTerminated,
  ContainerStateWaiting,
  ContainerStatusReport,
  FunctionSpec,
  Kubelet,
  LogEntry,
  PodHandle,
  PodRunSpec,
} from './types.ts';
