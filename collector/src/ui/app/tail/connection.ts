import type { Api } from '../api.ts';
import type { GapRecord, TailFilterSpec, TailMessage, TailRecord } from '../wire.ts';

export type TailState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export interface TailHandlers {
  records(records: TailRecord[], replay: boolean): void;
  state(state: TailState, detail: string): void;
}

/** Longest replay the endpoint allows when resuming (its 1 h limit). */
const MAX_RESUME_SECONDS = 3600;
const CLOSE_TOO_SLOW = 4008;

/**
 * The live-tail WebSocket (/api/v1/tail): replays the last few minutes, then streams. After a lost
 * connection it reconnects with backoff and resumes from the last record it saw (replay since then,
 * records already shown skipped), and puts a gap marker where the stream may have holes. Records the
 * collector dropped for this subscriber become a gap marker too.
 */
export class TailConnection {
  readonly #api: Api;
  readonly #h: TailHandlers;
  #ws: WebSocket | undefined;
  #filter: TailFilterSpec = {};
  #lastSeq = -1;
  #lastTime = 0;
  #attempt = 0;
  #timer: number | undefined;
  #closed = true;

  constructor(api: Api, handlers: TailHandlers) {
    this.#api = api;
    this.#h = handlers;
  }

  /** (Re)subscribe with a filter, replaying `since` (e.g. "5m"). */
  open(filter: TailFilterSpec, since = '5m'): void {
    this.close();
    this.#closed = false;
    this.#filter = filter;
    this.#lastSeq = -1;
    this.#lastTime = 0;
    this.#attempt = 0;
    this.#connect(since);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    const ws = this.#ws;
    this.#ws = undefined;
    if (ws) {
      ws.onclose = null;
      ws.onmessage = null;
      ws.onerror = null;
      ws.close(1000, 'bye');
    }
  }

  #connect(since: string | undefined): void {
    this.#h.state(this.#attempt === 0 ? 'connecting' : 'reconnecting', '');
    const ws = new WebSocket(this.#api.tailUrl(this.#filter, since));
    this.#ws = ws;
    ws.onmessage = (ev: MessageEvent<string>) => this.#onMessage(ev.data);
    ws.onclose = (ev) => this.#onClose(ev.code, ev.reason);
  }

  #onMessage(data: string): void {
    let msg: TailMessage;
    try {
      msg = JSON.parse(data) as TailMessage;
    } catch {
      return;
    }
    if (msg.type === 'subscribed') {
      this.#attempt = 0;
      this.#h.state('live', '');
    } else if (msg.type === 'error') {
      this.#h.state('live', msg.error);
    } else if (msg.type === 'records') {
      let recs = msg.records;
      if (this.#lastSeq >= 0) recs = recs.filter((r) => r.seq > this.#lastSeq);
      for (const r of recs) {
        if (r.seq > this.#lastSeq) this.#lastSeq = r.seq;
        if (r.time > this.#lastTime) this.#lastTime = r.time;
      }
      if (msg.dropped > 0) recs = [...recs, this.#gap(`${msg.dropped} line${msg.dropped === 1 ? '' : 's'} dropped: this view fell behind the stream`)];
      if (recs.length > 0) this.#h.records(recs, msg.replay === true);
    }
  }

  #gap(reason: string): GapRecord {
    // Local markers sort after what was seen and never collide with collector sequence numbers.
    return { kind: 'gap', seq: this.#lastSeq + 0.5, time: this.#lastTime || Date.now(), ts: '', namespace: '', function: '', pod: '', container: '', stream: '', reason };
  }

  #onClose(code: number, reason: string): void {
    this.#ws = undefined;
    if (this.#closed) return;
    const why = code === CLOSE_TOO_SLOW ? `the collector closed the tail: ${reason || 'this view fell behind'}` : code === 1001 ? 'the collector is shutting down' : 'the connection to the collector was lost';
    if (this.#lastSeq >= 0) this.#h.records([this.#gap(`${why}; lines may be missing until it reconnects`)], false);
    this.#attempt++;
    const delay = Math.min(15_000, 500 * 2 ** Math.min(this.#attempt, 5)) * (0.75 + Math.random() * 0.5);
    this.#h.state('reconnecting', `${why}; retrying in ${Math.round(delay / 1000)} s`);
    this.#timer = window.setTimeout(() => {
      const since = this.#lastTime > 0 ? `${Math.min(MAX_RESUME_SECONDS, Math.ceil((Date.now() - this.#lastTime) / 1000) + 2)}s` : '5m';
      this.#connect(since);
    }, delay);
  }
}
