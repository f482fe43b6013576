import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApiApp } from '../../collector/src/api/app.ts';
import { ApiError } from '../../collector/src/api/envelope.ts';
import { listen, parseListen } from '../../collector/src/api/server.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { fakeBackend, fn } from '../support/fake-backend.ts';

let ready = false;
const backend = fakeBackend([fn('hello'), fn('other', { namespace: 'x' })], {
  ready: () => ready,
  functionDetail: (ns, name, q) => (ns === 'default' && name === 'hello' ? { ...fn('hello'), podList: [], history: { since: q.since, step: q.step, window: q.window, points: [] } } : undefined),
  series: (q) => {
    if (q.matchers.some((m) => m.includes('!!'))) throw new ApiError('bad_data', 'bad matcher');
    return { series: [{ labels: { __name__: 'up' }, values: [[q.start / 1000, '1']] }], truncated: false };
  },
});
const server = await listen(createApiApp({ backend, logger: silentLogger(), now: () => 1_800_000_000_000 }), { host: '127.0.0.1', port: 0 });
after(() => server.close());

async function get(path: string): Promise<{ status: number; body: Record<string, unknown> | string }> {
  const r = await fetch(server.url + path);
  const text = await r.text();
  try {
    return { status: r.status, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { status: r.status, body: text };
  }
}

test('readyz follows discovery sync; healthz is always ok', async () => {
  assert.equal((await get('/healthz')).status, 200);
  assert.equal((await get('/readyz')).status, 503);
  ready = true;
  assert.equal((await get('/readyz')).status, 200);
});

const cases: Array<{ path: string; status: number; errorType?: string; check?: (b: Record<string, unknown>) => void }> = [
  { path: '/api/v1/functions', status: 200, check: (b) => assert.equal((b['data'] as unknown[]).length, 2) },
  { path: '/api/v1/functions?namespace=x', status: 200, check: (b) => assert.deepEqual((b['data'] as Array<{ name: string }>).map((f) => f.name), ['other']) },
  { path: '/api/v1/functions/default/hello?since=5m&step=30s', status: 200, check: (b) => assert.deepEqual((b['data'] as { history: unknown }).history, { since: 300_000, step: 30_000, window: 60_000, points: [] }) },
  { path: '/api/v1/functions/default/nope', status: 404, errorType: 'not_found' },
  { path: '/api/v1/functions/default/hello?since=5x', status: 400, errorType: 'bad_data' },
  { path: '/api/v1/functions/default/hello?since=48h', status: 400, errorType: 'bad_data' },
  { path: '/api/v1/functions/default/hello?since=24h&step=1s', status: 400, errorType: 'bad_data' },
  { path: '/api/v1/functions?namespace=a&namespace=b', status: 400, errorType: 'bad_data' },
  { path: '/api/v1/series', status: 400, errorType: 'bad_data' },
  { path: '/api/v1/series?match[]=up&start=100&end=50', status: 400, errorType: 'bad_data' },
  { path: '/api/v1/series?match[]=up!!', status: 400, errorType: 'bad_data' },
  { path: `/api/v1/series?match[]=${'a'.repeat(2000)}`, status: 400, errorType: 'bad_data' },
  { path: '/api/v1/series?match[]=up&start=1700000000&end=1700000060', status: 200, check: (b) => assert.deepEqual(b['data'], [{ labels: { __name__: 'up' }, values: [[1_700_000_000, '1']] }]) },
  { path: '/api/v1/nope', status: 404, errorType: 'not_found' },
];
for (const c of cases) {
  test(`GET ${c.path.slice(0, 80)} → ${c.status}`, async () => {
    const r = await get(c.path);
    assert.equal(r.status, c.status);
    assert.equal(typeof r.body, 'object');
    const b = r.body as Record<string, unknown>;
    if (c.errorType) {
      assert.equal(b['status'], 'error');
      assert.equal(b['errorType'], c.errorType);
      assert.equal(typeof b['error'], 'string');
    } else {
      assert.equal(b['status'], 'success');
    }
    c.check?.(b);
  });
}

test('parseListen', () => {
  assert.deepEqual(parseListen('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
  assert.deepEqual(parseListen('[::1]:80'), { host: '::1', port: 80 });
  assert.deepEqual(parseListen(':9464'), { host: '0.0.0.0', port: 9464 });
  assert.throws(() => parseListen('localhost'), /invalid listen address/);
  assert.throws(() => parseListen('a:99999'), /invalid listen address/);
});
