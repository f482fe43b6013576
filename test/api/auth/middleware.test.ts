import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { WebSocket } from 'ws';
import { createApiApp } from '../../../collector/src/api/app.ts';
import { guardApp } from '../../../collector/src/api/guard.ts';
import { errorRoutes } from '../../../collector/src/api/routes/errors.ts';
import { logRoutes } from '../../../collector/src/api/routes/logs.ts';
import { listen, type RunningServer } from '../../../collector/src/api/server.ts';
import { createAuthenticator, upgradeAuthorizer, type Authenticator } from '../../../collector/src/api/auth/index.ts';
import { ErrorGroups } from '../../../collector/src/errors/index.ts';
import { LogBuffer, TailHub, attachTailEndpoint } from '../../../collector/src/live/index.ts';
import { systemClock } from '../../../collector/src/util/clock.ts';
import { createLogger } from '../../../collector/src/util/logger.ts';
import { fakeBackend, fn } from '../../support/fake-backend.ts';
import { FakeReviewServer } from './fake-review-server.ts';

/** Every endpoint of the collector (docs/api.md), plus an unknown one. The UI's asset paths are checked apart. */
const ENDPOINTS = [
  '/metrics',
  '/api/v1/functions',
  '/api/v1/functions/default/hello',
  '/api/v1/targets',
  '/api/v1/errors',
  '/api/v1/errors/abc',
  '/api/v1/logs',
  '/api/v1/series?match[]=up',
  '/api/v1/dashboards',
  '/api/v1/rules',
  '/api/v1/no-such-endpoint',
];
const SECRETS = ['file-token-alpha', 'file-token-beta', 'alice-token', 'bob-token', 'collector-sa-token', 'wrong-secret-guess'];

const dir = mkdtempSync(join(tmpdir(), 'fnscope-auth-'));
const logText: string[] = [];
const sink = new PassThrough();
sink.on('data', (d: Buffer) => logText.push(d.toString('utf8')));
const logger = createLogger({ destination: sink, pretty: false, level: 'debug' });

const review = new FakeReviewServer('collector-sa-token');
const reviewUrl = await review.start();
review.users.set('alice-token', { username: 'alice', uid: 'u1', groups: ['fnscope-readers'] });
review.users.set('bob-token', { username: 'bob', uid: 'u2', groups: [] });
review.rules = [
  { group: 'fnscope-readers', verbs: ['get'], nonResourcePrefix: '/api/' },
  { group: 'fnscope-readers', verbs: ['get'], nonResourcePrefix: '/metrics' },
  { group: 'fnscope-readers', verbs: ['get'], nonResourcePrefix: '/' },
];

interface Stack {
  server: RunningServer;
  close(): Promise<void>;
}

async function stack(auth: Authenticator): Promise<Stack> {
  const hub = new TailHub({ clock: systemClock, limits: { flushIntervalMs: 5 } });
  const buffer = new LogBuffer();
  const errors = new ErrorGroups({ clock: systemClock, logger });
  const app = createApiApp({
    backend: fakeBackend([fn('hello')]),
    logger,
    extra: [errorRoutes(errors), logRoutes(buffer, () => Date.now())],
  });
  const server = await listen(guardApp(app, { authenticator: auth, logger }), { host: '127.0.0.1', port: 0 });
  const tail = attachTailEndpoint(server.server, { hub, buffer, clock: systemClock, logger, authorize: upgradeAuthorizer(auth) });
  return {
    server,
    close: async () => {
      tail.close();
      hub.closeAll(1001, 'bye');
      errors.close();
      auth.close();
      await server.close();
    },
  };
}

writeFileSync(join(dir, 'tokens'), 'file-token-alpha,ci\nfile-token-beta\n');
const tokenStack = await stack((await createAuthenticator({ mode: 'token', tokenFile: join(dir, 'tokens') }, { clock: systemClock, logger }))!);
const kubeStack = await stack((await createAuthenticator({ mode: 'kubernetes' }, { clock: systemClock, logger, kubeConfig: review.kubeConfig(reviewUrl) }))!);
after(async () => {
  await tokenStack.close();
  await kubeStack.close();
  await review.close();
  rmSync(dir, { recursive: true, force: true });
});

async function status(base: string, path: string, authorization?: string, method = 'GET'): Promise<{ status: number; www: string | null; body: string }> {
  const r = await fetch(base + path, { method, headers: authorization ? { authorization } : {} });
  return { status: r.status, www: r.headers.get('www-authenticate'), body: await r.text() };
}

function upgrade(base: string, authorization?: string): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(base.replace(/^http/, 'ws') + '/api/v1/tail?namespace=default', { headers: authorization ? { authorization } : {} });
    ws.on('message', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', reject);
  });
}

const modes = [
  { name: 'token file', s: () => tokenStack, good: 'Bearer file-token-alpha', forbidden: undefined },
  { name: 'kubernetes', s: () => kubeStack, good: 'Bearer alice-token', forbidden: 'Bearer bob-token' },
];

for (const m of modes) {
  test(`${m.name}: every endpoint refuses no token and a bad token with 401, a token without the verb with 403`, async () => {
    const base = m.s().server.url;
    for (const path of ENDPOINTS) {
      for (const method of ['GET', 'HEAD', 'POST']) {
        const none = await status(base, path, undefined, method);
        assert.equal(none.status, 401, `${method} ${path} without a token`);
        assert.equal(none.www, 'Bearer realm="fnscope"');
        if (method === 'GET') assert.equal((JSON.parse(none.body) as { errorType: string }).errorType, 'unauthorized');
        assert.equal((await status(base, path, 'Bearer wrong-secret-guess', method)).status, 401, `${method} ${path} with a bad token`);
        assert.equal((await status(base, path, 'Basic ' + Buffer.from('a:b').toString('base64'), method)).status, 401, `${method} ${path} with basic auth`);
        if (m.forbidden) assert.equal((await status(base, path, m.forbidden, method)).status, 403, `${method} ${path} without the RBAC verb`);
      }
      const ok = await status(base, path, m.good);
      assert.ok(ok.status !== 401 && ok.status !== 403, `GET ${path} with a good token: ${ok.status}`);
    }
    assert.equal((await status(base, '/api/v1/functions', m.good)).status, 200);
  });

  test(`${m.name}: the web UI's asset files open without a token, for GET and HEAD only`, async () => {
    const base = m.s().server.url;
    for (const path of ['/', '/index.html', '/ui/app/main.js']) {
      for (const method of ['GET', 'HEAD']) assert.notEqual((await status(base, path, undefined, method)).status, 401, `${method} ${path}`);
      assert.equal((await status(base, path, undefined, 'POST')).status, 401, `POST ${path}`);
    }
    assert.equal((await status(base, '/ui/../api/v1/functions')).status, 401, 'no way around the guard through /ui/');
  });

  test(`${m.name}: /healthz and /readyz stay open for probes`, async () => {
    const base = m.s().server.url;
    assert.equal((await status(base, '/healthz')).status, 200);
    assert.equal((await status(base, '/readyz')).status, 200);
  });

  test(`${m.name}: the live-tail WebSocket upgrade is refused the same way`, async () => {
    const base = m.s().server.url;
    assert.equal(await upgrade(base), 401);
    assert.equal(await upgrade(base, 'Bearer wrong-secret-guess'), 401);
    if (m.forbidden) assert.equal(await upgrade(base, m.forbidden), 403);
    assert.equal(await upgrade(base, m.good), 'open');
  });
}

test('kubernetes: the API server down means 503, never a pass', async () => {
  review.failWith = 503;
  try {
    assert.equal((await status(kubeStack.server.url, '/api/v1/functions', 'Bearer new-token-never-seen')).status, 503);
  } finally {
    review.failWith = undefined;
  }
});

test('no token or secret appears in the logs', () => {
  const text = logText.join('');
  assert.ok(text.includes('request refused'), 'refusals were logged at debug level, so the check below means something');
  assert.ok(text.includes('TokenReview failed'), 'the outage was logged');
  for (const s of SECRETS) assert.ok(!text.includes(s), `log contains ${s}`);
});
