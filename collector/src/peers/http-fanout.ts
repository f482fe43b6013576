import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { FunctionDetail, FunctionView } from '../api/types.ts';
import { MAX_ERROR_GROUPS } from '../api/routes/errors.ts';
import type { ErrorGroupView } from '../errors/index.ts';
import type { TailRecord } from '../events/records.ts';
import { PEER_LIMITS } from './limits.ts';
import { getPeerJson, type PeerAnswer, type PeerEnvelope, type PeerTls } from './peer-client.ts';
import { mergeErrorGroups, mergeFunctionDetails, mergeFunctions, mergeLogRecords } from './merge.ts';

/** The query parameter that asks a replica for its own part only (peers send it to each other). */
export const LOCAL_PARAM = 'local';

export interface HttpFanoutOptions {
  /** Base URLs of the other replicas, now. */
  peers: () => string[];
  /** Why the peer list may be incomplete, if it may be (shown as a warning). */
  problem?: () => string | undefined;
  /** Longest wait for one peer (default 5 s). */
  timeoutMs?: number;
  tls?: PeerTls;
  logger: Logger;
}

type Kind = 'functions' | 'function' | 'errors' | 'error' | 'logs';

function kindOf(path: string): Kind | undefined {
  if (path === '/api/v1/functions') return 'functions';
  if (path === '/api/v1/errors') return 'errors';
  if (path === '/api/v1/logs') return 'logs';
  if (/^\/api\/v1\/errors\/[^/]+$/.test(path)) return 'error';
  if (/^\/api\/v1\/functions\/[^/]+\/[^/]+$/.test(path)) return 'function';
  return undefined;
}

/** True when the request asks for this replica's own part only. */
export function isLocalOnly(q: URLSearchParams): boolean {
  const v = q.get(LOCAL_PARAM);
  return v !== null && v !== '0' && v !== 'false';
}

const STATUSES = new Set(['new', 'ongoing', 'regressed']);

/**
 * Express middleware that makes this replica answer /api/v1/functions (and /{namespace}/{name}),
 * /api/v1/errors (and /{id}) and /api/v1/logs for the whole cluster: the request goes to every peer (with
 * ?local=1 and the caller's Authorization header) while this replica's own route answers as usual;
 * the local answer is then merged with the peers'. A peer that fails adds a warning to the envelope.
 * Mount it after authentication and before the routes.
 */
export function httpFanout(o: HttpFanoutOptions): RequestHandler {
  const timeoutMs = o.timeoutMs ?? PEER_LIMITS.requestTimeoutMs;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const u = new URL(req.url, 'http://fnscope');
    const kind = kindOf(u.pathname);
    if (kind === undefined || isLocalOnly(u.searchParams)) return next();
    const peers = o.peers();
    const problem = o.problem?.();
    if (peers.length === 0 && problem === undefined) return next();

    // Error groups: a group's status and rank depend on every replica's copy, so ask everyone for
    // every group and filter and cut after merging.
    const q = new URLSearchParams(u.searchParams);
    let statusFilter: string | undefined;
    let limit = kind === 'errors' ? 100 : 1000;
    const limitRaw = q.get('limit');
    if (limitRaw !== null) limit = Number(limitRaw);
    if (kind === 'errors') {
      const status = q.get('status');
      const validLimit = Number.isInteger(limit) && limit >= 1 && limit <= MAX_ERROR_GROUPS;
      if ((status === null || STATUSES.has(status)) && validLimit) {
        if (status !== null) statusFilter = status;
        q.delete('status');
        q.set('limit', String(MAX_ERROR_GROUPS));
        req.url = `${u.pathname}?${q.toString()}`;
      }
    }
    q.set(LOCAL_PARAM, '1');
    const ac = new AbortController();
    const asked = Promise.all(
      peers.map(async (peer) => ({
        peer,
        answer: await getPeerJson(`${peer}${u.pathname}?${q.toString()}`, {
          timeoutMs,
          signal: ac.signal,
          ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
          ...(o.tls ? { tls: o.tls } : {}),
        }),
      })),
    );
    const json = res.json.bind(res);
    res.json = (body: unknown): Response => {
      res.json = json;
      const local = body as PeerEnvelope;
      const ok = res.statusCode === 200 && local.status === 'success';
      if (!ok && !(isDetail(kind) && res.statusCode === 404)) {
        ac.abort();
        return json(body);
      }
      asked.then(
        (answers) => {
          const merged = combine(kind, ok ? local : undefined, answers, { limit, statusFilter });
          const warnings = [...(ok ? (local.warnings ?? []) : []), ...(problem !== undefined ? [problem] : []), ...merged.warnings];
          if (merged.data === undefined) {
            res.status(404);
            json(warnings.length ? { ...local, warnings } : local);
            return;
          }
          res.status(200);
          json({ status: 'success', data: merged.data, ...(warnings.length ? { warnings } : {}) });
        },
        (e: unknown) => {
          o.logger.error({ err: e, path: u.pathname }, 'merging the peers\u2019 answers failed');
          res.status(500);
          json({ status: 'error', errorType: 'internal', error: 'internal error; see the collector log' });
        },
      );
      return res;
    };
    next();
  };
}

/** One object that any replica may have (404 from the others is no failure). */
function isDetail(kind: Kind): boolean {
  return kind === 'error' || kind === 'function';
}

interface Parts {
  limit: number;
  statusFilter: string | undefined;
}

/** Merge the local envelope (absent: the local replica had nothing) with the peers' answers. */
function combine(kind: Kind, local: PeerEnvelope | undefined, answers: Array<{ peer: string; answer: PeerAnswer }>, p: Parts): { data: unknown; warnings: string[] } {
  const warnings: string[] = [];
  const datas: unknown[] = local ? [local.data] : [];
  for (const { peer, answer } of answers) {
    if (!answer.ok) {
      warnings.push(`peer ${peer} did not answer: ${answer.reason}; its part is missing`);
      continue;
    }
    const b = answer.body;
    if (b.status !== 'success') {
      if (isDetail(kind) && answer.status === 404) continue;
      warnings.push(`peer ${peer} answered ${answer.status} (${b.errorType ?? 'error'}: ${b.error ?? ''}); its part is missing`);
      continue;
    }
    const shapeOk = isDetail(kind) ? typeof b.data === 'object' && b.data !== null : Array.isArray(b.data);
    if (!shapeOk) {
      warnings.push(`peer ${peer} answered something that is not a ${kind} result; its part is missing`);
      continue;
    }
    for (const w of b.warnings ?? []) warnings.push(`peer ${peer}: ${w}`);
    datas.push(b.data);
  }
  switch (kind) {
    case 'functions':
      return { data: mergeFunctions(datas as FunctionView[][]), warnings };
    case 'errors': {
      const all = mergeErrorGroups(datas as ErrorGroupView[][]);
      const kept = p.statusFilter === undefined ? all : all.filter((g) => g.status === p.statusFilter);
      return { data: kept.slice(0, p.limit), warnings };
    }
    case 'function':
      return { data: mergeFunctionDetails(datas as FunctionDetail[]), warnings };
    case 'error':
      return { data: datas.length ? mergeErrorGroups((datas as ErrorGroupView[]).map((g) => [g]))[0] : undefined, warnings };
    case 'logs':
      return { data: mergeLogRecords(datas as TailRecord[][], p.limit), warnings };
  }
}
