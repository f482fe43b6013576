import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { attachTailEndpoint } from '../../collector/src/live/ws-endpoint.ts';
import { TailHub } from '../../collector/src/live/hub.ts';
import { LogBuffer } from '../../collector/src/live/buffer.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { exception, line } from '../support/records.ts';

const hub = new TailHub({ clock: systemClock, limits: { flushIntervalMs: 5 } });
const buffer = new LogBuffer();
const server = createServer((_req, res) => res.end());
let allow = true;
const endpoint = attachTailEndpoint(server, {
  hub,
  buffer,
  clock: systemClock,
  logger: silentLogger(),
  authorize: (req) => Promise.resolve(allow || req.headers.authorization === 'Bearer good' ? null : { status: 401, message: 'missing bearer token' }),
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => {
  endpoint.close();
  server.close();
});

interface Msg {
  type: string;
  replay?: boolean;
  records?: Array<{ kind: string; text?: string; type?: string }>;
  error?: string;
}

function open(path: string, headers: Record<string, string> = {}): Promise<{ ws: WebSocket; next: () => Promise<Msg> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base + path, { headers });
    const queue: Msg[] = [];
    const waiters: Array<(m: Msg) => void> = [];
    ws.on('message', (d) => {
      const m = JSON.parse((d as Buffer).toString()) as Msg;
      const w = waiters.shift();
      if (w) w(m);
      else queue.push(m);
    });
    ws.on('open', () => resolve({ ws, next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise<Msg>((r) => waiters.push(r))) }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
}

test('replays the buffer for "since", then streams live records that match', async () => {
  buffer.add(line('old hello'));
  buffer.add(exception('KeyError'));
  const { ws, next } = await open('/api/v1/tail?namespace=default&function=bikesearch&since=5m');
  assert.equal((await next()).type, 'subscribed');
  const replay = await next();
  assert.equal(replay.replay, true);
  assert.deepEqual(replay.records!.map((r) => r.type), ['KeyError']);
  hub.publish(line('not mine'));
  hub.publish(exception('ValueError'));
  const live = await next();
  assert.deepEqual(live.records!.map((r) => r.type), ['ValueError']);
  ws.close();
});

test('a client can replace its filter with a message', async () => {
  const { ws, next } = await open('/api/v1/tail?function=nothing');
  await next();
  ws.send(JSON.stringify({ type: 'filter', filter: { function: 'hello', namespace: 'default' } }));
  assert.equal((await next()).type, 'subscribed');
  hub.publish(line('now mine'));
  assert.deepEqual((await next()).records!.map((r) => r.text), ['now mine']);
  ws.send('{"type":"bogus"}');
  assert.equal((await next()).type, 'error');
  ws.close();
});

test('bad filters, unknown paths and refused credentials fail the upgrade', async () => {
  await assert.rejects(open('/api/v1/tail?function=('), /HTTP 400/);
  await assert.rejects(open('/api/v1/tail?since=forever'), /HTTP 400/);
  await assert.rejects(open('/api/v1/other'), /HTTP 400/);
  allow = false;
  await assert.rejects(open('/api/v1/tail'), /HTTP 401/);
  const ok = await open('/api/v1/tail', { authorization: 'Bearer good' });
  ok.ws.close();
  allow = true;
});
