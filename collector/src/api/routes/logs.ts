import type express from 'express';
import { FilterError, TailFilter, filterSpecFromQuery, type LogBuffer } from '../../live/index.ts';
import { ApiError, sendData } from '../envelope.ts';
import { API_LIMITS, oneParam, parseDuration, parseTime } from '../params.ts';

/** Most records one /api/v1/logs answer holds. */
export const MAX_LOG_RECORDS = 10_000;

/** /api/v1/logs: search the recent buffer with the live-tail filters, a time range and a limit. */
export function logRoutes(buffer: LogBuffer, now: () => number): (app: express.Express) => void {
  return (app) => {
    app.get('/api/v1/logs', (req, res) => {
      const q = new URL(req.originalUrl, 'http://x').searchParams;
      let filter: TailFilter;
      try {
        filter = new TailFilter(filterSpecFromQuery(q));
      } catch (e) {
        if (e instanceof FilterError) throw new ApiError('bad_data', e.message);
        throw e;
      }
      const t = now();
      const sinceRaw = oneParam(req.query['since'], 'since');
      const startRaw = oneParam(req.query['start'], 'start');
      const endRaw = oneParam(req.query['end'], 'end');
      const end = endRaw === undefined ? t : parseTime(endRaw, 'end');
      const start = startRaw !== undefined ? parseTime(startRaw, 'start') : sinceRaw !== undefined ? t - parseDuration(sinceRaw, 'since') : undefined;
      if (start !== undefined && end - start > API_LIMITS.maxRangeMs) throw new ApiError('bad_data', 'range exceeds the 24h limit');
      const limit = Number(oneParam(req.query['limit'], 'limit') ?? '1000');
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LOG_RECORDS) throw new ApiError('bad_data', `limit must be an integer from 1 to ${MAX_LOG_RECORDS}`);
      const afterRaw = oneParam(req.query['after'], 'after');
      const after = afterRaw === undefined ? undefined : Number(afterRaw);
      if (after !== undefined && !Number.isInteger(after)) throw new ApiError('bad_data', 'after must be a sequence number');
      sendData(res, buffer.query({ filter, ...(start !== undefined ? { from: start } : {}), to: end, limit, ...(after !== undefined ? { afterSeq: after } : {}) }));
    });
  };
}
