/**
 * Resource endpoints: get, list, watch, create, update, patch, delete, deletecollection, and the
 * log and proxy subresources, each answering in the representation the client asked for.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../../util/clock.ts';
import type { KObject } from './types.ts';
import { isPlainObject } from './types.ts';
import type { Store } from './store.ts';
import type { Registry, DeleteOptions, WriteOptions } from './registry.ts';
import type { WatchHub, WatchEvent } from './watch.ts';
import { resourceKey, type ResourceDef, type ResourceRegistry, type Verb } from './resources.ts';
import type { ResourceRequest } from './request-info.ts';
import { parseListOptions, queryBool, queryInt } from './list-options.ts';
import { listDocument, listObjects } from './list.ts';
import { includeObjectParam, negotiate, partialMetadata, toTable, type Rendering } from './table.ts';
import { ApiError, badRequest, methodNotAllowed, pathNotFound, successStatus, invalid, type Status } from './status.ts';
import { decodeObjectBody, decodeJson, decodeYaml, mediaType, readBody, writeJson } from './body.ts';
import { PATCH_CONTENT_TYPES } from './patch.ts';
import { chooseInstance, parseLogOptions, streamLog, type PodLogProvider } from './logs.ts';
import { forward, podTarget, splitNamePort, type ServiceResolver } from './proxy.ts';

export interface HandlerDeps {
  store: Store;
  registry: Registry;
  resources: ResourceRegistry;
  watches: WatchHub;
  clock: Clock;
  logs: PodLogProvider;
  services: ServiceResolver;
}

/** Above this much unsent watch data the client is too slow and is disconnected. */
const MAX_WATCH_BUFFER = 16 * 1024 * 1024;

const TABLE_TYPE = (v: string): string => `application/json;as=Table;v=${v};g=meta.k8s.io`;

function render(def: ResourceDef, o: KObject, rendering: Rendering, q: URLSearchParams, now: number): { body: unknown; type: string } {
  if (rendering.as === 'Table') {
    return { body: toTable(resourceKey(def), [o], now, includeObjectParam(q), { resourceVersion: o.metadata.resourceVersion ?? '' }, rendering.version), type: TABLE_TYPE(rendering.version) };
  }
  if (rendering.as === 'PartialObjectMetadata') {
    return { body: partialMetadata(o, rendering.version), type: `application/json;as=PartialObjectMetadata;v=${rendering.version};g=meta.k8s.io` };
  }
  return { body: o, type: 'application/json' };
}

function writeOptions(q: URLSearchParams): WriteOptions {
  const dryRun = q.getAll('dryRun');
  for (const d of dryRun) {
    if (d !== 'All') throw invalid({ group: 'meta.k8s.io', kind: 'CreateOptions' }, '', [{ type: 'FieldValueNotSupported', field: 'dryRun', value: JSON.stringify(d), detail: 'supported values: "All"' }]);
  }
  const fv = q.get('fieldValidation') ?? '';
  if (!['', 'Ignore', 'Warn', 'Strict'].includes(fv)) throw badRequest(`fieldValidation: Unsupported value: ${JSON.stringify(fv)}: supported values: "Ignore", "Warn", "Strict"`);
  const o: WriteOptions = { dryRun: dryRun.length > 0 };
  if (fv) o.fieldValidation = fv;
  return o;
}

async function deleteOptions(req: IncomingMessage, q: URLSearchParams): Promise<DeleteOptions> {
  const raw = await readBody(req);
  const o: DeleteOptions = {};
  if (raw.length > 0 && raw.toString('utf8').trim() !== '') {
    const body = mediaType(req).includes('yaml') ? decodeYaml(raw) : decodeJson(raw);
    if (isPlainObject(body)) {
      if (typeof body['gracePeriodSeconds'] === 'number') o.gracePeriodSeconds = body['gracePeriodSeconds'];
      if (typeof body['propagationPolicy'] === 'string') o.propagationPolicy = body['propagationPolicy'];
      const pre = body['preconditions'];
      if (isPlainObject(pre)) {
        o.preconditions = {};
        if (typeof pre['uid'] === 'string') o.preconditions.uid = pre['uid'];
        if (typeof pre['resourceVersion'] === 'string') o.preconditions.resourceVersion = pre['resourceVersion'];
      }
      if (Array.isArray(body['dryRun']) && body['dryRun'].length) o.dryRun = true;
    }
  }
  const g = queryInt(q, 'gracePeriodSeconds');
  if (g !== undefined) o.gracePeriodSeconds = g;
  const pp = q.get('propagationPolicy');
  if (pp) o.propagationPolicy = pp;
  if (q.getAll('dryRun').length) o.dryRun = writeOptions(q).dryRun ?? false;
  return o;
}

function requireVerb(def: ResourceDef, verb: Verb): void {
  if (!def.verbs.includes(verb)) throw methodNotAllowed();
}

export class ResourceHandlers {
  readonly #d: HandlerDeps;

  constructor(deps: HandlerDeps) {
    this.#d = deps;
  }

  async handle(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, url: URL): Promise<void> {
    const def = this.#d.resources.find(info.group, info.version, info.resource);
    if (!def || (!def.namespaced && info.namespace !== undefined)) throw pathNotFound();
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    if (info.subresource !== undefined) return this.#subresource(req, res, def, info, url);
    if (info.name !== undefined && info.name !== '') return this.#item(req, res, def, info, q, method);
    return this.#collection(req, res, def, info, q, method);
  }

  async #item(req: IncomingMessage, res: ServerResponse, def: ResourceDef, info: ResourceRequest, q: URLSearchParams, method: string): Promise<void> {
    const name = info.name!;
    const ns = info.namespace;
    const now = this.#d.clock.now();
    if (method === 'GET' || method === 'HEAD') {
      const rendering = negotiate(req.headers.accept);
      if (info.watchPath || queryBool(q, 'watch')) {
        requireVerb(def, 'watch');
        const qq = new URLSearchParams(q);
        const fs = qq.get('fieldSelector');
        qq.set('fieldSelector', fs ? `${fs},metadata.name=${name}` : `metadata.name=${name}`);
        return this.#watch(req, res, def, ns, qq, true, rendering);
      }
      requireVerb(def, 'get');
      const r = render(def, this.#d.registry.get(def, ns, name), rendering, q, now);
      return writeJson(res, 200, r.body, r.type);
    }
    if (method === 'PUT') {
      requireVerb(def, 'update');
      const body = decodeObjectBody(req, await readBody(req));
      return writeJson(res, 200, this.#d.registry.update(def, ns, name, body, writeOptions(q)));
    }
    if (method === 'PATCH') {
      requireVerb(def, 'patch');
      const type = PATCH_CONTENT_TYPES[mediaType(req)];
      if (!type) {
        throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_CONTENT_TYPES).filter((t) => def.strategicMerge || !t.includes('strategic')).join(', ')}`, {});
      }
      const raw = await readBody(req);
      const patch = type === 'apply' ? decodeYaml(raw) : decodeJson(raw);
      const existed = this.#d.store.get(resourceKey(def), def.namespaced ? ns : undefined, name) !== undefined;
      const opts: WriteOptions & { fieldManager?: string } = writeOptions(q);
      const fm = q.get('fieldManager');
      if (fm) opts.fieldManager = fm;
      return writeJson(res, existed ? 200 : 201, this.#d.registry.patch(def, ns, name, type, patch, opts));
    }
    if (method === 'DELETE') {
      requireVerb(def, 'delete');
      const r = this.#d.registry.delete(def, ns, name, await deleteOptions(req, q));
      const code = r.deleted ? 200 : 202;
      if (def.custom || def.resource === 'pods' || !r.deleted) return writeJson(res, code, r.object);
      const st: Status = successStatus({ name, group: def.group, kind: def.resource, uid: r.object.metadata.uid ?? '' });
      if (!def.group) delete st.details!.group;
      return writeJson(res, code, st);
    }
    throw methodNotAllowed();
  }

  async #collection(req: IncomingMessage, res: ServerResponse, def: ResourceDef, info: ResourceRequest, q: URLSearchParams, method: string): Promise<void> {
    const ns = info.namespace;
    if (method === 'GET' || method === 'HEAD') {
      const rendering = negotiate(req.headers.accept);
      if (info.watchPath || queryBool(q, 'watch')) {
        requireVerb(def, 'watch');
        return this.#watch(req, res, def, ns, q, info.watchPath, rendering);
      }
      requireVerb(def, 'list');
      const opts = parseListOptions(def, q, false);
      const r = listObjects(this.#d.store, def, opts, ns);
      if (rendering.as === 'Table') {
        const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: r.resourceVersion };
        if (r.continueToken) meta.continue = r.continueToken;
        if (r.remainingItemCount !== undefined) meta.remainingItemCount = r.remainingItemCount;
        return writeJson(res, 200, toTable(resourceKey(def), r.items, this.#d.clock.now(), includeObjectParam(q), meta, rendering.version), TABLE_TYPE(rendering.version));
      }
      const doc = listDocument(def, r);
      if (rendering.as === 'PartialObjectMetadata') {
        doc['kind'] = 'PartialObjectMetadataList';
        doc['apiVersion'] = `meta.k8s.io/${rendering.version}`;
        doc['items'] = r.items.map((o) => partialMetadata(o, rendering.version));
      }
      return writeJson(res, 200, doc);
    }
    if (method === 'POST') {
      if (def.namespaced && ns === undefined) throw methodNotAllowed();
      requireVerb(def, 'create');
      const body = decodeObjectBody(req, await readBody(req));
      return writeJson(res, 201, this.#d.registry.create(def, ns, body, writeOptions(q)));
    }
    if (method === 'DELETE') {
      requireVerb(def, 'deletecollection');
      const opts = parseListOptions(def, q, false);
      const delOpts = await deleteOptions(req, q);
      const items = listObjects(this.#d.store, def, { ...opts, limit: 0, continueToken: '', resourceVersion: '' }, ns).items
        .map((o) => this.#d.registry.delete(def, o.metadata.namespace, o.metadata.name ?? '', delOpts).object);
      return writeJson(res, 200, listDocument(def, { items, resourceVersion: String(this.#d.store.resourceVersion) }));
    }
    throw methodNotAllowed();
  }

  #watch(req: IncomingMessage, res: ServerResponse, def: ResourceDef, ns: string | undefined, q: URLSearchParams, watchPath: boolean, rendering: Rendering): void {
    const opts = parseListOptions(def, q, watchPath);
    opts.watch = true;
    const include = includeObjectParam(q);
    const contentType = rendering.as === 'Table' ? TABLE_TYPE(rendering.version) : 'application/json';
    res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const key = resourceKey(def);
    const encode = (e: WatchEvent): unknown => {
      if (e.type === 'ERROR') return e.object;
      const o = e.object as KObject;
      if (rendering.as === 'Table') {
        const rows = e.type === 'BOOKMARK' ? [] : [o];
        return toTable(key, rows, this.#d.clock.now(), include, { resourceVersion: o.metadata.resourceVersion ?? '' }, rendering.version);
      }
      if (rendering.as === 'PartialObjectMetadata') return partialMetadata(o, rendering.version);
      return o;
    };
    const holder: { session?: { stop(): void } } = {};
    const sink = {
      send: (e: WatchEvent): void => {
        if (res.writableEnded || res.destroyed) return;
        res.write(`${JSON.stringify({ type: e.type, object: encode(e) })}\n`);
        if (res.writableLength > MAX_WATCH_BUFFER) {
          holder.session?.stop();
          res.destroy();
        }
      },
      end: (): void => {
        if (!res.writableEnded) res.end();
      },
      destroy: (): void => {
        req.socket.destroy();
      },
    };
    holder.session = this.#d.watches.start(def, opts, ns, sink);
    const stop = (): void => holder.session?.stop();
    req.on('close', stop);
    res.on('close', stop);
  }

  async #subresource(req: IncomingMessage, res: ServerResponse, def: ResourceDef, info: ResourceRequest, url: URL): Promise<void> {
    const sub = info.subresource!;
    const ns = info.namespace ?? '';
    if (!def.subresources?.some((s) => s.name === sub) || !info.name) throw pathNotFound();
    if (sub === 'log') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed();
      const pod = this.#d.registry.get(def, ns, info.name);
      const opts = parseLogOptions(pod, url.searchParams, this.#d.clock.now());
      if (!(isPlainObject(pod['spec']) && pod['spec']['nodeName'])) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end();
        return;
      }
      const which = chooseInstance(pod, opts);
      const log = 'init' in which ? undefined : this.#d.logs.containerLog(pod, opts.container, which.previous);
      await streamLog(req, res, log, opts);
      return;
    }
    // proxy
    const target = def.resource === 'services'
      ? this.#d.services.resolve(ns, info.name)
      : podTarget(this.#d.registry.get(def, ns, splitNamePort(info.name).name), splitNamePort(info.name).port);
    const raw = url.pathname.split('/');
    const before = (info.group ? 4 : 3) + (info.namespace !== undefined ? 2 : 0) + 3;
    const restRaw = raw.slice(before).join('/');
    if (restRaw === '' && !url.pathname.endsWith('/') && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(301, { Location: `${url.pathname}/${url.search}` });
      res.end();
      return;
    }
    await forward(req, res, target, `/${restRaw}${url.search}`);
  }
}
