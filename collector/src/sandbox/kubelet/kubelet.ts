import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../util/clock.ts';
import { ErrorCodes, FnscopeError } from '../../util/errors.ts';
import { silentLogger, type Logger } from '../../util/logger.ts';
import { RUNTIME_IDS, findOnPath, runtimeFamily, runtimeLaunch, writeFunctionFiles } from '../runtimes/index.ts';
import { KUBELET_BACKOFF, type BackoffOptions } from './backoff.ts';
import { MAX_CONTAINER_LOG_BYTES } from './container-log.ts';
import { LogTime } from './log-time.ts';
import { PodRunner } from './pod-runner.ts';
import { DEFAULT_READINESS, type ReadinessOptions } from './readiness.ts';
import type { ContainerStatusReport, Kubelet, PodHandle, PodRunSpec } from './types.ts';

/** Grace period that shutdown() gives each pod before killing it. */
export const SHUTDOWN_GRACE_PERIOD_MS = 2_000;

export interface KubeletOptions {
  logger?: Logger;
  clock?: Clock;
  /** Restart back-off; the kubelet's 10 s → 5 min by default. */
  restartBackoff?: BackoffOptions;
  readiness?: Partial<ReadinessOptions>;
  /** Bytes of log kept per container instance. */
  maxLogBytes?: number;
  /** Grace period per pod on shutdown(). */
  shutdownGracePeriodMs?: number;
  /** PATH searched for python3 and given to function processes (default: this process's PATH). */
  pathEnv?: string;
  /** Folder under which each pod gets its own working directory (default: the OS temp folder). */
  workRoot?: string;
}

/** Creates the sandbox's kubelet: it runs each pod's function container as a local process. */
export function createKubelet(opts: KubeletOptions = {}): Kubelet {
  return new LocalKubelet(opts);
}

class LocalKubelet implements Kubelet {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #logTime: LogTime;
  readonly #opts: KubeletOptions;
  readonly #pathEnv: string;
  readonly #python: string | undefined;
  readonly #pods = new Set<PodRunner>();
  readonly #onProcessExit = (): void => {
    for (const pod of this.#pods) pod.killNow();
  };

  constructor(opts: KubeletOptions) {
    this.#opts = opts;
    this.#clock = opts.clock ?? systemClock;
    this.#logger = opts.logger ?? silentLogger();
    this.#logTime = new LogTime(this.#clock);
    this.#pathEnv = opts.pathEnv ?? process.env['PATH'] ?? '';
    this.#python = findOnPath('python3', this.#pathEnv);
  }

  availableRuntimes(): readonly string[] {
    return [...(this.#python ? RUNTIME_IDS.python : []), ...RUNTIME_IDS.nodejs];
  }

  runPod(spec: PodRunSpec, onStatus: (s: ContainerStatusReport) => void): PodHandle {
    let dir: string | undefined;
    const pod: PodRunner = new PodRunner({
      spec,
      onStatus,
      clock: this.#clock,
      logTime: this.#logTime,
      logger: this.#logger,
      backoff: this.#opts.restartBackoff ?? KUBELET_BACKOFF,
      readiness: { ...DEFAULT_READINESS, ...this.#opts.readiness },
      maxLogBytes: this.#opts.maxLogBytes ?? MAX_CONTAINER_LOG_BYTES,
      prepare: () => {
        const family = runtimeFamily(spec.function.runtime);
        if (!family || (family === 'python' && !this.#python)) {
          throw new FnscopeError(ErrorCodes.SANDBOX_RUNTIME_UNAVAILABLE,
            `runtime "${spec.function.runtime}" is not available here (available: ${this.availableRuntimes().join(', ')})`);
        }
        dir = mkdtempSync(join(this.#opts.workRoot ?? tmpdir(), `fnscope-pod-${spec.podName}-`));
        writeFunctionFiles(spec.function, family, dir);
        const launch = runtimeLaunch(spec.function, family, {
          dir, podName: spec.podName, host: spec.host, port: spec.port, python: this.#python, pathEnv: this.#pathEnv,
        });
        return { cwd: dir, launch };
      },
      cleanup: () => {
        this.#pods.delete(pod);
        if (this.#pods.size === 0) process.removeListener('exit', this.#onProcessExit);
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    });
    if (this.#pods.size === 0) process.on('exit', this.#onProcessExit);
    this.#pods.add(pod);
    pod.start();
    return pod;
  }

  async shutdown(): Promise<void> {
    const grace = this.#opts.shutdownGracePeriodMs ?? SHUTDOWN_GRACE_PERIOD_MS;
    await Promise.all([...this.#pods].map((pod) => pod.stop(grace)));
    process.removeListener('exit', this.#onProcessExit);
  }
}
