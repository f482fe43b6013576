import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { Clock } from '../util/clock.ts';
import { recordJson } from '../events/records.ts';
import { FilterError, TailFilter, type TailFilterSpec } from './filter.ts';
import { MAX_REPLAY_MS, admitTail, parseSince, rawText, rejectUpgrade } from './upgrade.ts';
import type { LogBuffer } from './buffer.ts';
import type { TailHub } from './hub.ts';

/** Named limits of the tail endpoint (docs/live-tail.md). */
export const TAIL_ENDPOINT_LIMITS = {
  /** Largest message a client may send (a filter change). */
  maxClientMessageBytes: 16 * 1024,
  /** Most records replayed for "since" before going live. */
  maxReplayRecords: 5_000,
  /** Longest replay window. */
  maxReplayMs: MAX_REPLAY_MS,
  /** Keepalive: a ping this often; no pong by the next one closes the connection. */
  pingIntervalMs: 30_000,
} as const;

export const TAIL_PATH = '/api/v1/tail';

export interface TailEndpointOptions {
  hub: TailHub;
  buffer: LogBuffer;
  clock: Clock;
  logger: Logger;
  /** Decides whether an upgrade request may proceed (authentication); null = allowed. */
  authorize?: (req: IncomingMessage) => Promise<{ status: number; message: string } | null>;
  /** Upgrades another 'upgrade' listener serves (the peers' fan-out); this endpoint leaves them alone. */
  skip?: (req: IncomingMessage) => boolean;
}

/**
 * The live tail WebSocket (docs/live-tail.md): filter from the query string, optional replay of the
 * recent buffer ("since"), then live records in batched frames from the hub. A client may replace its
 * filter by sending {"type":"filter","filter":{...}}.
 */
export function attachTailEndpoint(server: Server, opts: TailEndpointOptions): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: TAIL_ENDPOINT_LIMITS.maxClientMessageBytes, perMessageDeflate: false });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (opts.skip?.(req)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== TAIL_PATH) {
      rejectUpgrade(socket, 400, `no WebSocket endpoint at ${url.pathname}`);
      return;
    }
    void (async () => {
      const a = await admitTail(req, url, opts.authorize);
      if (!a.ok) {
        rejectUpgrade(socket, a.status, a.message);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, a.filter, a.since));
    })().catch((e: unknown) => {
      opts.logger.warn({ err: e }, 'tail upgrade failed');
      socket.destroy();
    });
  };

  const serve = (ws: WebSocket, initial: TailFilter, since: number | undefined): void => {
    const sink = {
      get bufferedAmount() {
        return ws.bufferedAmount;
      },
      send: (frame: string) => ws.send(frame),
      close: (code: number, reason: string) => ws.close(code, reason),
    };
    let unsubscribe = (): void => undefined;
    const start = (filter: TailFilter, sinceMs: number | undefined): void => {
      unsubscribe();
      ws.send(JSON.stringify({ type: 'subscribed', filter: filter.spec }));
      if (sinceMs !== undefined) {
        const now = opts.clock.now();
        const replay = opts.buffer.query({ filter, from: now - sinceMs, limit: TAIL_ENDPOINT_LIMITS.maxReplayRecords });
        ws.send(`{"type":"records","replay":true,"dropped":0,"records":[${replay.map(recordJson).join(',')}]}`);
      }
      try {
        unsubscribe = opts.hub.subscribe(filter, sink);
      } catch (e) {
        ws.close(1013, (e as Error).message);
      }
    };
    start(initial, since);

    let alive = true;
    ws.on('pong', () => (alive = true));
    const ping = setInterval(() => {
      if (!alive) {
        ws.terminate();
        return;
      }
      alive = false;
      ws.ping();
    }, TAIL_ENDPOINT_LIMITS.pingIntervalMs);
    ping.unref();

    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      try {
        const msg = JSON.parse(rawText(data)) as { type?: string; filter?: TailFilterSpec; since?: string };
        if (msg.type !== 'filter' || typeof msg.filter !== 'object') throw new FilterError('expected {"type":"filter","filter":{...}}');
        start(new TailFilter(msg.filter), parseSince(msg.since ?? null));
      } catch (e) {
        ws.send(JSON.stringify({ type: 'error', error: (e as Error).message }));
      }
    });
    ws.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
    ws.on('error', () => ws.terminate());
  };

  server.on('upgrade', onUpgrade);
  return {
    close: () => {
      server.off('upgrade', onUpgrade);
      for (const c of wss.clients) c.close(1001, 'collector shutting down');
      wss.close();
    },
  };
}
