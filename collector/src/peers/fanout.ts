import type { IncomingMessage, Server } from 'node:http';
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Clock } from '../util/clock.ts';
import type { LogBuffer, TailHub } from '../live/index.ts';
import { httpFanout } from './http-fanout.ts';
import type { PeerTls } from './peer-client.ts';
import { PeerSet, type PeerResolver } from './peer-set.ts';
import { attachTailFanout } from './tail-fanout.ts';

/** How a collector finds and asks its peers (`fnscope serve --peers` / `--peers-dns`). */
export interface FanoutOptions {
  /** Static peers: base URLs. */
  urls?: string[];
  /** A DNS name whose addresses are the peers (a headless Service). */
  dns?: { host: string; port?: number };
  /** Injected name resolution (default: the system resolver). */
  resolve?: PeerResolver;
  /** How often the DNS name is looked up again (default 30 s). */
  refreshMs?: number;
  /** Longest wait for one peer's HTTP answer (default 5 s). */
  timeoutMs?: number;
  /** Reaching peers over HTTPS. */
  tls?: PeerTls;
  /** Wait before following a peer's tail again (default 2 s). */
  reconnectMs?: number;
  /** This machine's addresses (tests). */
  localAddresses?: () => string[];
}

/**
 * Fan-out of the cluster-wide API answers to the other replicas: wraps the API app (functions, errors,
 * logs) and serves the tail WebSocket for requests without ?local=1.
 */
export class Fanout {
  readonly peerSet: PeerSet;
  readonly #o: FanoutOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;
  #tail: { claims(req: IncomingMessage): boolean; close(): void } | undefined;

  constructor(o: FanoutOptions, deps: { clock: Clock; logger: Logger }) {
    this.#o = o;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.peerSet = new PeerSet({
      clock: deps.clock,
      logger: deps.logger,
      ...(o.urls ? { urls: o.urls } : {}),
      ...(o.dns ? { dns: o.dns } : {}),
      ...(o.resolve ? { resolve: o.resolve } : {}),
      ...(o.refreshMs !== undefined ? { refreshMs: o.refreshMs } : {}),
      ...(o.localAddresses ? { localAddresses: o.localAddresses } : {}),
    });
  }

  /** The API app, answering for the whole cluster unless a request says ?local=1. */
  wrap(app: RequestHandler): express.Express {
    const outer = express();
    outer.disable('x-powered-by');
    outer.use(
      httpFanout({
        peers: () => this.peerSet.peers(),
        problem: () => this.peerSet.problem(),
        logger: this.#logger,
        ...(this.#o.timeoutMs !== undefined ? { timeoutMs: this.#o.timeoutMs } : {}),
        ...(this.#o.tls ? { tls: this.#o.tls } : {}),
      }),
    );
    outer.use(app);
    return outer;
  }

  /**
   * Once the server listens: learn our own URL, look the peers up, and serve the fanned-out tail.
   * Returns the test for upgrades it serves, for the local tail endpoint to leave alone.
   */
  async start(server: Server, selfUrl: string, tail: { hub: TailHub; buffer: LogBuffer; authorize?: (req: IncomingMessage) => Promise<{ status: number; message: string } | null> }): Promise<(req: IncomingMessage) => boolean> {
    await this.peerSet.start(selfUrl);
    this.#tail = attachTailFanout(server, {
      hub: tail.hub,
      buffer: tail.buffer,
      clock: this.#clock,
      logger: this.#logger,
      peers: () => this.peerSet.peers(),
      problem: () => this.peerSet.problem(),
      ...(tail.authorize ? { authorize: tail.authorize } : {}),
      ...(this.#o.tls ? { tls: this.#o.tls } : {}),
      ...(this.#o.reconnectMs !== undefined ? { reconnectMs: this.#o.reconnectMs } : {}),
    });
    this.#logger.info({ peers: this.peerSet.peers() }, 'answering for the whole cluster with peers');
    const tailFanout = this.#tail;
    return (req) => tailFanout.claims(req);
  }

  stop(): void {
    this.#tail?.close();
    this.peerSet.stop();
  }
}
