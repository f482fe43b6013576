import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Clock, Timer } from '../../../util/clock.ts';
import type { FunctionInfo } from '../../../discovery/types.ts';
import type { StreamIdentity } from '../../types.ts';
import type { LogStreamState, RawLogSink } from '../types.ts';
import type { PositionStore } from './positions.ts';
import { CriFileTailer } from './tailer.ts';

export interface CriTailManagerOptions {
  /** Root of the node's pod logs (default /var/log/pods). */
  root: string;
  sink: RawLogSink;
  positions: PositionStore;
  clock: Clock;
  logger: Logger;
  /** How often files are checked for new data (default 250 ms). */
  pollMs?: number;
  /** How often read positions are written to disk (default 5 s). */
  saveMs?: number;
  /** Wait after a pod leaves the inventory before its files are let go (default 10 s). */
  drainMs?: number;
}

interface Tailed {
  tailer: CriFileTailer;
  id: StreamIdentity;
  goneAt: number | null;
  lastError: string;
}

/**
 * DaemonSet mode's log source: tails the CRI log files of the function pods on this node, read-only,
 * with no load on the API server. One poll loop for every file; positions saved periodically.
 */
export class CriTailManager {
  readonly #o: Required<CriTailManagerOptions>;
  readonly #tailed = new Map<string, Tailed>();
  #timer: Timer | undefined;
  #lastSave = 0;
  #stopped = false;
  #polling: Promise<void> | undefined;

  constructor(o: CriTailManagerOptions) {
    this.#o = { pollMs: 250, saveMs: 5000, drainMs: 10_000, ...o };
  }

  sync(functions: readonly FunctionInfo[]): void {
    const now = this.#o.clock.now();
    const wanted = new Set<string>();
    for (const fn of functions) {
      for (const pod of fn.pods) {
        if (!pod.container || pod.role !== 'function') continue;
        const dir = join(this.#o.root, `${pod.namespace}_${pod.name}_${pod.uid}`, pod.container);
        wanted.add(dir);
        const t = this.#tailed.get(dir);
        if (t) {
          t.goneAt = null;
          continue;
        }
        const id: StreamIdentity = { namespace: pod.namespace, function: fn.name, pod: pod.name, container: pod.container };
        this.#tailed.set(dir, { id, goneAt: null, lastError: '', tailer: new CriFileTailer({ dir, id, sink: this.#o.sink, positions: this.#o.positions }) });
      }
    }
    for (const [dir, t] of this.#tailed) if (!wanted.has(dir)) t.goneAt ??= now;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#stopped || this.#timer) return;
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#polling = this.pollAll().finally(() => this.#schedule());
    }, this.#o.pollMs);
  }

  /** One pass over every tailed container (exposed for tests). */
  async pollAll(): Promise<void> {
    const now = this.#o.clock.now();
    for (const [dir, t] of this.#tailed) {
      try {
        await t.tailer.poll();
        t.lastError = '';
      } catch (e) {
        t.lastError = (e as Error).message;
      }
      if (t.goneAt !== null && now - t.goneAt >= this.#o.drainMs) {
        await t.tailer.close();
        this.#tailed.delete(dir);
        this.#o.positions.delete(dir);
        this.#o.sink.end(t.id);
      }
    }
    if (now - this.#lastSave >= this.#o.saveMs) {
      this.#lastSave = now;
      try {
        this.#o.positions.save();
      } catch (e) {
        this.#o.logger.warn({ err: e }, 'could not save log read positions');
      }
    }
  }

  states(): LogStreamState[] {
    return [...this.#tailed.values()].map((t) => ({ namespace: t.id.namespace, pod: t.id.pod, container: t.id.container, state: t.goneAt === null ? 'following' : 'stopped', lastLineTime: null, reconnects: 0, lastError: t.lastError }));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    await this.#polling;
    for (const t of this.#tailed.values()) await t.tailer.close();
    this.#o.positions.save();
  }
}
