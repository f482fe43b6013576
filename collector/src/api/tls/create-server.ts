import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../util/clock.ts';
import { silentLogger } from '../../util/logger.ts';
import { UsageError } from '../../util/errors.ts';
import { HTTP_LIMITS } from '../input-limits.ts';
import { CertReloader, type TlsFiles } from './cert-reloader.ts';

/** TLS for the API server: the files, and how to watch them. */
export interface TlsServerOptions extends TlsFiles {
  clock?: Clock;
  logger?: Logger;
  /** Default 10 s. */
  reloadIntervalMs?: number;
}

export interface CreatedServer {
  server: Server;
  scheme: 'http' | 'https';
  /** The reloader of an https server (tests call `reload()`), undefined for http. */
  reloader: CertReloader | undefined;
  /** Stop watching files. */
  stop(): void;
}

/**
 * An http server, or with `tls` an https one (TLS 1.2+) whose certificate is reloaded on change
 * through `setSecureContext`. Both are `http.Server`s, so WebSocket upgrades attach the same way.
 */
export async function createApiServer(handler: RequestListener, tls?: TlsServerOptions): Promise<CreatedServer> {
  if (!tls) {
    return { server: createHttpServer({ maxHeaderSize: HTTP_LIMITS.maxHeaderBytes }, handler), scheme: 'http', reloader: undefined, stop: () => undefined };
  }
  const pair = await CertReloader.initial(tls);
  const server = createHttpsServer({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2', maxHeaderSize: HTTP_LIMITS.maxHeaderBytes }, handler);
  const reloader = new CertReloader(
    {
      certFile: tls.certFile,
      keyFile: tls.keyFile,
      clock: tls.clock ?? systemClock,
      logger: tls.logger ?? silentLogger(),
      ...(tls.reloadIntervalMs !== undefined ? { intervalMs: tls.reloadIntervalMs } : {}),
      apply: (p) => server.setSecureContext({ cert: p.cert, key: p.key, minVersion: 'TLSv1.2' }),
    },
    pair,
  );
  reloader.start();
  return { server, scheme: 'https', reloader, stop: () => reloader.stop() };
}

/** --tls-cert / --tls-key to TLS files: both or neither. */
export function resolveTlsFlags(opts: { tlsCert?: string; tlsKey?: string }): TlsFiles | undefined {
  const { tlsCert, tlsKey } = opts;
  if (tlsCert === undefined && tlsKey === undefined) return undefined;
  if (!tlsCert || !tlsKey) throw new UsageError('--tls-cert and --tls-key go together (a PEM certificate chain and its private key)');
  return { certFile: tlsCert, keyFile: tlsKey };
}
