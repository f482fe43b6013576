import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import type { Clock } from '../../util/clock.ts';
import type { RuntimeLaunch } from '../runtimes/index.ts';
import { LineSplitter } from './line-splitter.ts';
import type { LogEntry } from './types.ts';

/** How long to wait for the output pipes to close after the main process has gone. */
export const PIPE_CLOSE_WAIT_MS = 2_000;

export interface ExitInfo {
  /** Exit status as Kubernetes reports it: the code, or 128 + the signal number. */
  exitCode: number;
  signal: number | undefined;
  /** Set when the process could not be started at all. */
  startError: Error | undefined;
}

/**
 * One container instance: a process in its own process group (like a container's PID namespace),
 * with every output line handed over as it arrives. When the main process ends, everything left in
 * its group is killed, as a container's other processes die with its PID 1.
 */
export class ContainerProcess {
  readonly #child: ChildProcess;
  readonly #splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  readonly #onLine: (stream: LogEntry['stream'], text: string) => void;
  readonly #clock: Clock;
  readonly done: Promise<ExitInfo>;
  #exited = false;
  #startError: Error | undefined;

  constructor(launch: RuntimeLaunch, cwd: string, clock: Clock, onLine: (stream: LogEntry['stream'], text: string) => void) {
    this.#onLine = onLine;
    this.#clock = clock;
    this.#child = spawn(launch.command, launch.args, { cwd, env: launch.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of ['stdout', 'stderr'] as const) {
      this.#child[stream]?.on('data', (chunk: Buffer) => {
        for (const line of this.#splitters[stream].push(chunk)) this.#onLine(stream, line);
      });
    }
    this.done = new Promise((resolve) => {
      let settled = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (settled) return;
        settled = true;
        this.#flush();
        resolve(exitInfo(code, signal, this.#startError));
      };
      this.#child.once('error', (err) => {
        this.#startError = err;
        if (this.#child.pid === undefined) finish(null, null);
      });
      this.#child.once('exit', (code, signal) => {
        this.#exited = true;
        this.killGroup();
        const timer = this.#clock.setTimeout(() => finish(code, signal), PIPE_CLOSE_WAIT_MS);
        this.#child.once('close', () => {
          timer.cancel();
          finish(code, signal);
        });
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get exited(): boolean {
    return this.#exited;
  }

  /** Sends a signal to the main process only, as the container runtime does on stop. */
  signal(sig: NodeJS.Signals): void {
    if (this.#exited || this.#child.pid === undefined) return;
    try {
      process.kill(this.#child.pid, sig);
    } catch {
      // already gone
    }
  }

  /** SIGKILL to every process of the group; synchronous, safe to call at any time. */
  killGroup(): void {
    const pid = this.#child.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is empty
    }
  }

  #flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.#splitters[stream].flush();
      if (rest !== undefined) this.#onLine(stream, rest);
    }
  }
}

function exitInfo(code: number | null, signal: NodeJS.Signals | null, startError: Error | undefined): ExitInfo {
  if (startError && code === null && signal === null) return { exitCode: 128, signal: undefined, startError };
  if (signal !== null) {
    const num = constants.signals[signal];
    return { exitCode: 128 + num, signal: num, startError: undefined };
  }
  return { exitCode: code ?? 0, signal: undefined, startError: undefined };
}
