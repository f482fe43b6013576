import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inventoryFromFunctionsResponse, loadInventory } from '../../collector/src/generate/inventory.ts';

const viewShape = {
  status: 'success',
  data: [
    { namespace: 'shop', name: 'zeta', framework: 'kubeless', runtime: 'go1.14', handler: 'h.F', annotations: {}, pods: { ready: 1, total: 1, restarts: 0 } },
    { namespace: 'shop', name: 'checkout', runtime: 'python3.11', handler: 'h.f', annotations: { 'fnscope.io/slo-availability': '99.5', other: 1 } },
    { namespace: 'default', name: 'hello', runtime: 'nodejs14', handler: 'h.hello', annotations: {} },
  ],
};

test('the API envelope: functions sorted, string annotations kept, other fields ignored', () => {
  const inv = inventoryFromFunctionsResponse(viewShape);
  assert.deepEqual(
    inv.functions.map((f) => `${f.namespace}/${f.name}`),
    ['default/hello', 'shop/checkout', 'shop/zeta'],
  );
  assert.deepEqual(inv.functions[1], {
    namespace: 'shop',
    name: 'checkout',
    runtime: 'python3.11',
    handler: 'h.f',
    annotations: { 'fnscope.io/slo-availability': '99.5' },
  });
});

test('other shapes: bare data list, {functions}, Kubernetes-style metadata/spec', () => {
  const k8s = { metadata: { namespace: 'a', name: 'b', annotations: { x: 'y' } }, spec: { runtime: 'java11', handler: 'H.f' } };
  for (const body of [[k8s], { functions: [k8s] }, { status: 'success', data: { functions: [k8s] } }]) {
    assert.deepEqual(inventoryFromFunctionsResponse(body).functions, [
      { namespace: 'a', name: 'b', runtime: 'java11', handler: 'H.f', annotations: { x: 'y' } },
    ]);
  }
});

for (const [what, body] of [
  ['error status', { status: 'error', error: 'boom' }],
  ['no list', { status: 'success', data: 3 }],
  ['item without a name', { status: 'success', data: [{ namespace: 'a' }] }],
] as const) {
  test(`rejects ${what}`, () => assert.throws(() => inventoryFromFunctionsResponse(body), { code: 'FNS_SERVER_REQUEST' }));
}

test('loadInventory asks a collector over HTTP, with the bearer token', async (t) => {
  let auth: string | undefined;
  let path: string | undefined;
  const server = createServer((req, res) => {
    auth = req.headers.authorization;
    path = req.url;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(viewShape));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const inv = await loadInventory(url, { token: 's3cret' });
  assert.equal(inv.functions.length, 3);
  assert.equal(path, '/api/v1/functions');
  assert.equal(auth, 'Bearer s3cret');
});

test('loadInventory: an unreachable collector is a FNS_SERVER_REQUEST error', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  await assert.rejects(loadInventory(`http://127.0.0.1:${port}`), { code: 'FNS_SERVER_REQUEST' });
});
