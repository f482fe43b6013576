/**
 * In-process replicas for the fan-out tests: each has the real API app (functions from a fixed list,
 * the real error-group and log routes), the real tail endpoint and, when peers are given, the real
 * Fanout; every request needs `Authorization: Bearer good`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import { createApiApp } from '../../collector/src/api/app.ts';
import { errorRoutes } from '../../collector/src/api/routes/errors.ts';
import { logRoutes } from '../../collector/src/api/routes/logs.ts';
import { guardApp } from '../../collector/src/api/guard.ts';
import { upgradeAuthorizer, type Authenticator } from '../../collector/src/api/auth/index.ts';
import type { FunctionDetail, FunctionView } from '../../collector/src/api/types.ts';
import { ErrorGroups } from '../../collector/src/errors/index.ts';
import { LogBuffer, TailHub, attachTailEndpoint } from '../../collector/src/live/index.ts';
import { Fanout, type FanoutOptions } from '../../collector/src/peers/index.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';

export const GOOD = 'Bearer good';

const auth: Authenticator = {
  kind: 'test',
  check: (r) => Promise.resolve(r.authorization === GOOD ? { ok: true, user: 'tester' } : { ok: false, status: 401, reason: 'bad token' }),
  close: () => undefined,
};

export interface Replica {
  url: string;
  functions: FunctionView[];
  details: FunctionDetail[];
  errors: ErrorGroups;
  buffer: LogBuffer;
  hub: TailHub;
  server: Server;
  /** Requests this replica served (path + query). */
  seen: string[];
  stop(): Promise<void>;
}

/** Start `n` replicas; each one with fan-out gets every replica's URL as its peers (itself included). */
export async function startReplicas(n: number, fanout: (i: number) => Omit<FanoutOptions, 'urls'> | undefined): Promise<Replica[]> {
  const handlers: RequestListener[] = [];
  const servers: Server[] = [];
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => handlers[i]!(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }
  const out: Replica[] = [];
  for (let i = 0; i < n; i++) {
    const functions: FunctionView[] = [];
    const details: FunctionDetail[] = [];
    const errors = new ErrorGroups({ clock: systemClock, logger: silentLogger() });
    const buffer = new LogBuffer();
    const hub = new TailHub({ clock: systemClock });
    const seen: string[] = [];
    const app = createApiApp({
      backend: {
        ready: () => true,
        functions: () => functions,
        functionDetail: (ns, name) => details.find((d) => d.namespace === ns && d.name === name),
        targets: () => ({ activeTargets: [], discovery: [] }),
        series: () => ({ series: [], truncated: false }),
        metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }),
      },
      logger: silentLogger(),
      extra: [errorRoutes(errors), logRoutes(buffer, () => Date.now())],
    });
    const f = fanout(i);
    const fo = f ? new Fanout({ ...f, urls }, { clock: systemClock, logger: silentLogger() }) : undefined;
    const guarded = guardApp(fo ? fo.wrap(app) : app, { authenticator: auth });
    handlers[i] = (req, res) => {
      seen.push(req.url ?? '');
      guarded(req, res);
    };
    const server = servers[i]!;
    const authorize = upgradeAuthorizer(auth);
    const skip = fo ? await fo.start(server, urls[i]!, { hub, buffer, authorize }) : undefined;
    const tail = attachTailEndpoint(server, { hub, buffer, clock: systemClock, logger: silentLogger(), authorize, ...(skip ? { skip } : {}) });
    let stopped = false;
    out.push({
      url: urls[i]!,
      functions,
      details,
      errors,
      buffer,
      hub,
      server,
      seen,
      async stop() {
        if (stopped) return;
        stopped = true;
        fo?.stop();
        tail.close();
        hub.closeAll(1001, 'stopping');
        errors.close();
        await new Promise<void>((r) => {
          server.close(() => r());
          server.closeAllConnections();
        });
      },
    });
  }
  return out;
}
