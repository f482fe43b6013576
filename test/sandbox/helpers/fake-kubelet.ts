/**
 * A Kubelet for fast tests: each pod is an in-process HTTP server on its port (POST / echoes the body,
 * GET /healthz answers 200), with a log, crashes and restarts driven by the test.
 */
import { createServer, type Server } from 'node:http';
import type { Clock } from '../../../collector/src/util/clock.ts';
import { systemClock } from '../../../collector/src/util/clock.ts';
import type { ContainerLog, ContainerStatusReport, Kubelet, PodHandle, PodRunSpec } from '../../../collector/src/sandbox/kubelet/types.ts';
import { MemoryLog } from '../../../collector/src/sandbox/controller/memory-log.ts';

export class FakePod implements PodHandle {
  readonly spec: PodRunSpec;
  readonly #clock: Clock;
  readonly #onStatus: (s: ContainerStatusReport) => void;
  #status: ContainerStatusReport;
  #current: MemoryLog;
  #previous: MemoryLog | undefined;
  #server: Server | undefined;
  stopped = false;
  stopGraceMs: number | undefined;

  constructor(spec: PodRunSpec, onStatus: (s: ContainerStatusReport) => void, clock: Clock, serve: boolean) {
    this.spec = spec;
    this.#clock = clock;
    this.#onStatus = onStatus;
    this.#current = new MemoryLog(clock);
    this.#status = { name: spec.containerName, ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, phase: 'Pending' };
    onStatus(this.status());
    if (serve) {
      this.#server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          if (req.url === '/healthz') return void res.end('OK');
          const body = Buffer.concat(chunks).toString();
          this.write(`${req.method ?? ''} ${req.url ?? ''} ${body}`);
          res.writeHead(200, { 'content-type': 'application/json', 'x-pod': spec.podName });
          res.end(JSON.stringify({ pod: spec.podName, method: req.method, path: req.url, body, headers: req.headers }));
        });
      });
      this.#server.listen(spec.port, spec.host, () => this.#run());
    } else {
      setImmediate(() => this.#run());
    }
  }

  #iso(): string {
    return new Date(this.#clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  #set(p: Partial<ContainerStatusReport>): void {
    this.#status = { ...this.#status, ...p };
    this.#onStatus(this.status());
  }

  #run(): void {
    if (this.stopped) return;
    this.#set({ state: { running: { startedAt: this.#iso() } }, started: true, ready: true, phase: 'Running' });
  }

  /** Append a line to the current instance's log. */
  write(text: string, stream: 'stdout' | 'stderr' = 'stdout'): void {
    this.#current.write(stream, text);
  }

  /** The container exits with `exitCode` and is restarted at once (restartCount + 1). */
  crash(exitCode = 1, opts: { restart?: boolean } = {}): void {
    const startedAt = this.#status.state.running?.startedAt ?? this.#iso();
    const terminated = { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', startedAt, finishedAt: this.#iso() };
    this.#current.end();
    this.#set({ state: { terminated }, ready: false, started: false });
    this.#previous = this.#current;
    this.#current = new MemoryLog(this.#clock);
    if (opts.restart === false) {
      this.#set({ state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' } }, lastState: { terminated } });
      return;
    }
    this.#set({ restartCount: this.#status.restartCount + 1, lastState: { terminated }, state: { running: { startedAt: this.#iso() } }, started: true, ready: true });
  }

  log(previous: boolean): ContainerLog | undefined {
    if (previous || this.#status.state.waiting) return this.#status.lastState.terminated ? this.#previous : undefined;
    return this.#current;
  }

  status(): ContainerStatusReport {
    return structuredClone(this.#status);
  }

  stop(gracePeriodMs?: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.stopped = true;
    this.stopGraceMs = gracePeriodMs;
    this.#current.end();
    const startedAt = this.#status.state.running?.startedAt ?? this.#iso();
    this.#set({ state: { terminated: { exitCode: 143, reason: 'Error', startedAt, finishedAt: this.#iso() } }, ready: false, started: false, phase: 'Failed' });
    return new Promise((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

export interface FakeKubeletOptions {
  clock?: Clock;
  /** Serve HTTP on each pod's port (default true). */
  serve?: boolean;
  runtimes?: string[];
}

export class FakeKubelet implements Kubelet {
  readonly pods: FakePod[] = [];
  readonly #clock: Clock;
  readonly #serve: boolean;
  readonly #runtimes: string[];

  constructor(opts: FakeKubeletOptions = {}) {
    this.#clock = opts.clock ?? systemClock;
    this.#serve = opts.serve ?? true;
    this.#runtimes = opts.runtimes ?? ['python3.8', 'nodejs14'];
  }

  runPod(spec: PodRunSpec, onStatus: (s: ContainerStatusReport) => void): PodHandle {
    const p = new FakePod(spec, onStatus, this.#clock, this.#serve);
    this.pods.push(p);
    return p;
  }

  pod(name: string): FakePod {
    const p = this.pods.find((x) => x.spec.podName === name && !x.stopped);
    if (!p) throw new Error(`no running fake pod ${name}`);
    return p;
  }

  availableRuntimes(): readonly string[] {
    return this.#runtimes;
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.pods.map((p) => p.stop(0)));
  }
}
