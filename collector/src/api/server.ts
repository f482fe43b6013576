import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { createApiServer, type TlsServerOptions } from './tls/index.ts';

export interface ListenAddress {
  host: string;
  port: number;
}

/** "HOST:PORT", "[::1]:PORT" or ":PORT" to an address; throws on anything else. */
export function parseListen(s: string): ListenAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(s);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new Error(`invalid listen address "${s}" (use HOST:PORT, e.g. 127.0.0.1:9464)`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Serve HTTPS with this certificate/key pair, reloaded when the files change. */
  tls?: TlsServerOptions;
}

/** Start an HTTP (or, with `tls`, HTTPS) server; resolves with its URL once it listens. */
export async function listen(handler: RequestListener, addr: ListenAddress, opts: ListenOptions = {}): Promise<RunningServer> {
  const created = await createApiServer(handler, opts.tls);
  const { server, scheme } = created;
  const stop = (): void => created.stop();
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => {
      stop();
      reject(e);
    };
    server.once('error', onError);
    server.listen(addr.port, addr.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    server,
    url: `${scheme}://${host}:${a.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
