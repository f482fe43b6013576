import { WebSocket } from 'ws';
import type { TailRecord } from '../../events/records.ts';
import type { ApiClient } from '../../client/api-client.ts';
import type { LogsQuery, LogsSource } from './source.ts';

function filterParams(q: LogsQuery): Record<string, string | string[] | undefined> {
  const f = q.filter;
  return {
    namespace: f.namespace,
    function: f.function,
    pod: f.pod,
    container: f.container,
    stream: f.stream,
    errors: f.errorsOnly ? 'true' : undefined,
    include: f.include,
    exclude: f.exclude,
  };
}

const RECONNECT_MS = 1000;

/** Reads through a running collector: /api/v1/logs for history, the tail WebSocket to follow. */
export class CollectorLogsSource implements LogsSource {
  readonly #client: ApiClient;

  constructor(client: ApiClient) {
    this.#client = client;
  }

  async run(q: LogsQuery, onRecord: (r: TailRecord) => void, signal: AbortSignal): Promise<void> {
    const since = q.sinceMs ?? (q.tail !== undefined || !q.follow ? 3_600_000 : 0);
    // --tail 0: no history, only what comes next; the newest record is asked for all the same, to check
    // the filter and the collector, and so that the tail's replay starts after it
    const none = q.tail === 0;
    const { data } = await this.#client.get<TailRecord[]>('/api/v1/logs', {
      ...filterParams(q),
      since: since > 0 ? `${Math.ceil(since / 1000)}s` : '1s',
      limit: String(none ? 1 : (q.tail ?? 10_000)),
    });
    let lastSeq = 0;
    for (const r of none || since > 0 ? data : []) {
      lastSeq = Math.max(lastSeq, r.seq);
      if (!none) onRecord(r);
    }
    if (!q.follow) return;
    let lastTime = Date.now();
    const gap = (reason: string): void => {
      const now = Date.now();
      onRecord({ kind: 'gap', seq: lastSeq, time: now, ts: new Date(now).toISOString(), namespace: '', function: '', pod: 'fnscope', container: '', stream: 'combined', reason });
    };
    while (!signal.aborted) {
      const onLive = (r: TailRecord): void => {
        if (r.seq <= lastSeq) return; // already shown (replay after a reconnect)
        lastSeq = r.seq;
        lastTime = Date.now();
        onRecord(r);
      };
      const lost = await this.#follow(q, signal, onLive, gap, Math.max(5, Math.ceil((Date.now() - lastTime) / 1000) + 5));
      if (signal.aborted) return;
      gap(`connection to the collector lost (${lost}); reconnecting`);
      await new Promise((r) => setTimeout(r, RECONNECT_MS));
    }
  }

  /** One WebSocket session; resolves with the reason it ended. */
  #follow(q: LogsQuery, signal: AbortSignal, onRecord: (r: TailRecord) => void, gap: (reason: string) => void, replaySeconds: number): Promise<string> {
    const url = new URL(this.#client.server.replace(/^http/, 'ws') + '/api/v1/tail');
    for (const [k, v] of Object.entries(filterParams(q))) {
      if (v === undefined) continue;
      for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
    }
    url.searchParams.set('since', `${Math.min(3600, replaySeconds)}s`);
    return new Promise((resolve) => {
      const ws = new WebSocket(url, { headers: this.#client.headers() });
      const onAbort = (): void => ws.close(1000, 'done');
      signal.addEventListener('abort', onAbort, { once: true });
      ws.on('message', (d: Buffer) => {
        const m = JSON.parse(d.toString('utf8')) as { type: string; dropped?: number; records?: TailRecord[]; error?: string };
        if (m.type !== 'records') return;
        if (m.dropped) gap(`${m.dropped} records dropped: this terminal could not keep up`);
        for (const r of m.records ?? []) onRecord(r);
      });
      ws.on('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
      ws.on('error', (e) => resolve(e.message));
      ws.on('close', (code, reason) => {
        signal.removeEventListener('abort', onAbort);
        resolve(`closed ${code}${reason.length ? `: ${reason.toString()}` : ''}`);
      });
    });
  }
}
