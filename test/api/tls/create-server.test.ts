import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { WebSocket } from 'ws';
import { createApiServer, resolveTlsFlags } from '../../../collector/src/api/tls/index.ts';
import { listen } from '../../../collector/src/api/server.ts';
import { LogBuffer, TailHub, attachTailEndpoint } from '../../../collector/src/live/index.ts';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';
import { systemClock } from '../../../collector/src/util/clock.ts';
import { silentLogger } from '../../../collector/src/util/logger.ts';
import { FnscopeError, UsageError } from '../../../collector/src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'fnscope-tls-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A self-signed certificate for 127.0.0.1 / localhost, made with the machine's openssl. */
function makeCert(name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', `/CN=${name}`, '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' });
  return { cert, key };
}

const first = makeCert('first');
const second = makeCert('second');
const live = { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') };
const install = (p: { cert: string; key: string }): void => {
  copyFileSync(p.cert, live.certFile);
  copyFileSync(p.key, live.keyFile);
};

/** GET over TLS trusting `caFile` only; resolves with the status and the served certificate's CN. */
function get(url: string, caFile: string): Promise<{ status: number; cn: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: readFileSync(caFile), agent: false }, (res) => {
      const cn = String((res.socket as TLSSocket).getPeerCertificate().subject.CN);
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cn }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('--tls-cert and --tls-key go together', () => {
  assert.equal(resolveTlsFlags({}), undefined);
  assert.deepEqual(resolveTlsFlags({ tlsCert: 'c', tlsKey: 'k' }), { certFile: 'c', keyFile: 'k' });
  assert.throws(() => resolveTlsFlags({ tlsCert: 'c' }), UsageError);
  assert.throws(() => resolveTlsFlags({ tlsKey: 'k' }), UsageError);
});

test('listen serves https with the pair and verifies against its CA; plain http stays the default', async () => {
  install(first);
  const s = await listen((_req, res) => res.end('ok'), { host: '127.0.0.1', port: 0 }, { tls: { ...live, clock: new ManualClock() } });
  after(() => s.close());
  assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(await get(s.url + '/healthz', first.cert), { status: 200, cn: 'first' });
  await assert.rejects(get(s.url + '/healthz', second.cert), /self[- ]signed|unable to verify|certificate/i);
  const plain = await listen((_req, res) => res.end('ok'), { host: '127.0.0.1', port: 0 });
  after(() => plain.close());
  assert.match(plain.url, /^http:\/\//);
  assert.equal((await fetch(plain.url)).status, 200);
});

test('a rotated certificate is served without a restart; a half-written pair is skipped', async () => {
  install(first);
  const c = await createApiServer((_req, res) => res.end('ok'), { ...live, clock: new ManualClock(), logger: silentLogger() });
  await new Promise<void>((r) => c.server.listen(0, '127.0.0.1', r));
  after(() => {
    c.stop();
    c.server.close();
    c.server.closeAllConnections();
  });
  const url = `https://127.0.0.1:${(c.server.address() as { port: number }).port}/`;
  assert.equal((await get(url, first.cert)).cn, 'first');
  assert.equal(await c.reloader!.reload(), false, 'unchanged files: nothing to do');
  copyFileSync(second.cert, live.certFile);
  assert.equal(await c.reloader!.reload(), false, 'new certificate with the old key does not load');
  assert.equal((await get(url, first.cert)).cn, 'first', 'the pair in use stays');
  copyFileSync(second.key, live.keyFile);
  assert.equal(await c.reloader!.reload(), true);
  assert.equal((await get(url, second.cert)).cn, 'second');
  writeFileSync(live.keyFile, 'garbage');
  assert.equal(await c.reloader!.reload(), false);
  assert.equal((await get(url, second.cert)).cn, 'second');
});

test('the reload runs on the clock', async () => {
  install(first);
  const clock = new ManualClock();
  const s = await listen((_req, res) => res.end('ok'), { host: '127.0.0.1', port: 0 }, { tls: { ...live, clock, reloadIntervalMs: 1000 } });
  after(() => s.close());
  install(second);
  const deadline = Date.now() + 5000;
  for (;;) {
    const r = await get(s.url, first.cert).catch(() => undefined);
    if (r === undefined) break; // the new certificate is served: the old CA no longer verifies it
    assert.ok(Date.now() < deadline, 'certificate was not reloaded');
    clock.advance(1000);
    await new Promise((res) => setTimeout(res, 10));
  }
  assert.equal((await get(s.url, second.cert)).cn, 'second');
});

test('unusable files refuse to start with a config error', async () => {
  const bad = [
    { certFile: join(dir, 'missing.crt'), keyFile: first.key },
    { certFile: first.cert, keyFile: second.key },
  ];
  for (const tls of bad) {
    await assert.rejects(createApiServer((_q, r) => r.end(), tls), (e: unknown) => e instanceof FnscopeError && e.code === 'FNS_CONFIG_INVALID');
  }
});

test('the live-tail WebSocket works over TLS (wss)', async () => {
  install(first);
  const s = await listen((_req, res) => res.end('ok'), { host: '127.0.0.1', port: 0 }, { tls: { ...live, clock: new ManualClock() } });
  const hub = new TailHub({ clock: systemClock });
  const tail = attachTailEndpoint(s.server, { hub, buffer: new LogBuffer(), clock: systemClock, logger: silentLogger() });
  after(async () => {
    tail.close();
    hub.closeAll(1001, 'bye');
    await s.close();
  });
  const msg = await new Promise<string>((resolve, reject) => {
    const ws = new WebSocket(s.url.replace('https', 'wss') + '/api/v1/tail', { ca: readFileSync(first.cert) });
    ws.on('message', (d) => {
      ws.close();
      resolve((d as Buffer).toString());
    });
    ws.on('error', reject);
  });
  assert.equal((JSON.parse(msg) as { type: string }).type, 'subscribed');
});
