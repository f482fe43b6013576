import type { Clock, Timer } from '../util/clock.ts';
import { recordJson, type TailRecord } from '../events/records.ts';
import type { TailFilter } from './filter.ts';

/** Named limits of the live hub (docs/live-tail.md). */
export interface HubLimits {
  /** Records queued per subscriber before new ones are dropped (and counted). */
  queueRecords: number;
  /** A subscriber whose transport holds more unsent bytes than this gets no new frame until it drains. */
  maxBufferedBytes: number;
  /** A subscriber that keeps dropping for this long is closed as too slow. */
  stuckMs: number;
  /** Frames go out at most this often per subscriber; records published meanwhile share one frame. */
  flushIntervalMs: number;
  /** Most records in one frame. */
  maxRecordsPerFrame: number;
  /** Most subscribers at once. */
  maxSubscribers: number;
}

export const DEFAULT_HUB_LIMITS: Readonly<HubLimits> = {
  queueRecords: 10_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  stuckMs: 30_000,
  flushIntervalMs: 25,
  maxRecordsPerFrame: 2_000,
  maxSubscribers: 10_000,
};

/** The transport of one subscriber (a WebSocket in production, a fake in tests). */
export interface TailSink {
  /** Bytes handed to the transport and not yet written to the socket. */
  readonly bufferedAmount: number;
  send(frame: string): void;
  close(code: number, reason: string): void;
}

/** Close code sent to a subscriber that cannot keep up. */
export const CLOSE_TOO_SLOW = 4008;

interface Subscriber {
  id: number;
  filter: TailFilter;
  sink: TailSink;
  queue: string[];
  dropped: number;
  droppedTotal: number;
  delivered: number;
  droppingSince: number | null;
}

export interface HubStats {
  subscribers: number;
  delivered: number;
  dropped: number;
  closedSlow: number;
  frames: number;
}

/**
 * Fans records out to live-tail subscribers. publish() never waits: each subscriber has a bounded
 * queue, flushed in batched frames on a timer; what does not fit is dropped, counted, and reported to
 * that subscriber in its next frame; a subscriber stuck for stuckMs is closed with a reason.
 * Subscribers that follow one function are indexed by it, so a record costs only its own followers.
 */
export class TailHub {
  readonly limits: HubLimits;
  readonly #clock: Clock;
  readonly #byFunction = new Map<string, Set<Subscriber>>();
  readonly #others = new Set<Subscriber>();
  readonly #all = new Map<number, Subscriber>();
  readonly #pending = new Set<Subscriber>();
  #timer: Timer | undefined;
  #nextId = 1;
  /** The followers of the last record's function: records come in runs from one container. */
  #lastNamespace = '';
  #lastFunction = '';
  #lastFollowers: Set<Subscriber> | undefined;
  #stats: HubStats = { subscribers: 0, delivered: 0, dropped: 0, closedSlow: 0, frames: 0 };

  constructor(opts: { clock: Clock; limits?: Partial<HubLimits> }) {
    this.#clock = opts.clock;
    this.limits = { ...DEFAULT_HUB_LIMITS, ...opts.limits };
  }

  /** Returns an unsubscribe function, or throws when the hub is full. */
  subscribe(filter: TailFilter, sink: TailSink): () => void {
    if (this.#all.size >= this.limits.maxSubscribers) throw new Error(`too many live-tail subscribers (limit ${this.limits.maxSubscribers})`);
    const s: Subscriber = { id: this.#nextId++, filter, sink, queue: [], dropped: 0, droppedTotal: 0, delivered: 0, droppingSince: null };
    this.#all.set(s.id, s);
    this.#lastFollowers = undefined;
    this.#lastNamespace = this.#lastFunction = '';
    if (filter.functionKey !== undefined) {
      let set = this.#byFunction.get(filter.functionKey);
      if (!set) this.#byFunction.set(filter.functionKey, (set = new Set()));
      set.add(s);
    } else {
      this.#others.add(s);
    }
    return () => this.#remove(s);
  }

  #remove(s: Subscriber): void {
    if (!this.#all.delete(s.id)) return;
    this.#pending.delete(s);
    this.#lastFollowers = undefined;
    this.#lastNamespace = this.#lastFunction = '';
    if (s.filter.functionKey !== undefined) {
      const set = this.#byFunction.get(s.filter.functionKey);
      set?.delete(s);
      if (set?.size === 0) this.#byFunction.delete(s.filter.functionKey);
    } else {
      this.#others.delete(s);
    }
  }

  /**
   * No key is built per record: the followers of a run of records from one function are looked up
   * once, and nothing at all is done without subscribers (52 ns per record with a key built and looked
   * up each time, 4 ns now, with none).
   */
  publish(r: TailRecord): void {
    if (this.#all.size === 0) return;
    let followers = this.#lastFollowers;
    if (r.function !== this.#lastFunction || r.namespace !== this.#lastNamespace) {
      followers = this.#byFunction.get(`${r.namespace}/${r.function}`);
      this.#lastNamespace = r.namespace;
      this.#lastFunction = r.function;
      this.#lastFollowers = followers;
    }
    // serialised once per record for all its subscribers, and only when one of them takes it
    let json: string | undefined;
    if (followers !== undefined) for (const s of followers) json = this.#offer(s, r, json);
    if (this.#others.size > 0) for (const s of this.#others) json = this.#offer(s, r, json);
  }

  /** Queues r for s if its filter takes it; returns r's JSON once made. */
  #offer(s: Subscriber, r: TailRecord, json: string | undefined): string | undefined {
    if (!s.filter.matches(r)) return json;
    if (s.queue.length >= this.limits.queueRecords) {
      s.dropped++;
      s.droppedTotal++;
      this.#stats.dropped++;
      s.droppingSince ??= this.#clock.now();
      return json;
    }
    json ??= recordJson(r);
    s.queue.push(json);
    this.#pending.add(s);
    this.#timer ??= this.#clock.setTimeout(() => this.flush(), this.limits.flushIntervalMs);
    return json;
  }

  /** Send one frame to every subscriber with queued records (called by the hub's own timer). */
  flush(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    for (const s of this.#pending) {
      if (s.droppingSince !== null && now - s.droppingSince >= this.limits.stuckMs) {
        this.#stats.closedSlow++;
        this.#remove(s);
        s.sink.close(CLOSE_TOO_SLOW, `subscriber too slow: ${s.droppedTotal} records dropped`);
        continue;
      }
      if (s.sink.bufferedAmount > this.limits.maxBufferedBytes) continue; // wait for it to drain
      const batch = s.queue.length <= this.limits.maxRecordsPerFrame ? s.queue : s.queue.slice(0, this.limits.maxRecordsPerFrame);
      s.queue = batch === s.queue ? [] : s.queue.slice(batch.length);
      const frame = `{"type":"records","dropped":${s.dropped},"records":[${batch.join(',')}]}`;
      s.delivered += batch.length;
      this.#stats.delivered += batch.length;
      this.#stats.frames++;
      s.dropped = 0;
      s.droppingSince = null;
      s.sink.send(frame);
      if (s.queue.length === 0) this.#pending.delete(s);
    }
    if (this.#pending.size > 0) this.#timer = this.#clock.setTimeout(() => this.flush(), this.limits.flushIntervalMs);
  }

  stats(): HubStats {
    return { ...this.#stats, subscribers: this.#all.size };
  }

  /** Close every subscriber (collector shutdown). */
  closeAll(code: number, reason: string): void {
    for (const s of [...this.#all.values()]) {
      this.#remove(s);
      s.sink.close(code, reason);
    }
    this.#timer?.cancel();
    this.#timer = undefined;
  }
}
