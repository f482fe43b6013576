import type express from 'express';
import type { ErrorGroups, GroupStatus } from '../../errors/index.ts';
import { ApiError, sendData } from '../envelope.ts';
import { oneParam } from '../params.ts';

const STATUSES: readonly GroupStatus[] = ['new', 'ongoing', 'regressed'];
/** Most groups one /api/v1/errors answer holds. */
export const MAX_ERROR_GROUPS = 1000;

/** /api/v1/errors and /api/v1/errors/{id} (docs/api.md). */
export function errorRoutes(errors: ErrorGroups): (app: express.Express) => void {
  return (app) => {
    app.get('/api/v1/errors', (req, res) => {
      const status = oneParam(req.query['status'], 'status');
      if (status !== undefined && !STATUSES.includes(status as GroupStatus)) throw new ApiError('bad_data', `status must be one of ${STATUSES.join(', ')}`);
      const limitRaw = oneParam(req.query['limit'], 'limit') ?? '100';
      const limit = Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ERROR_GROUPS) throw new ApiError('bad_data', `limit must be an integer from 1 to ${MAX_ERROR_GROUPS}`);
      const ns = oneParam(req.query['namespace'], 'namespace');
      const fn = oneParam(req.query['function'], 'function');
      sendData(res, errors.list({ ...(ns ? { namespace: ns } : {}), ...(fn ? { function: fn } : {}), ...(status ? { status: status as GroupStatus } : {}), limit }));
    });
    app.get('/api/v1/errors/:id', (req, res) => {
      const g = errors.get(String(req.params['id']));
      if (!g) throw new ApiError('not_found', `error group ${String(req.params['id'])} not found`);
      sendData(res, g);
    });
  };
}
