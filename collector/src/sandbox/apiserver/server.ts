/**
 * The sandbox's Kubernetes API server: a Node HTTP server (loopback by default) that serves
 * discovery, OpenAPI, and the resource endpoints from an in-memory store. Errors are always
 * metav1.Status objects; a failing request never takes the server down.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../../util/clock.ts';
import { silentLogger, type Logger } from '../../util/logger.ts';
import { Store, type StoreOptions } from './store.ts';
import { ResourceRegistry } from './resources.ts';
import { Registry } from './registry.ts';
import { WatchHub, type WatchTimingOptions } from './watch.ts';
import { ApiError, internalError, methodNotAllowed, pathNotFound, unauthorized } from './status.ts';
import { parseApiPath, type DiscoveryRequest } from './request-info.ts';
import {
  AGGREGATED_V2, AGGREGATED_V2BETA1, SERVER_VERSION, aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, wantsAggregated,
} from './discovery.ts';
import { OpenApiV3 } from './openapi.ts';
import { decodeObjectBody, readBody, writeError, writeJson } from './body.ts';
import { AccessReviews, type SandboxUser } from './reviews.ts';
import { ResourceHandlers } from './handlers.ts';
import type { PodLogProvider } from './logs.ts';
import { ServiceResolver } from './proxy.ts';

export interface ApiServerOptions {
  clock?: Clock;
  logger?: Logger;
  /** Listen address; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Listen port; 0 (default) picks a free one. */
  port?: number;
  /**
   * The bearer token written to the kubeconfig. A request that presents another token gets 401. Requests
   * without credentials are served too unless `requireToken` is set, because kubectl does not send
   * credentials to a plain-http server (only over TLS).
   */
  token?: string;
  requireToken?: boolean;
  /** Extra users for TokenReview / SubjectAccessReview (the kubeconfig's token may do everything). */
  users?: readonly SandboxUser[];
  store?: Store;
  storeOptions?: StoreOptions;
  resources?: ResourceRegistry;
  watch?: WatchTimingOptions;
  random?: () => number;
}

const NO_LOGS: PodLogProvider = { containerLog: () => undefined };
const UNAUTHENTICATED_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz']);
const REVIEW_PATHS: Record<string, 'token' | 'access'> = {
  '/apis/authentication.k8s.io/v1/tokenreviews': 'token',
  '/apis/authorization.k8s.io/v1/subjectaccessreviews': 'access',
};

export class ApiServer {
  readonly store: Store;
  readonly resources: ResourceRegistry;
  readonly registry: Registry;
  readonly watches: WatchHub;
  readonly clock: Clock;
  readonly #logger: Logger;
  readonly #host: string;
  readonly #port: number;
  readonly #token: Buffer | undefined;
  readonly #requireToken: boolean;
  readonly #openapi: OpenApiV3;
  readonly #handlers: ResourceHandlers;
  readonly #reviews: AccessReviews;
  readonly #server: Server;
  #logs: PodLogProvider = NO_LOGS;
  #url = '';

  constructor(opts: ApiServerOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.#logger = opts.logger ?? silentLogger();
    this.#host = opts.host ?? '127.0.0.1';
    this.#port = opts.port ?? 0;
    this.#token = opts.token ? Buffer.from(opts.token) : undefined;
    this.#requireToken = opts.requireToken ?? false;
    this.#reviews = new AccessReviews(opts.token, opts.users);
    this.store = opts.store ?? new Store(opts.storeOptions);
    this.resources = opts.resources ?? new ResourceRegistry();
    const registryOpts: ConstructorParameters<typeof Registry>[0] = { store: this.store, resources: this.resources, clock: this.clock };
    if (opts.random) registryOpts.random = opts.random;
    this.registry = new Registry(registryOpts);
    this.watches = new WatchHub(this.store, this.clock, opts.watch);
    this.#openapi = new OpenApiV3(this.resources);
    this.#handlers = new ResourceHandlers({
      store: this.store, registry: this.registry, resources: this.resources, watches: this.watches, clock: this.clock,
      logs: { containerLog: (pod, c, prev) => this.#logs.containerLog(pod, c, prev) },
      services: new ServiceResolver(this.store),
    });
    this.#server = createServer((req, res) => void this.#serve(req, res));
    this.#server.keepAliveTimeout = 30_000;
  }

  /** Where pod logs come from (the kubelet, through the controller). */
  setLogProvider(p: PodLogProvider): void {
    this.#logs = p;
  }

  get url(): string {
    return this.#url;
  }

  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#port, this.#host, () => {
        this.#server.off('error', reject);
        const a = this.#server.address() as AddressInfo;
        const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
        this.#url = `http://${host}:${a.port}`;
        resolve(this.#url);
      });
    });
  }

  /** Test hook: forget the change history up to `rv` (default: everything), so older watches get 410. */
  compactHistory(rv?: number): void {
    this.store.compact(rv);
  }

  /** Test hook: end every open watch (cleanly, or abruptly by dropping the connection). */
  closeWatches(opts: { abrupt?: boolean } = {}): number {
    return this.watches.closeAll(opts);
  }

  async close(): Promise<void> {
    this.watches.closeAll({ abrupt: true });
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }

  #authorized(req: IncomingMessage, path: string): boolean {
    if (!this.#token || UNAUTHENTICATED_PATHS.has(path)) return true;
    const h = req.headers.authorization;
    if (h === undefined) return !this.#requireToken;
    const m = /^Bearer\s+(.+)$/i.exec(h);
    if (!m) return false;
    const got = Buffer.from(m[1]!.trim());
    return got.length === this.#token.length && timingSafeEqual(got, this.#token);
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = this.clock.now();
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://sandbox');
    } catch {
      res.writeHead(400).end();
      return;
    }
    try {
      if (!this.#authorized(req, url.pathname)) throw unauthorized();
      await this.#route(req, res, url);
    } catch (e) {
      if (e instanceof ApiError) writeError(res, e);
      else {
        this.#logger.error({ err: e, path: url.pathname }, 'sandbox api: request failed');
        writeError(res, internalError(e));
      }
    } finally {
      this.#logger.debug({ method: req.method, path: url.pathname, query: url.search, status: res.statusCode, ms: this.clock.now() - started }, 'sandbox api request');
    }
  }

  async #route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    if (path === '/version') return writeJson(res, 200, SERVER_VERSION);
    if (path === '/healthz' || path === '/livez' || path === '/readyz' || /^\/(healthz|livez|readyz)\//.test(path)) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end('ok');
      return;
    }
    if (path === '/openapi/v3' || path === '/openapi/v3/') return void res.writeHead(200, { 'Content-Type': 'application/json' }).end(this.#openapi.index());
    if (path.startsWith('/openapi/v3/')) {
      const doc = this.#openapi.document(path.slice('/openapi/v3/'.length));
      if (!doc) throw pathNotFound();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, immutable' }).end(doc);
      return;
    }
    const review = Object.hasOwn(REVIEW_PATHS, path) ? REVIEW_PATHS[path] : undefined;
    if (review !== undefined) {
      if (req.method !== 'POST') throw methodNotAllowed();
      const body = decodeObjectBody(req, await readBody(req));
      return writeJson(res, 201, review === 'token' ? this.#reviews.tokenReview(body) : this.#reviews.subjectAccessReview(body));
    }
    const info = parseApiPath(path);
    if (!info) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('404 page not found\n');
      return;
    }
    if (info.kind === 'discovery') return this.#discovery(req, res, info);
    await this.#handlers.handle(req, res, info, url);
  }

  #discovery(req: IncomingMessage, res: ServerResponse, info: DiscoveryRequest): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed();
    const agg = wantsAggregated(req.headers.accept);
    if ((info.what === 'api' || info.what === 'apis') && agg) {
      const type = agg === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1;
      res.setHeader('Vary', 'Accept');
      return writeJson(res, 200, aggregatedDiscovery(this.resources, info.what === 'api', agg), type);
    }
    if (info.what === 'api') {
      const host = req.headers.host ?? this.#url.replace(/^http:\/\//, '');
      return writeJson(res, 200, apiVersions(host));
    }
    if (info.what === 'apis') return writeJson(res, 200, apiGroupList(this.resources));
    if (info.what === 'group') {
      const g = apiGroup(this.resources, info.group);
      if (!g) throw pathNotFound();
      return writeJson(res, 200, g);
    }
    const list = apiResourceList(this.resources, info.group, info.version);
    if (!list) throw pathNotFound();
    return writeJson(res, 200, list);
  }
}
