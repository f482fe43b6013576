import type { Auth } from './auth.ts';
import type { TailFilterSpec } from './wire.ts';

/** A failed API call: the envelope's errorType and message, or a network failure (status 0). */
export class ApiFailure extends Error {
  readonly status: number;
  readonly errorType: string;
  constructor(status: number, errorType: string, message: string) {
    super(message);
    this.name = 'ApiFailure';
    this.status = status;
    this.errorType = errorType;
  }
}

interface Envelope<T> {
  status: 'success' | 'error';
  data?: T;
  error?: string;
  errorType?: string;
  warnings?: string[];
}

export type Params = Record<string, string | number | boolean | undefined | null | string[]>;

export function query(params: Params): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, x);
    else q.set(k, String(v));
  }
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** The collector's JSON API, same origin, with the bearer token when there is one. */
export class Api {
  readonly #auth: Auth;
  readonly #onUnauthorized: (message: string) => void;

  constructor(auth: Auth, onUnauthorized: (message: string) => void) {
    this.#auth = auth;
    this.#onUnauthorized = onUnauthorized;
  }

  get<T>(path: string, params: Params = {}, signal?: AbortSignal): Promise<T> {
    return this.#send<T>('GET', path + query(params), undefined, signal);
  }

  /** A GET whose answer may not be the JSON envelope (generated files): status, type and text. */
  async raw(path: string, params: Params = {}, signal?: AbortSignal): Promise<{ status: number; contentType: string; text: string }> {
    let res: Response;
    try {
      res = await fetch(path + query(params), { headers: { ...this.#auth.headers() }, credentials: 'same-origin', cache: 'no-store', ...(signal ? { signal } : {}) });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiFailure(0, 'network', 'the collector did not answer (is it running?)');
    }
    const text = await res.text();
    if (res.status === 401) this.#onUnauthorized('this collector needs a token');
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text };
  }

  post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return this.#send<T>('POST', path, body, signal);
  }

  async #send<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    let res: Response;
    try {
      res = await fetch(path, {
        method,
        headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...this.#auth.headers() },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      throw new ApiFailure(0, 'network', 'the collector did not answer (is it running?)');
    }
    let env: Envelope<T> | undefined;
    try {
      env = (await res.json()) as Envelope<T>;
    } catch {
      env = undefined;
    }
    if (res.status === 401) this.#onUnauthorized(env?.error ?? 'this collector needs a token');
    if (!res.ok || env?.status !== 'success') {
      throw new ApiFailure(res.status, env?.errorType ?? 'http', env?.error ?? `HTTP ${res.status} from ${path.split('?')[0] ?? path}`);
    }
    return env.data as T;
  }

  /** The ws:// URL of the live tail for a filter, with replay of the last `since`. */
  tailUrl(filter: TailFilterSpec, since: string | undefined): string {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const q: Params = {
      namespace: filter.namespace,
      function: filter.function,
      pod: filter.pod,
      container: filter.container,
      stream: filter.stream,
      errors: filter.errorsOnly ? 'true' : undefined,
      include: filter.include,
      exclude: filter.exclude,
      since,
      access_token: this.#auth.token ?? undefined,
    };
    return `${proto}//${location.host}/api/v1/tail${query(q)}`;
  }
}
