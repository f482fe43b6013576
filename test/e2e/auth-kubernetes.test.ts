/**
 * `fnscope serve --auth kubernetes` against the sandbox's real TokenReview and SubjectAccessReview:
 * on loopback too, every endpoint and the tail upgrade refuse no token and a bad token (401) and a
 * user without the verb (403), and serve a user with it; no token ever reaches the collector's log.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startSandbox, type Sandbox } from '../../collector/src/sandbox/index.ts';
import { startCollector, type CollectorProcess } from '../support/collector.ts';
import { eventually } from '../support/serve.ts';

const READER = 'reader-3b9a0c1f2e7d4a56';
const LISTER = 'lister-8c2d6e1b0a9f4d33';
const BAD = 'guess-5e4f3a2b1c0d9e8f';
const dir = mkdtempSync(join(tmpdir(), 'fnscope-auth-e2e-'));
let sandbox: Sandbox;
let c: CollectorProcess;
let groupId = '';

before(async () => {
  sandbox = await startSandbox({
    traffic: false,
    dataDir: dir,
    kubeconfigPath: join(dir, 'kubeconfig'),
    users: [
      // May read every path of the collector (GET is the "get" verb), nothing else.
      { token: READER, name: 'reader', allow: [{ verb: 'get', nonResourceURL: '*' }] },
      // Known, but without the verb.
      { token: LISTER, name: 'lister', allow: [{ verb: 'list', nonResourceURL: '*' }] },
    ],
  });
  c = await startCollector(['--kubeconfig', sandbox.kubeconfigPath, '--auth', 'kubernetes', '--scrape-interval', '1s', '--scrape-timeout', '900ms', '--log-level', 'debug']);
  // An error group, so that /api/v1/errors/{id} has something to show.
  await eventually(async () => ((await sandbox.invoke('default', 'bikesearch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status === 500 ? true : undefined), 20_000, 'bikesearch to fail on a bad call');
  groupId = await eventually(async () => {
    const r = (await (await fetch(`${c.url}/api/v1/errors`, { headers: { authorization: `Bearer ${READER}` } })).json()) as { data?: Array<{ id: string }> };
    return r.data?.[0]?.id;
  }, 20_000, 'an error group');
  await eventually(async () => ((await fetch(`${c.url}/api/v1/functions/default/hello`, { headers: { authorization: `Bearer ${READER}` } })).status === 200 ? true : undefined), 20_000, 'hello to be discovered');
});

after(async () => {
  await c?.stop();
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const endpoints = (): string[] => [
  '/metrics',
  '/api/v1/functions',
  '/api/v1/functions/default/hello',
  '/api/v1/targets',
  '/api/v1/errors',
  `/api/v1/errors/${groupId}`,
  '/api/v1/logs',
  '/api/v1/series?match[]=up',
  '/api/v1/dashboards',
  '/api/v1/rules',
];

async function statusOf(path: string, token: string | undefined, method = 'GET'): Promise<number> {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  if (method === 'POST') headers['content-type'] = 'application/json';
  const r = await fetch(c.url + path, { method, headers, ...(method === 'POST' ? { body: '{"data":{"name":"x"}}' } : {}) });
  await r.arrayBuffer();
  return r.status;
}

function upgrade(token: string | undefined): Promise<number | 'open'> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${c.url.replace(/^http/, 'ws')}/api/v1/tail?namespace=default`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    ws.on('message', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', reject);
  });
}

test('on loopback, --auth kubernetes is enforced on every endpoint: 401, 403, 200', async () => {
  assert.match(c.url, /^http:\/\/127\.0\.0\.1:/);
  for (const path of endpoints()) {
    assert.equal(await statusOf(path, undefined), 401, `${path} without a token`);
    assert.equal(await statusOf(path, BAD), 401, `${path} with a token the cluster does not know`);
    assert.equal(await statusOf(path, LISTER), 403, `${path} for a user without the get verb`);
    assert.equal(await statusOf(path, READER), 200, `${path} for a user with it`);
    assert.equal(await statusOf(path, sandbox.token), 200, `${path} with the kubeconfig\u2019s (admin) token`);
  }
  // POST is the "create" verb: the reader may not call a function, the admin may.
  const invoke = '/api/v1/functions/default/hello/invoke';
  assert.equal(await statusOf(invoke, undefined, 'POST'), 401);
  assert.equal(await statusOf(invoke, READER, 'POST'), 403);
  assert.equal(await statusOf(invoke, sandbox.token, 'POST'), 200);
  // The probes stay open.
  assert.equal(await statusOf('/healthz', undefined), 200);
  assert.equal(await statusOf('/readyz', undefined), 200);
});

test('the live-tail upgrade is refused and allowed the same way', async () => {
  assert.equal(await upgrade(undefined), 401);
  assert.equal(await upgrade(BAD), 401);
  assert.equal(await upgrade(LISTER), 403);
  assert.equal(await upgrade(READER), 'open');
  assert.equal(await upgrade(sandbox.token), 'open');
});

test('no token appears in the collector\u2019s output, even at debug level', () => {
  const out = c.output();
  assert.match(out, /"level":20/, 'the debug log was written');
  for (const t of [READER, LISTER, BAD, sandbox.token]) assert.ok(!out.includes(t), `a token leaked into the log: ${t.slice(0, 6)}…`);
});
