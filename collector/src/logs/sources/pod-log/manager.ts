import type { Logger } from 'pino';
import type { Clock } from '../../../util/clock.ts';
import type { FunctionInfo } from '../../../discovery/types.ts';
import type { StreamIdentity } from '../../types.ts';
import type { LogStreamState, RawLogSink } from '../types.ts';
import { ContainerLogFollower } from './follower.ts';
import type { PodLogOpener } from './opener.ts';

export interface PodLogManagerOptions {
  opener: PodLogOpener;
  clock: Clock;
  sink: RawLogSink;
  logger: Logger;
  /** Most log streams open at once (named limit `logs.maxStreams`, default 500). */
  maxStreams?: number;
  /** For pods already running when the collector started: how far back to read (default 5 min). */
  initialLookbackSeconds?: number;
  /** Wait after a pod leaves the inventory before its stream is closed, to read its last lines (default 5 s). */
  drainMs?: number;
  /** Collector start time (ms): pods started later are read from their first line. */
  startedAt: number;
}

interface Followed {
  follower: ContainerLogFollower;
  id: StreamIdentity;
  restarts: number;
}

/**
 * Deployment mode's log source: one followed pod-log stream per function container, shared by every
 * consumer (a hundred viewers cost the API server one stream per pod). Follows pods as they appear,
 * restart (reading the previous container once) and disappear.
 */
export class PodLogManager {
  readonly #o: Required<PodLogManagerOptions>;
  readonly #followed = new Map<string, Followed>();
  readonly #skipped = new Map<string, StreamIdentity>();

  constructor(o: PodLogManagerOptions) {
    this.#o = { maxStreams: 500, initialLookbackSeconds: 300, drainMs: 5000, ...o };
  }

  /** Bring the followed set in line with the inventory. */
  sync(functions: readonly FunctionInfo[]): void {
    const wanted = new Map<string, { id: StreamIdentity; restarts: number; startTime: string | null }>();
    for (const fn of functions) {
      for (const pod of fn.pods) {
        if (!pod.container || pod.role !== 'function') continue;
        const id: StreamIdentity = { namespace: pod.namespace, function: fn.name, pod: pod.name, container: pod.container };
        wanted.set(`${pod.namespace}/${pod.name}/${pod.container}`, { id, restarts: pod.restarts, startTime: pod.startTime });
      }
    }
    for (const [key, f] of this.#followed) {
      if (wanted.has(key)) continue;
      this.#followed.delete(key);
      this.#o.clock.setTimeout(() => {
        void f.follower.stop().then(() => this.#o.sink.end(f.id));
      }, this.#o.drainMs);
    }
    this.#skipped.clear();
    for (const [key, w] of wanted) {
      const f = this.#followed.get(key);
      if (f) {
        if (w.restarts > f.restarts) f.follower.restarted();
        f.restarts = w.restarts;
        continue;
      }
      if (this.#followed.size >= this.#o.maxStreams) {
        this.#skipped.set(key, w.id);
        continue;
      }
      const fresh = w.startTime !== null && Date.parse(w.startTime) >= this.#o.startedAt;
      const follower = new ContainerLogFollower({
        id: w.id,
        opener: this.#o.opener,
        clock: this.#o.clock,
        sink: this.#o.sink,
        logger: this.#o.logger,
        initial: fresh ? {} : { sinceSeconds: this.#o.initialLookbackSeconds },
      });
      this.#followed.set(key, { follower, id: w.id, restarts: w.restarts });
      follower.start();
    }
  }

  states(): LogStreamState[] {
    const out = [...this.#followed.values()].map((f) => f.follower.state());
    for (const id of this.#skipped.values()) {
      out.push({ namespace: id.namespace, pod: id.pod, container: id.container, state: 'waiting', lastLineTime: null, reconnects: 0, lastError: `not followed: the limit of ${this.#o.maxStreams} log streams is reached` });
    }
    return out;
  }

  async stop(): Promise<void> {
    const all = [...this.#followed.values()];
    this.#followed.clear();
    await Promise.all(all.map((f) => f.follower.stop()));
  }
}
