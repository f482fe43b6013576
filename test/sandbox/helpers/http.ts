/** Small HTTP helpers for API server tests. */
export interface Reply {
  status: number;
  type: string;
  text: string;
  json: unknown;
}

/** The value at a dotted path (`items.0.metadata.name`), or undefined. */
export function at(v: unknown, path: string): unknown {
  let cur = v;
  for (const k of path.split('.')) {
    if (k === '') continue;
    if (Array.isArray(cur)) cur = cur[Number(k)] as unknown;
    else if (typeof cur === 'object' && cur !== null) cur = (cur as Record<string, unknown>)[k];
    else return undefined;
  }
  return cur;
}

/** The list at a dotted path ([] when absent). */
export function list(v: unknown, path = ''): unknown[] {
  const x = at(v, path);
  return Array.isArray(x) ? (x as unknown[]) : [];
}

export async function call(base: string, method: string, path: string, opts: { body?: unknown; type?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] = opts.type ?? 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body, redirect: 'manual' });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json };
}

/** Reads a watch stream line by line until `until` says stop or the stream ends. */
export async function readWatch(base: string, path: string, until: (events: unknown[]) => boolean, opts: { headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<{ events: unknown[]; ended: boolean }> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), opts.timeoutMs ?? 10_000);
  const events: unknown[] = [];
  let ended = false;
  try {
    const res = await fetch(base + path, { headers: opts.headers ?? {}, signal: ac.signal });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      buf += dec.decode(value, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.trim()) events.push(JSON.parse(line) as unknown);
      }
      if (until(events)) break;
    }
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return { events, ended };
}
