import { createApiApp } from '../../collector/src/api/app.ts';
import { errorRoutes } from '../../collector/src/api/routes/errors.ts';
import { logRoutes } from '../../collector/src/api/routes/logs.ts';
import { listen, type RunningServer } from '../../collector/src/api/server.ts';
import { ErrorGroups } from '../../collector/src/errors/index.ts';
import { LogBuffer, TailHub, attachTailEndpoint } from '../../collector/src/live/index.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { fakeBackend } from './fake-backend.ts';

export interface LogServer {
  url: string;
  buffer: LogBuffer;
  hub: TailHub;
  errors: ErrorGroups;
  server: RunningServer;
  close(): Promise<void>;
}

/** The collector's log/error API over real buffer, hub and error groups (no discovery or scraping). */
export async function startLogServer(): Promise<LogServer> {
  const buffer = new LogBuffer();
  const hub = new TailHub({ clock: systemClock, limits: { flushIntervalMs: 5 } });
  const errors = new ErrorGroups({ clock: systemClock, logger: silentLogger() });
  const app = createApiApp({ backend: fakeBackend([]), logger: silentLogger(), extra: [errorRoutes(errors), logRoutes(buffer, Date.now)] });
  const server = await listen(app, { host: '127.0.0.1', port: 0 });
  const tail = attachTailEndpoint(server.server, { hub, buffer, clock: systemClock, logger: silentLogger() });
  return {
    url: server.url, buffer, hub, errors, server,
    async close() {
      tail.close();
      hub.closeAll(1001, 'bye');
      await server.close();
    },
  };
}
