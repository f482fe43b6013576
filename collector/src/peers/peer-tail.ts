import { WebSocket } from 'ws';
import type { Clock, Timer } from '../util/clock.ts';
import type { TailRecord } from '../events/records.ts';
import { TAIL_PATH } from '../live/index.ts';
import type { PeerTls } from './peer-client.ts';

export interface PeerTailOptions {
  /** The peer's base URL (http or https). */
  peer: string;
  /** The client's tail query, with local=1 and without since. */
  query: URLSearchParams;
  clock: Clock;
  reconnectMs: number;
  authorization?: string;
  tls?: PeerTls;
  onRecords(records: TailRecord[], dropped: number, replay: boolean): void;
  onWarning(warning: string): void;
}

/** Slack added to the replay asked for after a reconnect (line timestamps trail their arrival). */
const RESUME_SLACK_MS = 5000;

/**
 * Follows one peer's live tail for a fanned-out client: relays its record frames, and after the
 * stream breaks, follows it again with a replay of the gap, skipping records already relayed (by the
 * peer's own sequence number and time).
 */
export class PeerTail {
  readonly #o: PeerTailOptions;
  #ws: WebSocket | undefined;
  #timer: Timer | undefined;
  #stopped = false;
  #down = false;
  #lostAt = 0;
  #lastSeq = -1;
  #lastTime = -Infinity;
  #filterMsg: string | undefined;

  constructor(o: PeerTailOptions) {
    this.#o = o;
  }

  start(sinceMs: number | undefined): void {
    this.#connect(sinceMs);
  }

  /** The client sent a new filter: pass it on; what follows is a new stream, nothing is skipped. */
  changeFilter(text: string): void {
    this.#filterMsg = text;
    this.#lastSeq = -1;
    this.#lastTime = -Infinity;
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(text);
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    const ws = this.#ws;
    if (ws && ws.readyState === WebSocket.OPEN) ws.close(1000, 'client gone');
    else ws?.terminate();
  }

  #connect(sinceMs: number | undefined): void {
    const q = new URLSearchParams(this.#o.query);
    const sinceS = sinceMs === undefined ? undefined : Math.min(3600, Math.ceil(sinceMs / 1000));
    if (sinceS !== undefined && this.#filterMsg === undefined) q.set('since', `${sinceS}s`);
    const url = `${this.#o.peer.replace(/^http/, 'ws')}${TAIL_PATH}?${q.toString()}`;
    const ws = new WebSocket(url, {
      perMessageDeflate: false,
      handshakeTimeout: 5000,
      headers: this.#o.authorization !== undefined ? { authorization: this.#o.authorization } : {},
      ...(this.#o.tls?.ca ? { ca: this.#o.tls.ca } : {}),
      ...(this.#o.tls?.servername ? { servername: this.#o.tls.servername } : {}),
    });
    this.#ws = ws;
    ws.on('open', () => {
      this.#down = false;
      if (this.#filterMsg !== undefined) {
        const msg = JSON.parse(this.#filterMsg) as Record<string, unknown>;
        if (sinceS !== undefined) msg['since'] = `${sinceS}s`;
        ws.send(JSON.stringify(msg));
      }
    });
    ws.on('message', (data: Buffer) => {
      let m: { type?: string; dropped?: number; replay?: boolean; records?: TailRecord[] };
      try {
        m = JSON.parse(data.toString('utf8')) as typeof m;
      } catch {
        return;
      }
      if (m.type !== 'records' || !Array.isArray(m.records)) return;
      const fresh = m.records.filter((r) => !(r.seq <= this.#lastSeq && r.time <= this.#lastTime));
      for (const r of fresh) {
        if (r.seq > this.#lastSeq) this.#lastSeq = r.seq;
        if (r.time > this.#lastTime) this.#lastTime = r.time;
      }
      this.#o.onRecords(fresh, m.dropped ?? 0, m.replay === true);
    });
    ws.on('unexpected-response', (_req, res) => {
      this.#lost(ws, `refused the tail with HTTP ${res.statusCode ?? 0}`);
      res.resume();
      ws.terminate();
    });
    ws.on('error', (e: NodeJS.ErrnoException) => this.#lost(ws, e.code ?? e.message));
    ws.on('close', () => this.#lost(ws, 'its tail stream ended'));
  }

  #lost(ws: WebSocket, reason: string): void {
    if (this.#stopped || ws !== this.#ws) return;
    if (!this.#down) {
      this.#down = true;
      this.#lostAt = this.#o.clock.now();
      this.#o.onWarning(`peer ${this.#o.peer}: ${reason}; its records are missing until it is followed again`);
    }
    if (this.#timer) return;
    this.#timer = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      if (this.#stopped) return;
      this.#connect(this.#o.clock.now() - this.#lostAt + RESUME_SLACK_MS);
    }, this.#o.reconnectMs);
  }
}
