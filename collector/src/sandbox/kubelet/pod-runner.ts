import type { Logger } from '../../util/logger.ts';
import type { Clock, Timer } from '../../util/clock.ts';
import type { RuntimeLaunch } from '../runtimes/index.ts';
import { CrashBackoff, goDuration, type BackoffOptions } from './backoff.ts';
import { ContainerLogBuffer } from './container-log.ts';
import { ContainerProcess, type ExitInfo } from './container-process.ts';
import type { LogTime } from './log-time.ts';
import { probeHealthz, type ReadinessOptions } from './readiness.ts';
import type { ContainerLog, ContainerState, ContainerStateTerminated, ContainerStatusReport, PodHandle, PodRunSpec } from './types.ts';

/** Grace period of stop() when none is given (Kubernetes' terminationGracePeriodSeconds default). */
export const DEFAULT_GRACE_PERIOD_MS = 30_000;

export interface PodRunnerOptions {
  spec: PodRunSpec;
  onStatus: (s: ContainerStatusReport) => void;
  clock: Clock;
  logTime: LogTime;
  logger: Logger;
  backoff: BackoffOptions;
  readiness: ReadinessOptions;
  maxLogBytes: number;
  /** Prepares the container's files and returns how to start it; throws when it cannot run here. */
  prepare: () => { cwd: string; launch: RuntimeLaunch };
  /** Called once the pod has stopped for good (to remove its files). */
  cleanup: () => void;
}

interface Instance {
  proc: ContainerProcess;
  log: ContainerLogBuffer;
  startedAt: string;
}

/**
 * Runs one pod's function container: start, readiness, restart with back-off, logs of the current and
 * the previous instance, and status reports shaped like core/v1 ContainerStatus.
 */
export class PodRunner implements PodHandle {
  readonly #o: PodRunnerOptions;
  readonly #backoff: CrashBackoff;
  #status: ContainerStatusReport;
  #prepared: { cwd: string; launch: RuntimeLaunch } | undefined;
  #instance: Instance | undefined;
  /** Log of the most recent instance (running or not) and of the one before it. */
  #currentLog: ContainerLogBuffer | undefined;
  #lastTerminatedLog: ContainerLogBuffer | undefined;
  #restartTimer: Timer | undefined;
  #probeTimer: Timer | undefined;
  #probeFailures = 0;
  #stopped = false;
  #stopping: Promise<void> | undefined;

  constructor(opts: PodRunnerOptions) {
    this.#o = opts;
    this.#backoff = new CrashBackoff(opts.backoff);
    this.#status = {
      name: opts.spec.containerName,
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      phase: 'Pending',
    };
  }

  start(): void {
    this.#report({});
    try {
      this.#prepared = this.#o.prepare();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.#o.logger.warn({ pod: this.#o.spec.podName, err: message }, 'function container cannot be created');
      this.#report({ state: { waiting: { reason: 'CreateContainerError', message } } });
      return;
    }
    this.#spawn();
  }

  /**
   * As the kubelet picks them: `previous` is the instance named by lastState.terminated; the current
   * log is the newest instance's, or while waiting to restart, that of the last terminated one.
   */
  log(previous: boolean): ContainerLog | undefined {
    const st = this.#status;
    if (previous || st.state.waiting) return st.lastState.terminated ? this.#lastTerminatedLog : undefined;
    return this.#currentLog;
  }

  status(): ContainerStatusReport {
    return structuredClone(this.#status);
  }

  /** The main process id of the running instance, if any. */
  get pid(): number | undefined {
    return this.#instance?.proc.pid;
  }

  stop(gracePeriodMs = DEFAULT_GRACE_PERIOD_MS): Promise<void> {
    if (this.#stopping) return this.#stopping;
    this.#stopped = true;
    this.#restartTimer?.cancel();
    this.#probeTimer?.cancel();
    const inst = this.#instance;
    if (!inst) {
      const last = this.#status.lastState.terminated;
      if (last && this.#status.state.waiting) {
        this.#report({ state: { terminated: last }, phase: last.exitCode === 0 ? 'Succeeded' : 'Failed' });
      } else if (!this.#status.state.terminated) {
        this.#report({ phase: 'Failed' });
      }
      this.#o.cleanup();
      this.#stopping = Promise.resolve();
      return this.#stopping;
    }
    inst.proc.signal('SIGTERM');
    const kill = this.#o.clock.setTimeout(() => inst.proc.killGroup(), Math.max(0, gracePeriodMs));
    this.#stopping = inst.proc.done.then(() => {
      kill.cancel();
    });
    return this.#stopping;
  }

  /** Kills every process of the pod at once, synchronously (for process exit). */
  killNow(): void {
    this.#stopped = true;
    this.#instance?.proc.killGroup();
  }

  #spawn(): void {
    const prepared = this.#prepared!;
    const log = new ContainerLogBuffer(this.#o.logTime, this.#o.maxLogBytes);
    const proc = new ContainerProcess(prepared.launch, prepared.cwd, this.#o.clock, (stream, text) => log.append(stream, text));
    const inst: Instance = { proc, log, startedAt: this.#isoNow() };
    this.#instance = inst;
    if (this.#currentLog) this.#lastTerminatedLog = this.#currentLog;
    this.#currentLog = log;
    this.#probeFailures = 0;
    this.#report({ state: { running: { startedAt: inst.startedAt } }, started: true, ready: false, phase: 'Running' });
    this.#o.logger.debug({ pod: this.#o.spec.podName, pid: proc.pid }, 'function container started');
    this.#scheduleProbe(0);
    void proc.done.then((info) => this.#onExit(inst, info));
  }

  #scheduleProbe(delayMs: number): void {
    this.#probeTimer = this.#o.clock.setTimeout(() => void this.#probe(), delayMs);
  }

  async #probe(): Promise<void> {
    const inst = this.#instance;
    if (!inst || this.#stopped) return;
    const { host, port } = this.#o.spec;
    const ok = await probeHealthz(host, port, this.#o.readiness.timeoutMs);
    if (this.#instance !== inst || this.#stopped || inst.proc.exited) return;
    const r = this.#o.readiness;
    if (ok) {
      this.#probeFailures = 0;
      if (!this.#status.ready) this.#report({ ready: true });
    } else if (this.#status.ready && ++this.#probeFailures >= r.failureThreshold) {
      this.#report({ ready: false });
    }
    this.#scheduleProbe(this.#status.ready || this.#probeFailures > 0 ? r.periodMs : r.startupPeriodMs);
  }

  #onExit(inst: Instance, info: ExitInfo): void {
    this.#probeTimer?.cancel();
    inst.log.end();
    if (this.#instance === inst) this.#instance = undefined;
    const finishedMs = this.#o.clock.now();
    const finishedAt = isoSeconds(finishedMs);
    const terminated: ContainerStateTerminated = {
      exitCode: info.exitCode,
      reason: info.startError ? 'StartError' : info.exitCode === 0 ? 'Completed' : 'Error',
      startedAt: inst.startedAt,
      finishedAt,
    };
    if (info.signal !== undefined) terminated.signal = info.signal;
    if (info.startError) terminated.message = info.startError.message;
    this.#o.logger.debug({ pod: this.#o.spec.podName, exitCode: info.exitCode }, 'function container exited');
    if (this.#stopped) {
      this.#report({ state: { terminated }, ready: false, started: false, phase: info.exitCode === 0 ? 'Succeeded' : 'Failed' });
      this.#o.cleanup();
      return;
    }
    this.#report({ state: { terminated }, ready: false, started: false });
    const delay = this.#backoff.delayAfterCrash(finishedMs, this.#o.clock.now());
    if (delay > 0) {
      const { podName, namespace, uid, containerName } = this.#o.spec;
      const message = `back-off ${goDuration(this.#backoff.current())} restarting failed container=${containerName} pod=${podName}_${namespace}(${uid})`;
      this.#lastTerminatedLog = this.#currentLog;
      this.#report({ state: { waiting: { reason: 'CrashLoopBackOff', message } }, lastState: { terminated } });
    }
    this.#restartTimer = this.#o.clock.setTimeout(() => {
      if (this.#stopped) return;
      if (delay > 0) this.#backoff.restarted(this.#o.clock.now());
      this.#status.restartCount += 1;
      this.#status.lastState = { terminated };
      this.#spawn();
    }, delay);
  }

  #isoNow(): string {
    return isoSeconds(this.#o.clock.now());
  }

  #report(patch: Partial<ContainerStatusReport> & { state?: ContainerState }): void {
    this.#status = { ...this.#status, ...patch };
    this.#o.onStatus(this.status());
  }
}

/** Kubernetes status times: RFC 3339 in whole seconds. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
