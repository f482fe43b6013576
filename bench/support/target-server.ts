/**
 * Child process of bench/side-by-side.ts: serves N Python-runtime-shaped /metrics targets on loopback,
 * `perPort` targets per listening port (path /metrics with one per port, else /metrics/<i>), so that
 * their CPU is neither scraper's. Every target's values advance once per interval (on a clock shared
 * by all targets); a body is rendered once per tick and served to every scraper that asks.
 *
 * argv[2]: JSON {targets, methods, perPort, intervalMs, seed}. Sends {type:'ready', targets:[{address, path}]}
 * over IPC, answers {type:'stats'} with {type:'stats', requests}, exits when the parent goes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { newPythonTarget, renderPython, tickPython, type PythonTarget } from './python-payload.ts';

export interface TargetServerConfig {
  targets: number;
  methods: number;
  perPort: number;
  intervalMs: number;
  seed: number;
}

export interface ServedTarget {
  address: string;
  path: string;
}

interface Slot {
  state: PythonTarget;
  tick: number;
  body: Buffer;
}

const HEADERS = { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', server: 'Cheroot/9.0.0' };
/** Catching up after a long pause renders at most this many ticks. */
const MAX_CATCH_UP = 1000;

function main(): void {
  const cfg = JSON.parse(process.argv[2] ?? '{}') as TargetServerConfig;
  const t0 = Date.now();
  const slots: Slot[] = [];
  for (let i = 0; i < cfg.targets; i++) {
    const state = newPythonTarget(cfg.methods, cfg.seed + i);
    slots.push({ state, tick: -1, body: Buffer.alloc(0) });
  }
  let requests = 0;
  const bodyOf = (i: number): Buffer => {
    const s = slots[i]!;
    const tick = Math.floor((Date.now() - t0) / cfg.intervalMs);
    if (s.tick !== tick) {
      const steps = s.tick < 0 ? 1 : Math.min(MAX_CATCH_UP, tick - s.tick);
      for (let k = 0; k < steps; k++) tickPython(s.state);
      s.tick = tick;
      s.body = Buffer.from(renderPython(s.state), 'utf8');
    }
    return s.body;
  };
  const ports = Math.ceil(cfg.targets / cfg.perPort);
  const servers: Server[] = [];
  const served: ServedTarget[] = [];
  let listening = 0;
  for (let p = 0; p < ports; p++) {
    const first = p * cfg.perPort;
    const count = Math.min(cfg.perPort, cfg.targets - first);
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      requests++;
      const url = req.url ?? '';
      let k = 0;
      if (count > 1) {
        const at = url.lastIndexOf('/');
        k = Number(url.slice(at + 1));
        if (!Number.isInteger(k) || k < first || k >= first + count || !url.startsWith('/metrics/')) {
          res.writeHead(404).end();
          return;
        }
        k -= first;
      } else if (!url.startsWith('/metrics')) {
        res.writeHead(404).end();
        return;
      }
      const body = bodyOf(first + k);
      res.writeHead(200, { ...HEADERS, 'content-length': body.length });
      res.end(body);
    };
    const server = createServer({ keepAliveTimeout: 120_000, headersTimeout: 130_000, requestTimeout: 0 }, handler);
    server.maxRequestsPerSocket = 0;
    servers.push(server);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      for (let k = 0; k < count; k++) served[first + k] = { address: `127.0.0.1:${port}`, path: count > 1 ? `/metrics/${first + k}` : '/metrics' };
      if (++listening === ports) process.send?.({ type: 'ready', targets: served });
    });
  }
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'stats') process.send?.({ type: 'stats', requests });
  });
  process.on('disconnect', () => {
    for (const s of servers) {
      s.closeAllConnections();
      s.close();
    }
    process.exit(0);
  });
}

main();
