/** Restart back-off of a crashing container, as the kubelet computes it. */
export interface BackoffOptions {
  /** First back-off (kubelet: 10 s). */
  initialMs: number;
  /** Ceiling (kubelet: 5 min). */
  maxMs: number;
}

export const KUBELET_BACKOFF: BackoffOptions = { initialMs: 10_000, maxMs: 300_000 };

/**
 * The kubelet restarts a container at once after its first crash and then waits 10 s, 20 s, 40 s ...
 * up to 5 min, counted from when the container finished. The back-off is forgotten when it has not
 * been used for twice the ceiling.
 */
export class CrashBackoff {
  readonly #opts: BackoffOptions;
  #backoffMs: number | undefined;
  #lastUpdate = 0;

  constructor(opts: BackoffOptions) {
    if (!(opts.initialMs >= 0) || !(opts.maxMs >= opts.initialMs)) {
      throw new RangeError(`invalid back-off: initialMs=${opts.initialMs} maxMs=${opts.maxMs}`);
    }
    this.#opts = opts;
  }

  /** Delay before restarting a container that finished at finishedAt, decided at now (epoch ms). */
  delayAfterCrash(finishedAt: number, now: number): number {
    if (this.#backoffMs !== undefined && now - this.#lastUpdate > 2 * this.#opts.maxMs) {
      this.#backoffMs = undefined;
    }
    if (this.#backoffMs === undefined) {
      this.#backoffMs = this.#opts.initialMs;
      this.#lastUpdate = now;
      return 0;
    }
    return Math.max(0, finishedAt + this.#backoffMs - now);
  }

  /** Back-off currently in force (what "back-off 20s" in the waiting message shows). */
  current(): number {
    return this.#backoffMs ?? this.#opts.initialMs;
  }

  /** Called when a container is restarted after waiting: the next wait doubles. */
  restarted(now: number): void {
    if (this.#backoffMs === undefined) return;
    this.#backoffMs = Math.min(this.#backoffMs * 2, this.#opts.maxMs);
    this.#lastUpdate = now;
  }
}

/** Go's time.Duration.String() for whole milliseconds, e.g. "10s", "2m40s", "5m0s", "500ms". */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSeconds = ms / 1000;
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = Number((totalSeconds % 60).toFixed(3));
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
