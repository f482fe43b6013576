import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import type { Clock } from '../util/clock.ts';
import type { TailRecord } from '../events/records.ts';
import { FilterError, TAIL_ENDPOINT_LIMITS, TAIL_PATH, TailFilter, admitTail, parseSince, rejectUpgrade, type LogBuffer, type TailFilterSpec, type TailHub } from '../live/index.ts';
import { isLocalOnly, LOCAL_PARAM } from './http-fanout.ts';
import type { PeerTls } from './peer-client.ts';
import { PeerTail } from './peer-tail.ts';
import { PEER_LIMITS } from './limits.ts';

export interface TailFanoutOptions {
  hub: TailHub;
  buffer: LogBuffer;
  clock: Clock;
  logger: Logger;
  authorize?: (req: IncomingMessage) => Promise<{ status: number; message: string } | null>;
  peers: () => string[];
  problem?: () => string | undefined;
  tls?: PeerTls;
  /** Wait before following a peer again after its stream ended (default 2 s). */
  reconnectMs?: number;
}


/**
 * The live tail for the whole cluster: a client's WebSocket gets this replica's records and, through
 * a WebSocket to every peer (with ?local=1 and the caller's Authorization header), theirs. Records are
 * renumbered on the way out (one increasing `seq` per connection, since the replicas' own numbers
 * overlap); a peer that cannot be followed is reported in a {"type":"warning"} frame and followed
 * again after a pause, without repeating what was already sent.
 */
export function attachTailFanout(server: Server, o: TailFanoutOptions): { claims(req: IncomingMessage): boolean; close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: TAIL_ENDPOINT_LIMITS.maxClientMessageBytes, perMessageDeflate: false });
  const sessions = new Set<FanoutSession>();

  const claims = (req: IncomingMessage): boolean => {
    const url = new URL(req.url ?? '/', 'http://fnscope');
    return url.pathname === TAIL_PATH && !isLocalOnly(url.searchParams) && (o.peers().length > 0 || o.problem?.() !== undefined);
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (!claims(req)) return;
    const url = new URL(req.url ?? '/', 'http://fnscope');
    void (async () => {
      const a = await admitTail(req, url, o.authorize);
      if (!a.ok) {
        rejectUpgrade(socket, a.status, a.message);
        return;
      }
      const { filter, since } = a;
      wss.handleUpgrade(req, socket, head, (ws) => {
        const s = new FanoutSession(ws, o, url.searchParams, req.headers.authorization);
        sessions.add(s);
        ws.on('close', () => sessions.delete(s));
        s.start(filter, since);
      });
    })().catch((e: unknown) => {
      o.logger.warn({ err: e }, 'tail upgrade failed');
      socket.destroy();
    });
  };

  server.on('upgrade', onUpgrade);
  return {
    claims,
    close: () => {
      server.off('upgrade', onUpgrade);
      for (const s of sessions) s.stop();
      for (const c of wss.clients) c.close(1001, 'collector shutting down');
      wss.close();
    },
  };
}

/** One client's fanned-out tail: the local hub plus one PeerTail per peer. */
class FanoutSession {
  readonly #ws: WebSocket;
  readonly #o: TailFanoutOptions;
  readonly #peers: PeerTail[] = [];
  #seq: number;
  #dropped = 0;
  #unsubscribe: () => void = () => undefined;
  #ping: ReturnType<typeof setInterval> | undefined;

  constructor(ws: WebSocket, o: TailFanoutOptions, query: URLSearchParams, authorization: string | undefined) {
    this.#ws = ws;
    this.#o = o;
    // Above any sequence number a replica hands out, and higher on every new connection.
    this.#seq = o.clock.now() * 1000;
    const q = new URLSearchParams(query);
    q.set(LOCAL_PARAM, '1');
    q.delete('since');
    for (const peer of o.peers()) {
      this.#peers.push(
        new PeerTail({
          peer,
          query: q,
          clock: o.clock,
          reconnectMs: o.reconnectMs ?? PEER_LIMITS.reconnectMs,
          ...(authorization !== undefined ? { authorization } : {}),
          ...(o.tls ? { tls: o.tls } : {}),
          onRecords: (records, dropped, replay) => this.#send(records, dropped, replay),
          onWarning: (w) => this.#warn([w]),
        }),
      );
    }
  }

  start(filter: TailFilter, sinceMs: number | undefined): void {
    const problem = this.#o.problem?.();
    this.#subscribeLocal(filter, sinceMs);
    if (problem !== undefined) this.#warn([problem]);
    for (const p of this.#peers) p.start(sinceMs);
    let alive = true;
    this.#ws.on('pong', () => (alive = true));
    this.#ping = setInterval(() => {
      if (!alive) {
        this.#ws.terminate();
        return;
      }
      alive = false;
      this.#ws.ping();
    }, TAIL_ENDPOINT_LIMITS.pingIntervalMs);
    this.#ping.unref();
    this.#ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) return;
      const text = data.toString('utf8');
      try {
        const msg = JSON.parse(text) as { type?: string; filter?: TailFilterSpec; since?: string };
        if (msg.type !== 'filter' || typeof msg.filter !== 'object' || msg.filter === null) throw new FilterError('expected {"type":"filter","filter":{...}}');
        const f = new TailFilter(msg.filter);
        const since = parseSince(msg.since);
        this.#subscribeLocal(f, since);
        for (const p of this.#peers) p.changeFilter(text);
      } catch (e) {
        this.#ws.send(JSON.stringify({ type: 'error', error: (e as Error).message }));
      }
    });
    this.#ws.on('close', () => this.stop());
    this.#ws.on('error', () => this.#ws.terminate());
  }

  stop(): void {
    if (this.#ping) clearInterval(this.#ping);
    this.#unsubscribe();
    this.#unsubscribe = () => undefined;
    for (const p of this.#peers) p.stop();
  }

  #subscribeLocal(filter: TailFilter, sinceMs: number | undefined): void {
    this.#unsubscribe();
    this.#ws.send(JSON.stringify({ type: 'subscribed', filter: filter.spec }));
    if (sinceMs !== undefined) {
      const replay = this.#o.buffer.query({ filter, from: this.#o.clock.now() - sinceMs, limit: TAIL_ENDPOINT_LIMITS.maxReplayRecords });
      this.#send(replay, 0, true);
    }
    const ws = this.#ws;
    const sink = {
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      send: (frame: string) => {
        const m = JSON.parse(frame) as { type: string; dropped?: number; records?: TailRecord[] };
        if (m.type === 'records') this.#send(m.records ?? [], m.dropped ?? 0, false);
      },
      close: (code: number, reason: string) => ws.close(code, reason),
    };
    try {
      this.#unsubscribe = this.#o.hub.subscribe(filter, sink);
    } catch (e) {
      ws.close(1013, (e as Error).message);
    }
  }

  #send(records: readonly TailRecord[], dropped: number, replay: boolean): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (this.#ws.bufferedAmount > PEER_LIMITS.maxClientBufferedBytes) {
      this.#dropped += dropped + records.length;
      return;
    }
    if (records.length === 0 && dropped === 0 && !replay) return;
    const out = records.map((r) => ({ ...r, seq: this.#seq++ }));
    const frame = { type: 'records', ...(replay ? { replay: true } : {}), dropped: this.#dropped + dropped, records: out };
    this.#dropped = 0;
    this.#ws.send(JSON.stringify(frame));
  }

  #warn(warnings: string[]): void {
    if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify({ type: 'warning', warnings }));
  }
}
