import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/** Named limits on every HTTP request, before any route sees it (docs/limits.md). */
export const HTTP_LIMITS = {
  /** Longest request target (path + query string), bytes; longer: 414. */
  maxUrlBytes: 8 * 1024,
  /** Largest request body, bytes; larger: 413. The API reads JSON bodies only. */
  maxBodyBytes: 1024 * 1024,
  /** Largest request head (request line + headers), bytes: Node's own limit, set on the server. */
  maxHeaderBytes: 16 * 1024,
} as const;

export type HttpLimits = { -readonly [K in keyof typeof HTTP_LIMITS]: number };

function refuse(res: Response, status: 413 | 414, message: string): void {
  res.status(status).json({ status: 'error', errorType: 'too_large', error: message });
}

/**
 * Express middleware that enforces the URL and body limits with the API's JSON envelope: a request
 * target over `maxUrlBytes` gets 414, a body over `maxBodyBytes` (declared or streamed) gets 413, a
 * malformed JSON body 400. JSON bodies are parsed (req.body); other bodies are read up to the limit.
 */
export function inputLimits(limits: Partial<HttpLimits> = {}): Router {
  const l = { ...HTTP_LIMITS, ...limits };
  const r = express.Router();
  r.use((req: Request, res: Response, next: NextFunction) => {
    const url = req.originalUrl;
    if (Buffer.byteLength(url, 'utf8') > l.maxUrlBytes) {
      refuse(res, 414, `request URL longer than ${l.maxUrlBytes} bytes`);
      return;
    }
    const declared = Number(req.headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > l.maxBodyBytes) {
      res.setHeader('Connection', 'close');
      refuse(res, 413, `request body larger than ${l.maxBodyBytes} bytes`);
      return;
    }
    next();
  });
  r.use(express.json({ limit: l.maxBodyBytes, type: ['application/json', 'application/*+json'] }));
  r.use(express.raw({ limit: l.maxBodyBytes, type: () => true }));
  r.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { status?: number; type?: string; message?: string };
    if (e.status === 413) {
      res.setHeader('Connection', 'close');
      refuse(res, 413, `request body larger than ${l.maxBodyBytes} bytes`);
    } else if (e.status === 400 || e.status === 415) {
      res.status(400).json({ status: 'error', errorType: 'bad_data', error: e.type === 'entity.parse.failed' ? 'request body is not valid JSON' : e.message ?? 'bad request body' });
    } else next(err);
  });
  return r;
}
