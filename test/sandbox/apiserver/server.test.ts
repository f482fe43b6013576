import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster, type TestCluster } from '../helpers/cluster.ts';
import { at, call, list, readWatch } from '../helpers/http.ts';

let c: TestCluster;
const FN = '/apis/kubeless.io/v1beta1/namespaces/default/functions';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

before(async () => {
  c = await startTestCluster();
});
after(async () => {
  await c.close();
});

const fnBody = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'kubeless.io/v1beta1', kind: 'Function', metadata: { name, labels: { function: name } },
  spec: { handler: 'h.handler', runtime: 'python3.8', function: 'def handler(e, c):\n  return 1\n', 'function-content-type': 'text' }, ...extra,
});

test('discovery: /version, /api, /apis, group-version resource lists', async () => {
  const v = await call(c.url, 'GET', '/version');
  assert.equal(at(v.json, 'major'), '1');
  assert.equal(at(v.json, 'minor'), '32');
  const api = await call(c.url, 'GET', '/api');
  assert.equal(at(api.json, 'kind'), 'APIVersions');
  assert.deepEqual(at(api.json, 'versions'), ['v1']);
  const apis = await call(c.url, 'GET', '/apis');
  assert.deepEqual(list(apis.json, 'groups').map((g) => at(g, 'name')).sort(), ['apiextensions.k8s.io', 'apps', 'kubeless.io', 'monitoring.coreos.com']);
  const core = await call(c.url, 'GET', '/api/v1');
  const pods = list(core.json, 'resources').find((r) => at(r, 'name') === 'pods');
  assert.deepEqual(pods, { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'], categories: ['all'] });
  assert.ok(list(core.json, 'resources').some((r) => at(r, 'name') === 'pods/log' && list(r, 'verbs').includes('get')));
  const kl = await call(c.url, 'GET', '/apis/kubeless.io/v1beta1');
  assert.deepEqual(list(kl.json, 'resources').map((r) => at(r, 'name')), ['functions', 'httptriggers', 'cronjobtriggers']);
  assert.equal(at((await call(c.url, 'GET', '/apis/kubeless.io')).json, 'preferredVersion.groupVersion'), 'kubeless.io/v1beta1');
  assert.equal((await call(c.url, 'GET', '/apis/nope.io/v1')).status, 404);
});

test('aggregated discovery (apidiscovery.k8s.io/v2) when asked for it, with its content type', async () => {
  const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
  const r = await call(c.url, 'GET', '/apis', { headers: { accept } });
  assert.equal(r.type, 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
  assert.equal(at(r.json, 'kind'), 'APIGroupDiscoveryList');
  const kl = list(r.json, 'items').find((i) => at(i, 'metadata.name') === 'kubeless.io');
  const fns = list(kl, 'versions.0.resources').find((x) => at(x, 'resource') === 'functions');
  assert.deepEqual(at(fns, 'responseKind'), { group: 'kubeless.io', version: 'v1beta1', kind: 'Function' });
  assert.equal(at(fns, 'scope'), 'Namespaced');
  const core = await call(c.url, 'GET', '/api', { headers: { accept } });
  const pods = list(core.json, 'items.0.versions.0.resources').find((x) => at(x, 'resource') === 'pods');
  assert.ok(list(pods, 'subresources').some((x) => at(x, 'subresource') === 'log'));
});

test('OpenAPI v3: index and group-version documents; PATCH takes fieldValidation', async () => {
  const idx = await call(c.url, 'GET', '/openapi/v3');
  const url = (at(idx.json, 'paths') as Record<string, { serverRelativeURL: string }>)['apis/kubeless.io/v1beta1']!.serverRelativeURL;
  const doc = await call(c.url, 'GET', url);
  const item = (at(doc.json, 'paths') as Record<string, unknown>)['/apis/kubeless.io/v1beta1/namespaces/{namespace}/functions/{name}'];
  assert.deepEqual(at(item, 'patch.x-kubernetes-group-version-kind'), { group: 'kubeless.io', version: 'v1beta1', kind: 'Function' });
  assert.ok(list(item, 'patch.parameters').some((x) => at(x, 'name') === 'fieldValidation'));
  assert.ok((at(doc.json, 'components.schemas') as Record<string, unknown>)['io.kubeless.v1beta1.Function']);
  assert.equal((await call(c.url, 'GET', '/openapi/v3/apis/nope/v1')).status, 404);
});

test('create, get, list, update with resourceVersion, merge/json/apply patch, delete', async () => {
  const created = await call(c.url, 'POST', FN, { body: fnBody('crud') });
  assert.equal(created.status, 201);
  assert.ok(at(created.json, 'metadata.uid') && at(created.json, 'metadata.creationTimestamp') && at(created.json, 'metadata.resourceVersion'));
  assert.equal(at(created.json, 'metadata.generation'), 1);
  const got = await call(c.url, 'GET', `${FN}/crud`);
  assert.deepEqual(got.json, created.json);
  const gotObj = got.json as { spec: Record<string, unknown> };
  const upd = await call(c.url, 'PUT', `${FN}/crud`, { body: { ...gotObj, spec: { ...gotObj.spec, timeout: '5' } } });
  assert.equal(upd.status, 200);
  assert.equal(at(upd.json, 'metadata.generation'), 2);
  const stale = await call(c.url, 'PUT', `${FN}/crud`, { body: got.json });
  assert.equal(stale.status, 409);
  assert.equal(at(stale.json, 'reason'), 'Conflict');
  assert.equal(at(stale.json, 'message'), 'Operation cannot be fulfilled on functions.kubeless.io "crud": the object has been modified; please apply your changes to the latest version and try again');
  const merge = await call(c.url, 'PATCH', `${FN}/crud`, { body: { metadata: { labels: { extra: 'yes' } } }, type: 'application/merge-patch+json' });
  assert.equal(at(merge.json, 'metadata.labels.extra'), 'yes');
  const jp = await call(c.url, 'PATCH', `${FN}/crud`, { body: [{ op: 'replace', path: '/spec/timeout', value: '7' }], type: 'application/json-patch+json' });
  assert.equal(at(jp.json, 'spec.timeout'), '7');
  const apply = await call(c.url, 'PATCH', `${FN}/crud?fieldManager=test`, { body: 'apiVersion: kubeless.io/v1beta1\nkind: Function\nmetadata:\n  name: crud\nspec:\n  timeout: "9"\n', type: 'application/apply-patch+yaml' });
  assert.equal(at(apply.json, 'spec.timeout'), '9');
  const listed = await call(c.url, 'GET', `${FN}?labelSelector=extra%3Dyes`);
  assert.equal(at(listed.json, 'kind'), 'FunctionList');
  assert.deepEqual(list(listed.json, 'items').map((i) => at(i, 'metadata.name')), ['crud']);
  const del = await call(c.url, 'DELETE', `${FN}/crud`);
  assert.equal(del.status, 200);
  assert.equal(at(del.json, 'metadata.name'), 'crud');
  assert.equal((await call(c.url, 'GET', `${FN}/crud`)).status, 404);
});

test('dryRun=All validates but stores nothing', async () => {
  const r = await call(c.url, 'POST', `${FN}?dryRun=All`, { body: fnBody('dry') });
  assert.equal(r.status, 201);
  assert.equal((await call(c.url, 'GET', `${FN}/dry`)).status, 404);
});

test('Table output as kubectl get asks for it: pods and custom resources', async () => {
  c.createFunction('tabled');
  await c.until('a ready tabled pod', async () => {
    const r = await call(c.url, 'GET', '/api/v1/namespaces/default/pods?labelSelector=function%3Dtabled', { headers: { accept: TABLE } });
    return list(r.json, 'rows').length === 1 && at(r.json, 'rows.0.cells.1') === '1/1' ? r : undefined;
  });
  const r = await call(c.url, 'GET', '/api/v1/namespaces/default/pods?labelSelector=function%3Dtabled&limit=500', { headers: { accept: TABLE } });
  assert.equal(r.type, 'application/json;as=Table;v=v1;g=meta.k8s.io');
  assert.deepEqual(list(r.json, 'columnDefinitions').map((d) => at(d, 'name')), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
  assert.match(String(at(r.json, 'rows.0.cells.0')), /^tabled-[a-z0-9]+-[a-z0-9]{5}$/);
  assert.deepEqual(list(r.json, 'rows.0.cells').slice(1, 4), ['1/1', 'Running', '0']);
  assert.equal(at(r.json, 'rows.0.object.kind'), 'PartialObjectMetadata');
  const fns = await call(c.url, 'GET', `${FN}/tabled`, { headers: { accept: TABLE } });
  assert.deepEqual(list(fns.json, 'columnDefinitions').map((d) => at(d, 'name')), ['Name', 'Age']);
  assert.equal(at(fns.json, 'rows.0.cells.0'), 'tabled');
  const none = await call(c.url, 'GET', `${FN}?includeObject=None`, { headers: { accept: TABLE } });
  assert.equal(at(none.json, 'rows.0.object'), undefined);
});

const errorCases: Array<{ name: string; method: string; path: string; body?: unknown; type?: string; headers?: Record<string, string>; code: number; reason?: string; message?: RegExp }> = [
  { name: 'unknown resource', method: 'GET', path: '/api/v1/namespaces/default/frobs', code: 404, reason: 'NotFound', message: /^the server could not find the requested resource$/ },
  { name: 'unknown object', method: 'GET', path: `${FN}/nope`, code: 404, message: /^functions\.kubeless\.io "nope" not found$/ },
  { name: 'missing namespace', method: 'POST', path: '/apis/kubeless.io/v1beta1/namespaces/ghost/functions', body: fnBody('x'), code: 404, message: /^namespaces "ghost" not found$/ },
  { name: 'POST to an object', method: 'POST', path: `${FN}/x`, body: fnBody('x'), code: 405, reason: 'MethodNotAllowed' },
  { name: 'create a read-only kind', method: 'POST', path: '/apis/apps/v1/namespaces/default/deployments', body: { metadata: { name: 'd' } }, code: 405 },
  { name: 'malformed JSON', method: 'POST', path: FN, body: '{"metadata": ', code: 400, reason: 'BadRequest', message: /^couldn't get version\/kind; json parse error/ },
  { name: 'wrong kind in body', method: 'POST', path: FN, body: { ...fnBody('x'), kind: 'Pod' }, code: 400, message: /kind in the data \(Pod\) does not match the expected kind \(Function\)/ },
  { name: 'namespace mismatch', method: 'POST', path: FN, body: { ...fnBody('x'), metadata: { name: 'x', namespace: 'kube-system' } }, code: 400, message: /^the namespace of the provided object does not match the namespace sent on the request$/ },
  { name: 'invalid name', method: 'POST', path: FN, body: fnBody('Not_Valid'), code: 422, reason: 'Invalid', message: /^Function\.kubeless\.io "Not_Valid" is invalid: metadata\.name: Invalid value: "Not_Valid": a lowercase RFC 1123 subdomain/ },
  { name: 'no name', method: 'POST', path: FN, body: { ...fnBody('x'), metadata: {} }, code: 422, message: /metadata\.name: Required value: name or generateName is required/ },
  { name: 'bad label value', method: 'POST', path: FN, body: { ...fnBody('x'), metadata: { name: 'x', labels: { a: 'b c' } } }, code: 422, message: /metadata\.labels: Invalid value: "b c"/ },
  { name: 'unknown metadata field with Strict validation', method: 'POST', path: `${FN}?fieldValidation=Strict`, body: { ...fnBody('x'), metadata: { name: 'x', colour: 'red' } }, code: 400, message: /^strict decoding error: unknown field "metadata\.colour"$/ },
  { name: 'resourceVersion on create', method: 'POST', path: FN, body: { ...fnBody('x'), metadata: { name: 'x', resourceVersion: '5' } }, code: 400, message: /^resourceVersion should not be set on objects to be created$/ },
  { name: 'unsupported body type', method: 'POST', path: FN, body: '<xml/>', type: 'application/xml', code: 415, reason: 'UnsupportedMediaType' },
  { name: 'strategic merge on a custom resource', method: 'PATCH', path: `${FN}/tabled`, body: { metadata: {} }, type: 'application/strategic-merge-patch+json', code: 415, message: /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml$/ },
  { name: 'failed json patch test', method: 'PATCH', path: `${FN}/tabled`, body: [{ op: 'test', path: '/spec/runtime', value: 'cobol' }], type: 'application/json-patch+json', code: 422 },
  { name: 'apply without fieldManager', method: 'PATCH', path: `${FN}/tabled`, body: 'metadata: {}', type: 'application/apply-patch+yaml', code: 422, message: /fieldManager: Required value: is required for apply patch/ },
  { name: 'bad label selector', method: 'GET', path: `${FN}?labelSelector=a%20b`, code: 400, message: /^unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt$/ },
  { name: 'bad resourceVersion', method: 'GET', path: `${FN}?resourceVersion=abc`, code: 400, message: /^resourceVersion: Invalid value: "abc"/ },
  { name: 'bad token', method: 'GET', path: FN, headers: { authorization: 'Bearer wrong' }, code: 401, reason: 'Unauthorized' },
  { name: 'bad delete propagation', method: 'DELETE', path: `${FN}/tabled?propagationPolicy=Sideways`, code: 422, message: /propagationPolicy: Unsupported value: "Sideways"/ },
  { name: 'table for a bogus media type only', method: 'GET', path: FN, headers: { accept: 'application/xml' }, code: 406, reason: 'NotAcceptable' },
];

for (const e of errorCases) {
  test(`error: ${e.name} → ${e.code} Status`, async () => {
    const opts: { body?: unknown; type?: string; headers?: Record<string, string> } = {};
    if (e.body !== undefined) opts.body = e.body;
    if (e.type) opts.type = e.type;
    if (e.headers) opts.headers = e.headers;
    const r = await call(c.url, e.method, e.path, opts);
    assert.equal(r.status, e.code, r.text);
    assert.equal(at(r.json, 'kind'), 'Status');
    assert.equal(at(r.json, 'status'), 'Failure');
    assert.equal(at(r.json, 'code'), e.code);
    if (e.reason) assert.equal(at(r.json, 'reason'), e.reason);
    if (e.message) assert.match(String(at(r.json, 'message')), e.message);
  });
}

test('CRD updates need metadata.resourceVersion (422); unknown query parameters are ignored', async () => {
  c.createFunction('needsrv');
  const r = await call(c.url, 'PUT', `${FN}/needsrv`, { body: fnBody('needsrv') });
  assert.equal(r.status, 422);
  assert.match(String(at(r.json, 'message')), /metadata\.resourceVersion: Invalid value: 0x0: must be specified for an update/);
  const ok = await call(c.url, 'GET', `${FN}/needsrv?pretty=true&frobnicate=yes&timeout=32s`);
  assert.equal(ok.status, 200);
});

test('request bodies above 3 MiB get 413', async () => {
  const r = await call(c.url, 'POST', FN, { body: JSON.stringify({ ...fnBody('big'), pad: 'x'.repeat(3 * 1024 * 1024) }) });
  assert.equal(r.status, 413);
  assert.equal(at(r.json, 'reason'), 'RequestEntityTooLarge');
});

test('a list with an Exact resourceVersion that was compacted is 410 Expired', async () => {
  const rv = Number(at((await call(c.url, 'GET', FN)).json, 'metadata.resourceVersion'));
  c.createFunction('bump');
  c.api.compactHistory();
  const r = await call(c.url, 'GET', `${FN}?resourceVersion=${rv}&resourceVersionMatch=Exact`);
  assert.equal(r.status, 410);
  assert.equal(at(r.json, 'reason'), 'Expired');
});

test('watch over HTTP: events as JSON lines; 410 ERROR event for a compacted version; forced close ends the stream', async () => {
  const rv = Number(at((await call(c.url, 'GET', FN)).json, 'metadata.resourceVersion'));
  const pending = readWatch(c.url, `${FN}?watch=1&resourceVersion=${rv}`, (ev) => ev.length >= 2);
  await new Promise((r) => setTimeout(r, 50));
  c.createFunction('w1');
  c.createFunction('w2');
  const { events } = await pending;
  assert.deepEqual(events.map((e) => [at(e, 'type'), at(e, 'object.metadata.name')]), [['ADDED', 'w1'], ['ADDED', 'w2']]);
  c.api.compactHistory();
  const gone = await readWatch(c.url, `/apis/kubeless.io/v1beta1/watch/namespaces/default/functions?resourceVersion=${rv}`, () => false);
  assert.equal(gone.ended, true);
  assert.equal(gone.events.length, 1);
  assert.equal(at(gone.events, '0.type'), 'ERROR');
  assert.equal(at(gone.events, '0.object.code'), 410);
  const open = readWatch(c.url, `${FN}?watch=true`, () => false);
  await c.until('the watch to be open', () => c.api.watches.active > 0);
  assert.ok(c.api.closeWatches() >= 1);
  const closed = await open;
  assert.equal(closed.ended, true);
});

test('deleting a function pod: 202 with deletionTimestamp, then the pod goes and a new one replaces it', async () => {
  c.createFunction('replaced');
  const podName = await c.until('a pod', () => c.api.store.list('pods', 'default').find((p) => p.metadata.labels?.['function'] === 'replaced')?.metadata.name);
  const del = await call(c.url, 'DELETE', `/api/v1/namespaces/default/pods/${podName}`);
  assert.equal(del.status, 202);
  assert.ok(at(del.json, 'metadata.deletionTimestamp'));
  assert.equal(at(del.json, 'metadata.deletionGracePeriodSeconds'), 30);
  await c.until('the old pod gone and a new one running', () => {
    const ps = c.api.store.list('pods', 'default').filter((p) => p.metadata.labels?.['function'] === 'replaced');
    return ps.length === 1 && ps[0]!.metadata.name !== podName;
  });
});

test('garbage in never gets a 500 and never stops the server', async () => {
  const weird: Array<[string, string, string | undefined, string | undefined]> = [
    ['GET', '/api/v1/namespaces/%zz/pods', undefined, undefined],
    ['GET', '/api/v1//pods', undefined, undefined],
    ['GET', '/apis/kubeless.io/v1beta1/namespaces/default/functions/x/y/z', undefined, undefined],
    ['POST', FN, '[1,2,3]', 'application/json'],
    ['POST', FN, 'null', 'application/json'],
    ['POST', FN, '"str"', 'application/json'],
    ['POST', FN, '{"metadata": "nope"}', 'application/json'],
    ['POST', FN, ': : :', 'application/yaml'],
    ['PUT', FN, '{}', 'application/json'],
    ['PATCH', `${FN}/tabled`, 'not json', 'application/merge-patch+json'],
    ['PATCH', `${FN}/tabled`, '{"op":"add"}', 'application/json-patch+json'],
    ['PATCH', `${FN}/tabled`, '[{"op":"add","path":"no-slash","value":1}]', 'application/json-patch+json'],
    ['PATCH', `${FN}/tabled`, '{"metadata":{"name":"renamed"}}', 'application/merge-patch+json'],
    ['PATCH', `${FN}/ghost`, '{}', 'application/merge-patch+json'],
    ['DELETE', `${FN}/tabled`, '{not json', 'application/json'],
    ['GET', `${FN}?limit=-5&timeoutSeconds=x`, undefined, undefined],
    ['GET', `${FN}?watch=true&resourceVersion=99999999999`, undefined, undefined],
    ['GET', '/api/v1/namespaces/default/pods/ghost/proxy/', undefined, undefined],
    ['GET', '/api/v1/namespaces/default/services/tabled:nope/proxy/', undefined, undefined],
    ['GET', '/api/v1/namespaces/default/pods/x/exec', undefined, undefined],
    ['POST', '/api/v1/namespaces/default/pods/x/log', '{}', 'application/json'],
    ['GET', '/openapi/v3/../../etc/passwd', undefined, undefined],
    ['OPTIONS', FN, undefined, undefined],
  ];
  for (const [method, path, body, type] of weird) {
    const opts: { body?: unknown; type?: string } = {};
    if (body !== undefined) opts.body = body;
    if (type) opts.type = type;
    const r = await call(c.url, method, path, opts);
    assert.ok(r.status >= 200 && r.status < 500 || r.status === 503 || r.status === 504, `${method} ${path} → ${r.status} ${r.text}`);
  }
  assert.equal((await call(c.url, 'GET', '/version')).status, 200);
});
