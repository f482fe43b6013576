/**
 * pods/log: the kubelet's log endpoint as seen through the API server. Options follow, timestamps,
 * sinceTime (truncated to whole seconds, as the API server does when it forwards it), sinceSeconds,
 * tailLines, limitBytes, previous and container, with the same validation errors and the same
 * choice of container instance (a crash-looping container serves its last terminated instance).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ContainerLog, LogEntry } from '../kubelet/types.ts';
import type { KObject } from './types.ts';
import { isPlainObject } from './types.ts';
import { queryBool, queryInt } from './list-options.ts';
import { badRequest, invalid, type FieldError } from './status.ts';

/** Gives the API server the logs the kubelet keeps. */
export interface PodLogProvider {
  /** The current (previous=false) or last terminated (previous=true) instance's log. */
  containerLog(pod: KObject, container: string, previous: boolean): ContainerLog | undefined;
}

export interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  /** Entries older than this (nanosecond sort key) are skipped. */
  sinceKey?: string;
  tailLines?: number;
  limitBytes?: number;
}

/** A fixed-width sort key for an RFC 3339 timestamp with up to nanosecond precision. */
export function timeKey(ts: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[Tt](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/.exec(ts);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]!}T${m[2]!}${m[4]!.toUpperCase()}`);
  if (Number.isNaN(ms)) return undefined;
  const base = new Date(ms).toISOString().slice(0, 19);
  return `${base}.${(m[3] ?? '').padEnd(9, '0')}`;
}

function parseSinceTime(v: string): string {
  const key = timeKey(v);
  if (!key) throw badRequest(`parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`);
  return `${key.slice(0, 19)}.000000000`;
}

function podName(pod: KObject): string {
  return pod.metadata.name ?? '';
}

export function parseLogOptions(pod: KObject, q: URLSearchParams, nowMs: number): LogOptions {
  const errs: FieldError[] = [];
  const tailLines = queryInt(q, 'tailLines');
  const limitBytes = queryInt(q, 'limitBytes');
  const sinceSeconds = queryInt(q, 'sinceSeconds');
  const sinceTime = q.get('sinceTime');
  const sinceKey = sinceTime ? parseSinceTime(sinceTime) : undefined;
  if (tailLines !== undefined && tailLines < 0) errs.push({ type: 'FieldValueInvalid', field: 'tailLines', value: String(tailLines), detail: 'must be greater than or equal to 0' });
  if (limitBytes !== undefined && limitBytes < 1) errs.push({ type: 'FieldValueInvalid', field: 'limitBytes', value: String(limitBytes), detail: 'must be greater than 0' });
  if (sinceSeconds !== undefined && sinceKey !== undefined) errs.push({ type: 'FieldValueForbidden', field: '', detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified' });
  else if (sinceSeconds !== undefined && sinceSeconds < 1) errs.push({ type: 'FieldValueInvalid', field: 'sinceSeconds', value: String(sinceSeconds), detail: 'must be greater than 0' });
  if (errs.length) throw invalid({ group: '', kind: 'PodLogOptions' }, podName(pod), errs);

  const spec = isPlainObject(pod['spec']) ? pod['spec'] : {};
  const names = (k: string): string[] => (Array.isArray(spec[k]) ? (spec[k] as unknown[]).filter(isPlainObject).map((c) => String(c['name'])) : []);
  const containers = names('containers');
  const inits = names('initContainers');
  let container = q.get('container') ?? '';
  if (container === '') {
    if (containers.length === 1) container = containers[0]!;
    else if (containers.length === 0) throw badRequest(`a container name must be specified for pod ${podName(pod)}`);
    else {
      let m = `a container name must be specified for pod ${podName(pod)}, choose one of: [${containers.join(' ')}]`;
      if (inits.length) m += ` or one of the init containers: [${inits.join(' ')}]`;
      throw badRequest(m);
    }
  } else if (!containers.includes(container) && !inits.includes(container)) {
    throw badRequest(`container ${container} is not valid for pod ${podName(pod)}`);
  }
  const opts: LogOptions = { container, follow: queryBool(q, 'follow'), previous: queryBool(q, 'previous'), timestamps: queryBool(q, 'timestamps') };
  if (sinceKey) opts.sinceKey = sinceKey;
  if (sinceSeconds !== undefined) opts.sinceKey = timeKey(new Date(nowMs - sinceSeconds * 1000).toISOString());
  if (tailLines !== undefined) opts.tailLines = tailLines;
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  return opts;
}

type Rec = Record<string, unknown>;
const rec = (v: unknown): Rec => (isPlainObject(v) ? v : {});

/** Which instance to read, or the kubelet's error (400) when there is none to read. */
export function chooseInstance(pod: KObject, opts: LogOptions): { previous: boolean } | { init: true } {
  const status = rec(pod['status']);
  const find = (k: string): Rec | undefined => (Array.isArray(status[k]) ? (status[k] as unknown[]).filter(isPlainObject).find((c) => c['name'] === opts.container) : undefined);
  const isInit = find('containerStatuses') === undefined && Array.isArray(rec(pod['spec'])['initContainers']) &&
    (rec(pod['spec'])['initContainers'] as unknown[]).some((c) => rec(c)['name'] === opts.container);
  if (isInit) return { init: true };
  const cs = find('containerStatuses');
  const q = (s: string): string => JSON.stringify(s);
  const where = `container ${q(opts.container)} in pod ${q(podName(pod))}`;
  const state = rec(cs?.['state']);
  const last = rec(cs?.['lastState']);
  if (opts.previous) {
    if (!isPlainObject(last['terminated'])) throw badRequest(`previous terminated ${where} not found`);
    return { previous: true };
  }
  if (isPlainObject(state['running']) || isPlainObject(state['terminated'])) return { previous: false };
  if (isPlainObject(last['terminated'])) return { previous: true };
  if (isPlainObject(state['waiting'])) throw badRequest(`${where} is waiting to start: ${typeof rec(state['waiting'])['reason'] === 'string' ? String(rec(state['waiting'])['reason']) : ''}`);
  throw badRequest(`${where} is waiting to start - no logs yet`);
}

function format(e: LogEntry, timestamps: boolean): string {
  return timestamps ? `${e.time} ${e.text}\n` : `${e.text}\n`;
}

/** Streams a container log to the response, honouring every option. Resolves when the response ends. */
export function streamLog(req: IncomingMessage, res: ServerResponse, log: ContainerLog | undefined, opts: LogOptions): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  // A followed log that has nothing to say yet still answers at once: clients wait for the headers.
  res.flushHeaders();
  if (!log) {
    res.end();
    return Promise.resolve();
  }
  let budget = opts.limitBytes ?? Infinity;
  let done = false;
  let unsubscribe = (): void => {};
  const passes = (e: LogEntry): boolean => opts.sinceKey === undefined || (timeKey(e.time) ?? '') >= opts.sinceKey;
  return new Promise<void>((resolve) => {
    const finish = (): void => {
      if (done) return;
      done = true;
      unsubscribe();
      if (!res.writableEnded) res.end();
      resolve();
    };
    const emit = (e: LogEntry): void => {
      if (done) return;
      const line = Buffer.from(format(e, opts.timestamps));
      if (line.length >= budget) {
        res.write(line.subarray(0, budget));
        budget = 0;
        finish();
        return;
      }
      budget -= line.length;
      res.write(line);
    };
    // As the kubelet does: tail the file first, then drop lines older than `since`.
    let backlog = log.entries();
    if (opts.tailLines !== undefined) backlog = opts.tailLines === 0 ? [] : backlog.slice(-opts.tailLines);
    for (const e of backlog) if (passes(e)) emit(e);
    if (done) return;
    if (!opts.follow || log.ended) {
      finish();
      return;
    }
    unsubscribe = log.subscribe((e) => {
      if (passes(e)) emit(e);
    }, finish);
    req.on('close', finish);
    res.on('close', finish);
  });
}
