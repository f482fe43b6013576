import { request } from 'node:http';

/** Timing of the /healthz readiness check. */
export interface ReadinessOptions {
  /** Between checks until the container is ready for the first time. */
  startupPeriodMs: number;
  /** Between checks once it has been ready (30 s: the period of the liveness probe Kubeless sets on /healthz). */
  periodMs: number;
  /** Per check (Kubernetes default timeoutSeconds: 1). */
  timeoutMs: number;
  /** Consecutive failures that make a ready container unready (Kubernetes default: 3). */
  failureThreshold: number;
}

export const DEFAULT_READINESS: ReadinessOptions = {
  startupPeriodMs: 100,
  periodMs: 30_000,
  timeoutMs: 1_000,
  failureThreshold: 3,
};

/** GET http://host:port/healthz; true when it answers 200 within timeoutMs. */
export function probeHealthz(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: '/healthz', method: 'GET', agent: false, timeout: timeoutMs, headers: { 'user-agent': 'kube-probe/1.32' } }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}
