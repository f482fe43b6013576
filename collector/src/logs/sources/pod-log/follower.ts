import type { Logger } from 'pino';
import type { Clock } from '../../../util/clock.ts';
import type { StreamIdentity } from '../../types.ts';
import type { LogStreamState, RawLogSink } from '../types.ts';
import { LogCursor } from './cursor.ts';
import { PodLogHttpError, type PodLogOpener, type PodLogRequest } from './opener.ts';

export interface FollowerOptions {
  id: StreamIdentity;
  opener: PodLogOpener;
  clock: Clock;
  sink: RawLogSink;
  logger: Logger;
  /** Where the first connection starts: the container's whole log, or a recent part of it. */
  initial: Pick<PodLogRequest, 'sinceTime' | 'sinceSeconds' | 'tailLines'>;
  /** Reconnect backoff after errors (capped, jittered). */
  backoff?: { initialMs: number; maxMs: number };
  /** Pause before reconnecting after a stream ended normally (container stopped, server timeout). */
  resumeDelayMs?: number;
  /** A line longer than this is cut (the pieces follow each other). */
  maxLineChars?: number;
  random?: () => number;
}

/**
 * Follows one container's log through the pod log API and never loses or repeats a line across
 * reconnects: every (re)connection resumes with sinceTime = the last timestamp seen, and the
 * LogCursor drops the overlap. After a container restart it reads the previous container's log once,
 * from the last line seen, to catch output written while disconnected (the crash).
 */
export class ContainerLogFollower {
  readonly #o: Required<Omit<FollowerOptions, 'random'>> & { random: () => number };
  readonly #cursor = new LogCursor();
  readonly #abort = new AbortController();
  #state: LogStreamState;
  #pendingPrevious = false;
  #partial = '';
  #running: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(o: FollowerOptions) {
    this.#o = { backoff: { initialMs: 500, maxMs: 30_000 }, resumeDelayMs: 1000, maxLineChars: 64 * 1024, random: Math.random, ...o };
    this.#state = { namespace: o.id.namespace, pod: o.id.pod, container: o.id.container, state: 'waiting', lastLineTime: null, reconnects: 0, lastError: '' };
  }

  get cursor(): LogCursor {
    return this.#cursor;
  }

  state(): LogStreamState {
    return { ...this.#state, lastLineTime: this.#cursor.sinceTime ?? null };
  }

  start(): void {
    this.#running ??= this.#loop().catch((e: unknown) => this.#o.logger.error({ err: e, pod: this.#o.id.pod }, 'log follower failed'));
  }

  /** The container restarted: read the previous instance's tail once, then follow the new one. */
  restarted(): void {
    this.#pendingPrevious = true;
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    await this.#running;
    this.#state.state = 'stopped';
  }

  #onChunk = (text: string): void => {
    const data = this.#partial + text;
    let start = 0;
    const out: string[] = [];
    for (let nl = data.indexOf('\n', start); nl !== -1; nl = data.indexOf('\n', start)) {
      this.#take(data.slice(start, nl), out);
      start = nl + 1;
    }
    this.#partial = data.slice(start);
    while (this.#partial.length > this.#o.maxLineChars) {
      this.#take(this.#partial.slice(0, this.#o.maxLineChars), out);
      this.#partial = this.#partial.slice(this.#o.maxLineChars);
    }
    if (out.length > 0) this.#o.sink.lines(this.#o.id, out, 'timestamped');
  };

  #take(line: string, out: string[]): void {
    const sp = line.indexOf(' ');
    const ts = sp === -1 ? line : line.slice(0, sp);
    if (this.#cursor.accept(ts)) out.push(line);
  }

  #flushPartial(): void {
    if (this.#partial === '') return;
    const out: string[] = [];
    this.#take(this.#partial, out);
    this.#partial = '';
    if (out.length > 0) this.#o.sink.lines(this.#o.id, out, 'timestamped');
  }

  async #sleep(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const t = this.#o.clock.setTimeout(resolve, ms);
      this.#wake = () => {
        t.cancel();
        resolve();
      };
    });
    this.#wake = undefined;
  }

  async #open(req: Partial<PodLogRequest> & { follow: boolean }): Promise<void> {
    this.#cursor.reset();
    this.#partial = '';
    const { id } = this.#o;
    const since = this.#cursor.sinceTime;
    const base: PodLogRequest = { namespace: id.namespace, pod: id.pod, container: id.container, ...req };
    const full: PodLogRequest = since ? { ...base, sinceTime: since } : { ...base, ...this.#o.initial };
    try {
      await this.#o.opener.stream(full, this.#onChunk, this.#abort.signal);
    } finally {
      this.#flushPartial();
    }
  }

  async #loop(): Promise<void> {
    let failures = 0;
    let hadError = false;
    while (!this.#abort.signal.aborted) {
      try {
        if (this.#pendingPrevious) {
          this.#pendingPrevious = false;
          try {
            await this.#open({ follow: false, previous: true });
          } catch (e) {
            if (!(e instanceof PodLogHttpError && e.status === 400)) throw e; // 400: no previous container
          }
        }
        this.#state.state = 'following';
        if (hadError) {
          this.#o.sink.gap(this.#o.id, `log stream resumed after: ${this.#state.lastError}`);
          hadError = false;
        }
        await this.#open({ follow: true });
        failures = 0;
        if (this.#abort.signal.aborted) break;
        this.#state.state = 'reconnecting';
        this.#state.reconnects++;
        await this.#sleep(this.#o.resumeDelayMs);
      } catch (e) {
        if (this.#abort.signal.aborted) break;
        failures++;
        const waiting = e instanceof PodLogHttpError && (e.status === 400 || e.status === 404);
        this.#state.state = waiting ? 'waiting' : 'reconnecting';
        this.#state.lastError = (e as Error).message;
        if (!waiting) {
          if (!hadError) this.#o.sink.gap(this.#o.id, `log stream lost: ${(e as Error).message}; resuming`);
          hadError = true;
          this.#state.reconnects++;
        }
        const { initialMs, maxMs } = this.#o.backoff;
        const delay = Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 16));
        await this.#sleep(delay * (0.5 + this.#o.random() / 2));
      }
    }
  }
}
