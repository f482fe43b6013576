import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../helpers/cluster.ts';
import { at, call } from '../helpers/http.ts';

let c: TestCluster;
const SVC = '/api/v1/namespaces/default/services';

before(async () => {
  c = await startTestCluster();
  c.createFunction('twin', { deployment: { spec: { replicas: 2 } } });
  await c.until('two ready twin pods', () => {
    const ready = c.api.store.list('pods', 'default').filter((p) => p.metadata.labels?.['function'] === 'twin' && JSON.stringify(p['status']).includes('"type":"Ready","status":"True"'));
    return ready.length === 2;
  });
});
after(async () => {
  await c.close();
});

test('service proxy forwards method, path, query, headers and body to ready pods, round robin', async () => {
  const seen = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const r = await call(c.url, 'POST', `${SVC}/twin:http-function-port/proxy/sub/path?x=1`, { body: { n: i }, headers: { 'event-id': `id-${i}` } });
    assert.equal(r.status, 200);
    assert.equal(at(r.json, 'method'), 'POST');
    assert.equal(at(r.json, 'path'), '/sub/path?x=1');
    assert.equal(at(r.json, 'body'), JSON.stringify({ n: i }));
    assert.equal(at(r.json, 'headers.event-id'), `id-${i}`);
    assert.equal(at(r.json, 'headers.authorization'), undefined, 'credentials are not passed to the function');
    seen.add(String(at(r.json, 'pod')));
  }
  assert.equal(seen.size, 2);
  const byNumber = await call(c.url, 'POST', `${SVC}/twin:8080/proxy/`, { body: 'x', type: 'text/plain' });
  assert.equal(byNumber.status, 200);
});

test('GET without the trailing slash is redirected, as the API server does', async () => {
  const r = await call(c.url, 'GET', `${SVC}/twin/proxy`);
  assert.equal(r.status, 301);
});

test('pod proxy reaches that pod', async () => {
  const name = c.api.store.list('pods', 'default').find((p) => p.metadata.labels?.['function'] === 'twin')!.metadata.name!;
  const r = await call(c.url, 'GET', `/api/v1/namespaces/default/pods/${name}/proxy/healthz`);
  assert.equal(r.status, 200);
  assert.equal(r.text, 'OK');
});

test('errors: unknown service 404, unknown port 503, no ready endpoints 503', async () => {
  const missing = await call(c.url, 'POST', `${SVC}/ghost/proxy/`, { body: '' });
  assert.equal(missing.status, 404);
  assert.equal(at(missing.json, 'message'), 'services "ghost" not found');
  const port = await call(c.url, 'POST', `${SVC}/twin:9999/proxy/`, { body: '' });
  assert.equal(port.status, 503);
  assert.equal(at(port.json, 'message'), 'no service port "9999" found for service "twin"');
  await call(c.url, 'POST', SVC, { body: { metadata: { name: 'lonely' }, spec: { selector: { app: 'none' }, ports: [{ port: 80 }] } } });
  const none = await call(c.url, 'GET', `${SVC}/lonely/proxy/`);
  assert.equal(none.status, 503);
  assert.equal(at(none.json, 'reason'), 'ServiceUnavailable');
  assert.equal(at(none.json, 'message'), 'no endpoints available for service "lonely"');
});
