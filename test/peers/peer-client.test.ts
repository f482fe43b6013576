import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { getPeerJson, PeerTail } from '../../collector/src/peers/index.ts';
import { systemClock } from '../../collector/src/util/clock.ts';

const dir = mkdtempSync(join(tmpdir(), 'fnscope-peer-tls-'));
let ca = '';
let https: Server;
let plain: Server;
let httpsUrl = '';
let plainUrl = '';
const seenAuth: Array<string | undefined> = [];

function handler(req: IncomingMessage, res: ServerResponse): void {
  seenAuth.push(req.headers.authorization);
  const path = req.url ?? '';
  if (path.startsWith('/slow')) return; // never answers
  if (path.startsWith('/big')) {
    res.end(JSON.stringify({ status: 'success', data: 'x'.repeat(5000) }));
    return;
  }
  if (path.startsWith('/html')) {
    res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>bad gateway</h1>');
    return;
  }
  if (path.startsWith('/denied')) {
    res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'forbidden', error: 'no' }));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data: [1, 2], warnings: ['w'] }));
}

before(async () => {
  // A certificate for the Service name only, as the tls component's: not valid for the pod address.
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=fnscope', '-addext', 'subjectAltName=DNS:fnscope.fnscope.svc', '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.crt'),
  ], { stdio: 'ignore' });
  ca = readFileSync(join(dir, 'tls.crt'), 'utf8');
  https = createHttpsServer({ cert: ca, key: readFileSync(join(dir, 'tls.key')) }, handler);
  plain = createHttpServer(handler);
  const wss = new WebSocketServer({ server: https });
  wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'records', dropped: 0, records: [{ kind: 'line', seq: 1, time: 1, ts: '', namespace: 'n', function: 'f', pod: 'p', container: 'c', stream: 'combined', text: 'over tls' }] })));
  await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
  httpsUrl = `https://127.0.0.1:${(https.address() as AddressInfo).port}`;
  plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}`;
});
after(() => {
  https.closeAllConnections();
  https.close();
  plain.closeAllConnections();
  plain.close();
  rmSync(dir, { recursive: true, force: true });
});

test('answers and failures, each as an answer (never a throw)', async () => {
  const cases: Array<[string, Parameters<typeof getPeerJson>[1], (a: Awaited<ReturnType<typeof getPeerJson>>) => void]> = [
    [`${plainUrl}/ok`, { timeoutMs: 2000, authorization: 'Bearer t' }, (a) => assert.deepEqual(a, { ok: true, status: 200, body: { status: 'success', data: [1, 2], warnings: ['w'] } })],
    [`${plainUrl}/denied`, { timeoutMs: 2000 }, (a) => assert.deepEqual(a, { ok: true, status: 403, body: { status: 'error', errorType: 'forbidden', error: 'no' } })],
    [`${plainUrl}/html`, { timeoutMs: 2000 }, (a) => assert.deepEqual(a, { ok: false, status: 502, reason: 'HTTP 502 without an API envelope' })],
    [`${plainUrl}/slow`, { timeoutMs: 200 }, (a) => assert.deepEqual(a, { ok: false, reason: 'no answer within 200 ms' })],
    [`${plainUrl}/big`, { timeoutMs: 2000, maxBytes: 1000 }, (a) => assert.ok(!a.ok && /larger than 1000 bytes/.test(a.reason))],
    ['http://127.0.0.1:1/x', { timeoutMs: 2000 }, (a) => assert.deepEqual(a, { ok: false, reason: 'ECONNREFUSED' })],
  ];
  for (const [url, o, check] of cases) check(await getPeerJson(url, o));
  assert.ok(seenAuth.includes('Bearer t'), 'the Authorization header is passed on');
});

test('HTTPS peers: trusted through the given CA and checked against the given name', async () => {
  const good = await getPeerJson(`${httpsUrl}/ok`, { timeoutMs: 2000, tls: { ca, servername: 'fnscope.fnscope.svc' } });
  assert.equal(good.ok, true);
  const noName = await getPeerJson(`${httpsUrl}/ok`, { timeoutMs: 2000, tls: { ca } });
  assert.ok(!noName.ok && /ERR_TLS_CERT_ALTNAME_INVALID/.test(noName.reason), JSON.stringify(noName));
  const noCa = await getPeerJson(`${httpsUrl}/ok`, { timeoutMs: 2000, tls: { servername: 'fnscope.fnscope.svc' } });
  assert.ok(!noCa.ok && /SELF_SIGNED|UNABLE_TO_VERIFY/.test(noCa.reason), JSON.stringify(noCa));
});

test('HTTPS peers: the tail too', async () => {
  const got: string[] = [];
  const t = new PeerTail({
    peer: httpsUrl,
    query: new URLSearchParams('local=1'),
    clock: systemClock,
    reconnectMs: 1000,
    tls: { ca, servername: 'fnscope.fnscope.svc' },
    onRecords: (r) => got.push(...r.map((x) => (x.kind === 'line' ? x.text : ''))),
    onWarning: (w) => got.push(`warning: ${w}`),
  });
  t.start(undefined);
  const end = Date.now() + 5000;
  while (got.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  t.stop();
  assert.deepEqual(got, ['over tls']);
});
