import { ErrorCodes, FnscopeError } from '../util/errors.ts';

export const DEFAULT_SERVER = 'http://127.0.0.1:9464';

export interface ApiClientOptions {
  server: string;
  /** Bearer token for a collector bound beyond loopback. */
  token?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** A small client of the collector's HTTP API: unwraps the envelope, turns failures into FnscopeErrors. */
export class ApiClient {
  readonly server: string;
  readonly #token: string | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(opts: ApiClientOptions) {
    this.server = opts.server.replace(/\/+$/, '');
    this.#token = opts.token;
    this.#fetch = opts.fetch ?? fetch;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
  }

  headers(): Record<string, string> {
    return this.#token ? { authorization: `Bearer ${this.#token}` } : {};
  }

  async get<T>(path: string, query?: Record<string, string | string[] | undefined>): Promise<{ data: T; warnings: string[] }> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
    }
    let res: Response;
    try {
      res = await this.#fetch(url, { headers: this.headers(), signal: AbortSignal.timeout(this.#timeoutMs) });
    } catch (e) {
      throw new FnscopeError(ErrorCodes.SERVER_REQUEST, `cannot reach the collector at ${this.server} (${(e as Error).message}); is "fnscope serve" running? (--server URL)`, { cause: e, details: { unreachable: true } });
    }
    const text = await res.text();
    let body: { status?: string; data?: T; error?: string; errorType?: string; warnings?: string[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new FnscopeError(ErrorCodes.SERVER_REQUEST, `${url.pathname}: HTTP ${res.status}, not a JSON answer: ${text.slice(0, 200)}`);
    }
    if (!res.ok || body.status !== 'success') {
      throw new FnscopeError(ErrorCodes.SERVER_REQUEST, `${url.pathname}: ${body.errorType ?? `HTTP ${res.status}`}: ${body.error ?? text.slice(0, 200)}`);
    }
    return { data: body.data as T, warnings: body.warnings ?? [] };
  }
}

/** --server flag, else FNSCOPE_SERVER, else the local default. */
export function serverFrom(flag: unknown, env: NodeJS.ProcessEnv): string {
  if (typeof flag === 'string' && flag !== '') return flag;
  return env['FNSCOPE_SERVER'] ?? DEFAULT_SERVER;
}
