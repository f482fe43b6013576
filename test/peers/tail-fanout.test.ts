import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { LineRecord, TailRecord } from '../../collector/src/events/records.ts';
import { PeerTail } from '../../collector/src/peers/index.ts';
import { systemClock } from '../../collector/src/util/clock.ts';
import { startReplicas, GOOD, type Replica } from './replicas.ts';

let r: Replica[] = [];
before(async () => {
  r = await startReplicas(3, () => ({ reconnectMs: 100 }));
});
after(async () => {
  for (const x of r) await x.stop();
});

const line = (pod: string, seq: number, text = `${pod} #${seq}`): LineRecord => ({ kind: 'line', seq, time: Date.now(), ts: '', namespace: 'default', function: 'hello', pod, container: 'hello', stream: 'combined', text });

interface Frame {
  type: string;
  dropped?: number;
  replay?: boolean;
  records?: TailRecord[];
  warnings?: string[];
  error?: string;
}

/** A tail client that keeps every frame. */
function client(base: string, query: string, authorization: string | null = GOOD): Promise<{ ws: WebSocket; frames: Frame[] } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/tail?${query}`, { headers: authorization ? { authorization } : {} });
    const frames: Frame[] = [];
    ws.on('message', (d: Buffer) => frames.push(JSON.parse(d.toString()) as Frame));
    ws.on('open', () => resolve({ ws, frames }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('error', reject);
  });
}

async function until<T>(what: string, f: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 20));
  }
}

const texts = (frames: Frame[]): string[] => frames.flatMap((f) => f.records ?? []).map((x) => (x.kind === 'line' ? x.text : x.kind));

test('the tail of any replica carries every replica\u2019s records, renumbered in one increasing sequence', async () => {
  for (const x of r) x.buffer.add(line(`hello-${r.indexOf(x)}`, 100, `replayed from ${r.indexOf(x)}`));
  const c = await client(r[0]!.url, 'namespace=default&since=1m');
  assert.ok('ws' in c);
  await until('three replays', () => (c.frames.filter((f) => f.replay).length === 3 ? true : undefined));
  assert.deepEqual(texts(c.frames).sort(), ['replayed from 0', 'replayed from 1', 'replayed from 2']);
  // Give the peers' subscriptions a moment to exist, then publish on every replica.
  await new Promise((res) => setTimeout(res, 100));
  r[0]!.hub.publish(line('hello-0', 1));
  r[1]!.hub.publish(line('hello-1', 1));
  r[2]!.hub.publish(line('hello-2', 1));
  r[1]!.hub.publish(line('hello-1', 2));
  await until('four live records', () => (texts(c.frames).length === 7 ? true : undefined));
  assert.deepEqual(texts(c.frames).slice(3).sort(), ['hello-0 #1', 'hello-1 #1', 'hello-1 #2', 'hello-2 #1']);
  const seqs = c.frames.flatMap((f) => f.records ?? []).map((x) => x.seq);
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `seq increases: ${seqs.join(',')}`);
  assert.ok(seqs[0]! > 1e12, 'above any replica\u2019s own numbers');
  assert.equal(c.frames.filter((f) => f.type === 'warning').length, 0);

  // A new filter goes to every replica.
  c.ws.send(JSON.stringify({ type: 'filter', filter: { namespace: 'default', pod: 'hello-2' } }));
  await until('the new subscription', () => (c.frames.filter((f) => f.type === 'subscribed').length >= 2 ? true : undefined));
  await new Promise((res) => setTimeout(res, 100));
  const before = texts(c.frames).length;
  r[0]!.hub.publish(line('hello-0', 3));
  r[2]!.hub.publish(line('hello-2', 3));
  r[1]!.hub.publish(line('hello-1', 3));
  await until('the filtered record', () => (texts(c.frames).length > before ? true : undefined));
  await new Promise((res) => setTimeout(res, 100));
  assert.deepEqual(texts(c.frames).slice(before), ['hello-2 #3']);
  c.ws.close();
});

test('the upgrade is authenticated before any peer is asked; ?local=1 gets the local tail only', async () => {
  const refused = await client(r[0]!.url, 'namespace=default', null);
  assert.deepEqual(refused, { status: 401 });
  const c = await client(r[1]!.url, 'namespace=default&local=1');
  assert.ok('ws' in c);
  await new Promise((res) => setTimeout(res, 100));
  r[0]!.hub.publish(line('hello-0', 10));
  r[1]!.hub.publish(line('hello-1', 10));
  await until('the local record', () => (texts(c.frames).length > 0 ? true : undefined));
  await new Promise((res) => setTimeout(res, 100));
  assert.deepEqual(texts(c.frames), ['hello-1 #10']);
  assert.equal(c.frames.flatMap((f) => f.records ?? [])[0]!.seq, 10, 'the local tail keeps the replica\u2019s own numbers');
  c.ws.close();
});

test('a peer that goes away is reported in a warning frame; the others keep flowing', async () => {
  const c = await client(r[0]!.url, 'namespace=default');
  assert.ok('ws' in c);
  await new Promise((res) => setTimeout(res, 100));
  await r[2]!.stop();
  const w = await until('a warning', () => c.frames.find((f) => f.type === 'warning'));
  assert.match(w.warnings!.join(' '), new RegExp(`peer ${r[2]!.url}: .*records are missing`));
  r[1]!.hub.publish(line('hello-1', 20));
  await until('a record from the live peer', () => (texts(c.frames).includes('hello-1 #20') ? true : undefined));
  c.ws.close();
});

test('PeerTail follows a peer again after its stream ends, without repeating records', async () => {
  // A fake peer: the first connection sends #1 and #2 and drops; the second replays #2 and sends #3.
  const server: Server = createServer();
  const wss = new WebSocketServer({ server });
  const urls: string[] = [];
  let n = 0;
  wss.on('connection', (ws, req) => {
    urls.push(req.url ?? '');
    n++;
    if (n === 1) {
      ws.send(JSON.stringify({ type: 'records', dropped: 0, records: [line('p', 1), line('p', 2)] }));
      setTimeout(() => ws.terminate(), 50);
    } else {
      ws.send(JSON.stringify({ type: 'records', replay: true, dropped: 0, records: [{ ...line('p', 2), time: 0 }] }));
      ws.send(JSON.stringify({ type: 'records', dropped: 0, records: [line('p', 3)] }));
    }
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const got: string[] = [];
  const warnings: string[] = [];
  const t = new PeerTail({
    peer: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    query: new URLSearchParams('namespace=default&local=1'),
    clock: systemClock,
    reconnectMs: 50,
    onRecords: (recs) => got.push(...recs.map((x) => (x.kind === 'line' ? x.text : ''))),
    onWarning: (w) => warnings.push(w),
  });
  t.start(undefined);
  try {
    await until('#3', () => (got.includes('p #3') ? true : undefined));
    assert.deepEqual(got, ['p #1', 'p #2', 'p #3']);
    assert.equal(warnings.length, 1);
    assert.match(urls[1]!, /since=\d+s/, 'the second connection asks for a replay of the gap');
    assert.match(urls[0]!, /local=1/);
  } finally {
    t.stop();
    wss.close();
    server.closeAllConnections();
    server.close();
  }
});
