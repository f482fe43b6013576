import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { ApiBackend } from './backend.ts';
import { ApiError, sendData, sendError } from './envelope.ts';
import { API_LIMITS, manyParams, oneParam, parseDuration, parseTime } from './params.ts';

export interface ApiAppOptions {
  backend: ApiBackend;
  logger: Logger;
  now?: () => number;
  /** Extra routers mounted before the 404 handler (errors, logs, dashboards, UI...). */
  extra?: Array<(app: express.Express) => void>;
}

/** The collector's HTTP API (docs/api.md). One JSON envelope for every answer and every error. */
export function createApiApp(opts: ApiAppOptions): express.Express {
  const { backend } = opts;
  const now = opts.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'extended');

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok\n');
  });
  app.get('/readyz', (_req, res) => {
    if (backend.ready()) res.type('text/plain').send('ready\n');
    else res.status(503).type('text/plain').send('discovery has not synced yet\n');
  });
  app.get('/metrics', async (_req, res) => {
    const m = await backend.metrics();
    res.type(m.contentType).send(m.body);
  });

  app.get('/api/v1/functions', (req, res) => {
    const ns = oneParam(req.query['namespace'], 'namespace');
    const all = backend.functions(now());
    sendData(res, ns === undefined ? all : all.filter((f) => f.namespace === ns));
  });

  app.get('/api/v1/functions/:namespace/:name', (req, res) => {
    const t = now();
    const sinceRaw = oneParam(req.query['since'], 'since') ?? '15m';
    const since = parseDuration(sinceRaw, 'since');
    const step = parseDuration(oneParam(req.query['step'], 'step') ?? '15s', 'step');
    const window = parseDuration(oneParam(req.query['window'], 'window') ?? '1m', 'window');
    if (since > API_LIMITS.maxRangeMs) throw new ApiError('bad_data', `since exceeds the ${API_LIMITS.maxRangeMs / 3_600_000}h limit`);
    if (step <= 0 || since / step > API_LIMITS.maxPoints) {
      throw new ApiError('bad_data', `since/step would give more than ${API_LIMITS.maxPoints} points; raise step`);
    }
    const d = backend.functionDetail(String(req.params['namespace']), String(req.params['name']), { since, step, window }, t);
    if (!d) throw new ApiError('not_found', `function ${String(req.params['namespace'])}/${String(req.params['name'])} not found`);
    sendData(res, d);
  });

  app.get('/api/v1/targets', (_req, res) => {
    sendData(res, backend.targets());
  });

  app.get('/api/v1/series', (req, res) => {
    const matchers = manyParams(req.query['match[]'] ?? req.query['match']);
    if (matchers.length === 0) throw new ApiError('bad_data', 'no match[] parameter provided');
    if (matchers.length > API_LIMITS.maxMatchers) throw new ApiError('bad_data', `at most ${API_LIMITS.maxMatchers} match[] parameters`);
    for (const m of matchers) {
      if (m.length > API_LIMITS.maxMatcherLength) throw new ApiError('bad_data', `match[] longer than ${API_LIMITS.maxMatcherLength} characters`);
    }
    const t = now();
    const endRaw = oneParam(req.query['end'], 'end');
    const startRaw = oneParam(req.query['start'], 'start');
    const end = endRaw === undefined ? t : parseTime(endRaw, 'end');
    const start = startRaw === undefined ? end - 5 * 60_000 : parseTime(startRaw, 'start');
    if (end < start) throw new ApiError('bad_data', 'end is before start');
    if (end - start > API_LIMITS.maxRangeMs) throw new ApiError('bad_data', `range exceeds the ${API_LIMITS.maxRangeMs / 3_600_000}h limit`);
    const r = backend.series({ matchers, start, end }, API_LIMITS.maxSeries);
    sendData(res, r.series, r.truncated ? [`result truncated to ${API_LIMITS.maxSeries} series`] : undefined);
  });

  for (const mount of opts.extra ?? []) mount(app);

  app.use('/api', (req, res) => {
    sendError(res, 'not_found', `no such endpoint: ${req.method} ${req.originalUrl.split('?')[0] ?? ''}`);
  });

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ApiError) {
      sendError(res, err.errorType, err.message);
      return;
    }
    const status = (err as { status?: number }).status;
    if (status === 400 || status === 413) {
      sendError(res, status === 413 ? 'too_large' : 'bad_data', (err as Error).message);
      return;
    }
    opts.logger.error({ err, path: req.path }, 'API handler failed');
    sendError(res, 'internal', 'internal error; see the collector log');
  });
  return app;
}
