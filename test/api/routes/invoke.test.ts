import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../../../collector/src/api/app.ts';
import { INVOKE_LIMITS, invokeRoutes, readyPodFinder, type InvokeTarget } from '../../../collector/src/api/routes/invoke.ts';
import { listen } from '../../../collector/src/api/server.ts';
import type { FunctionInfo, PodInfo } from '../../../collector/src/discovery/types.ts';
import { silentLogger } from '../../../collector/src/util/logger.ts';
import { fakeBackend } from '../../support/fake-backend.ts';

interface Seen {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const seen: Seen[] = [];
// A stand-in function pod: echoes what it got; /fail answers 500, /slow never answers in time, /big sends 1 MiB + 10 bytes.
const fnServer = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    seen.push({ method: req.method ?? '', headers: req.headers, body });
    if (req.url === '/fail') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 2000).unref();
    } else if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(INVOKE_LIMITS.maxBodyBytes + 10));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ got: body, type: req.headers['content-type'] ?? null }));
    }
  });
});
await new Promise<void>((r) => fnServer.listen(0, '127.0.0.1', r));
const fnUrl = `http://127.0.0.1:${(fnServer.address() as AddressInfo).port}`;

const targets: Record<string, InvokeTarget | 'no-ready-pod'> = {
  'default/echo': { pod: 'echo-1', url: `${fnUrl}/`, timeoutSeconds: 180 },
  'default/fail': { pod: 'fail-1', url: `${fnUrl}/fail`, timeoutSeconds: null },
  'default/slow': { pod: 'slow-1', url: `${fnUrl}/slow`, timeoutSeconds: 0.2 },
  'default/big': { pod: 'big-1', url: `${fnUrl}/big`, timeoutSeconds: null },
  'default/down': { pod: 'down-1', url: 'http://127.0.0.1:1/', timeoutSeconds: null },
  'default/idle': 'no-ready-pod',
};
let tick = 1_800_000_000_000;
const app = createApiApp({
  backend: fakeBackend([]),
  logger: silentLogger(),
  extra: [invokeRoutes({ findPod: (ns, name) => targets[`${ns}/${name}`] ?? 'no-function', fetch, now: () => (tick += 1000) })],
});
const api = await listen(app, { host: '127.0.0.1', port: 0 });
after(async () => {
  await api.close();
  fnServer.closeAllConnections();
  fnServer.close();
});

async function invoke(fn: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${api.url}/api/v1/functions/default/${fn}/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

test('a JSON payload reaches one pod as application/json with the Kubeless event headers; the answer comes back whole', async () => {
  seen.length = 0;
  const r = await invoke('echo', { data: { term: 'park' } });
  assert.equal(r.status, 200);
  const d = r.json['data'] as { status: number; body: string; pod: string; durationMs: number; headers: Record<string, string>; truncated: boolean; start: number; end: number };
  assert.equal(d.end - d.start, 1000, 'start and end by the injected collector clock');
  assert.equal(d.status, 200);
  assert.equal(d.pod, 'echo-1');
  assert.deepEqual(JSON.parse(d.body), { got: '{"term":"park"}', type: 'application/json' });
  assert.equal(d.headers['content-type'], 'application/json');
  assert.equal(d.truncated, false);
  assert.ok(d.durationMs >= 0);
  const s = seen[0]!;
  assert.equal(s.method, 'POST');
  assert.equal(s.headers['event-type'], 'application/json');
  assert.equal(s.headers['event-namespace'], 'api.fnscope.io');
  assert.match(String(s.headers['event-id']), /^[0-9a-f-]{36}$/);
  assert.ok(!Number.isNaN(Date.parse(String(s.headers['event-time']))));
});

const bodies: Array<{ name: string; body: unknown; method: string; sent: string; type: string | undefined }> = [
  { name: 'text that is not JSON goes as text/plain', body: { data: 'hello there' }, method: 'POST', sent: 'hello there', type: 'text/plain' },
  { name: 'a string holding JSON goes as application/json', body: { data: '{"a":1}' }, method: 'POST', sent: '{"a":1}', type: 'application/json' },
  { name: 'an explicit content type wins', body: { data: 'a,b', contentType: 'text/csv' }, method: 'POST', sent: 'a,b', type: 'text/csv' },
  { name: 'no data means GET without a body', body: {}, method: 'GET', sent: '', type: undefined },
  { name: 'PUT with data', body: { method: 'put', data: [1, 2] }, method: 'PUT', sent: '[1,2]', type: 'application/json' },
];
for (const c of bodies) {
  test(`invoke body: ${c.name}`, async () => {
    seen.length = 0;
    const r = await invoke('echo', c.body);
    assert.equal(r.status, 200);
    assert.equal(seen[0]!.method, c.method);
    assert.equal(seen[0]!.body, c.sent);
    assert.equal(seen[0]!.headers['content-type'], c.type);
  });
}

const failures: Array<{ name: string; fn: string; body: unknown; headers?: Record<string, string>; status: number; errorType: string; match?: RegExp }> = [
  { name: 'unknown function', fn: 'nope', body: { data: 1 }, status: 404, errorType: 'not_found' },
  { name: 'no ready pod', fn: 'idle', body: { data: 1 }, status: 503, errorType: 'unavailable', match: /no ready pod/ },
  { name: 'pod refuses the connection', fn: 'down', body: { data: 1 }, status: 503, errorType: 'unavailable', match: /down-1/ },
  { name: 'slower than the function timeout', fn: 'slow', body: { data: 1 }, status: 504, errorType: 'timeout', match: /0\.2 s/ },
  { name: 'bad method', fn: 'echo', body: { method: 'TRACE' }, status: 400, errorType: 'bad_data' },
  { name: 'GET with data', fn: 'echo', body: { method: 'GET', data: 'x' }, status: 400, errorType: 'bad_data' },
  { name: 'body not an object', fn: 'echo', body: '[1]', status: 400, errorType: 'bad_data' },
  { name: 'invalid JSON', fn: 'echo', body: '{"data":', status: 400, errorType: 'bad_data' },
  { name: 'not JSON at all (a cross-site form post)', fn: 'echo', body: 'data=1', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 400, errorType: 'bad_data' },
  { name: 'from another origin', fn: 'echo', body: { data: 1 }, headers: { origin: 'http://evil.example' }, status: 403, errorType: 'forbidden' },
  { name: 'over the 1 MiB limit', fn: 'echo', body: { data: 'x'.repeat(INVOKE_LIMITS.maxBodyBytes) }, status: 413, errorType: 'too_large' },
];
for (const c of failures) {
  test(`invoke refused: ${c.name} → ${c.status}`, async () => {
    const r = await invoke(c.fn, c.body, c.headers);
    assert.equal(r.status, c.status);
    assert.equal(r.json['status'], 'error');
    assert.equal(r.json['errorType'], c.errorType);
    if (c.match) assert.match(String(r.json['error']), c.match);
  });
}

test('same-origin requests from the UI pass the origin check', async () => {
  const r = await invoke('echo', { data: 1 }, { origin: api.url });
  assert.equal(r.status, 200);
});

test("a function's error answer is data, not an API error", async () => {
  const r = await invoke('fail', { data: 1 });
  assert.equal(r.status, 200);
  const d = r.json['data'] as { status: number; body: string };
  assert.deepEqual([d.status, d.body], [500, 'boom']);
});

test('an answer over 1 MiB is cut and marked', async () => {
  const r = await invoke('big', {});
  const d = r.json['data'] as { body: string; truncated: boolean };
  assert.equal(d.truncated, true);
  assert.equal(d.body.length, INVOKE_LIMITS.maxBodyBytes);
});

function pod(name: string, over: Partial<PodInfo> = {}): PodInfo {
  return {
    uid: name, name, namespace: 'default', node: 'n1', phase: 'Running', ready: true, restarts: 0, container: 'f', podIP: '10.0.0.1', startTime: null,
    terminating: false, role: 'function', scrape: { enabled: true, scheme: 'http', port: 8080, path: '/metrics' }, target: true, notTargetReason: null, ...over,
  };
}
function info(name: string, pods: PodInfo[], timeoutSeconds: number | null = 180): FunctionInfo {
  return {
    namespace: 'default', name, framework: 'kubeless', source: `kubeless/default/${name}`, runtime: 'python3.8', handler: 'f.h', timeoutSeconds, labels: {}, annotations: {}, slo: {},
    triggers: [], hasFunctionObject: true, createdAt: null, pods, otherPods: [], endpoints: [],
  };
}

test('readyPodFinder: ready function pods with an IP, round-robin; IPv6 in brackets', () => {
  const inv = [
    info('f', [pod('a', { podIP: '10.0.0.1' }), pod('b', { ready: false }), pod('c', { terminating: true }), pod('d', { podIP: null }), pod('e', { podIP: 'fd00::5', scrape: { enabled: true, scheme: 'http', port: 9090, path: '/metrics' } }), pod('t', { role: 'trigger' })]),
    info('g', [pod('x', { ready: false })]),
  ];
  const find = readyPodFinder(() => inv);
  const picks = [find('default', 'f'), find('default', 'f'), find('default', 'f')];
  assert.deepEqual(picks, [
    { pod: 'a', url: 'http://10.0.0.1:8080/', timeoutSeconds: 180 },
    { pod: 'e', url: 'http://[fd00::5]:9090/', timeoutSeconds: 180 },
    { pod: 'a', url: 'http://10.0.0.1:8080/', timeoutSeconds: 180 },
  ]);
  assert.equal(find('default', 'g'), 'no-ready-pod');
  assert.equal(find('default', 'h'), 'no-function');
  assert.equal(find('other', 'f'), 'no-function');
});
