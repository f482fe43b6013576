/**
 * TokenReview and SubjectAccessReview on the sandbox API server, asked through the collector's own
 * review client (@kubernetes/client-node), as `fnscope serve --auth kubernetes` asks them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { ApiServer, ruleAllows, SANDBOX_ADMIN, SANDBOX_AUDIENCES, type SandboxUser } from '../../../collector/src/sandbox/apiserver/index.ts';
import { kubeReviewClient, type KubeReviewClient } from '../../../collector/src/api/auth/index.ts';

const ADMIN = 'admin-token-0123456789';
const users: SandboxUser[] = [
  { token: 'reader-token', name: 'reader', groups: ['readers'], allow: [{ verb: 'get', nonResourceURL: '/api/v1/*' }, { verb: 'get', resource: 'pods/log', namespace: 'default' }] },
  { token: 'lister-token', name: 'lister', allow: [{ verb: 'list', nonResourceURL: '*' }, { verb: '*', resource: 'functions.kubeless.io' }] },
  { token: 'other-audience', name: 'robot', audiences: ['vault'], allow: [] },
];
let api: ApiServer;
let client: KubeReviewClient;

before(async () => {
  api = new ApiServer({ token: ADMIN, users });
  const url = await api.listen();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'sandbox', server: url, skipTLSVerify: true }],
    users: [{ name: 'admin', token: ADMIN }],
    contexts: [{ name: 'sandbox', cluster: 'sandbox', user: 'admin' }],
    currentContext: 'sandbox',
  });
  client = kubeReviewClient(kc);
});
after(async () => {
  await api.close();
});

test('TokenReview: the kubeconfig token is the admin; extra users by their tokens; anything else is not authenticated', async () => {
  const admin = await client.tokenReview(ADMIN);
  assert.equal(admin.authenticated, true);
  assert.equal(admin.user?.username, SANDBOX_ADMIN);
  assert.ok(admin.user?.groups?.includes('system:masters'));
  assert.deepEqual(admin.audiences, [...SANDBOX_AUDIENCES]);
  const reader = await client.tokenReview('reader-token');
  assert.equal(reader.user?.username, 'reader');
  assert.deepEqual(reader.user?.groups, ['readers', 'system:authenticated']);
  for (const bad of ['reader-token-x', 'reader-toke', 'nope']) {
    const st = await client.tokenReview(bad);
    assert.notEqual(st.authenticated, true, bad);
    assert.match(st.error ?? '', /invalid bearer token/);
  }
});

test('TokenReview audiences: the token must be valid for one of those asked', async () => {
  assert.equal((await client.tokenReview('reader-token', [SANDBOX_AUDIENCES[0]!, 'other'])).authenticated, true);
  assert.deepEqual((await client.tokenReview('reader-token', [SANDBOX_AUDIENCES[0]!, 'other'])).audiences, [SANDBOX_AUDIENCES[0]]);
  assert.notEqual((await client.tokenReview('reader-token', ['vault'])).authenticated, true);
  assert.equal((await client.tokenReview('other-audience', ['vault'])).authenticated, true);
  assert.notEqual((await client.tokenReview('other-audience')).authenticated, true);
});

test('SubjectAccessReview: system:masters may do anything; others what their rules allow', async () => {
  const cases: Array<[string, string[], { path: string; verb: string } | Record<string, string>, boolean]> = [
    [SANDBOX_ADMIN, ['system:masters'], { path: '/metrics', verb: 'get' }, true],
    [SANDBOX_ADMIN, ['system:masters'], { verb: 'delete', resource: 'pods', namespace: 'kube-system' }, true],
    ['reader', ['readers'], { path: '/api/v1/functions', verb: 'get' }, true],
    ['reader', ['readers'], { path: '/api/v1/tail', verb: 'get' }, true],
    ['reader', ['readers'], { path: '/metrics', verb: 'get' }, false],
    ['reader', ['readers'], { path: '/api/v1/functions', verb: 'create' }, false],
    ['reader', ['readers'], { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'default' }, true],
    ['reader', ['readers'], { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'other' }, false],
    ['reader', ['readers'], { verb: 'get', resource: 'pods', namespace: 'default' }, false],
    ['lister', [], { path: '/api/v1/functions', verb: 'get' }, false],
    ['lister', [], { path: '/anything', verb: 'list' }, true],
    ['lister', [], { verb: 'watch', resource: 'functions', group: 'kubeless.io', namespace: 'x' }, true],
    ['lister', [], { verb: 'watch', resource: 'functions', group: 'other.io', namespace: 'x' }, false],
    ['stranger', [], { path: '/api/v1/functions', verb: 'get' }, false],
  ];
  for (const [user, groups, attrs, want] of cases) {
    const spec = 'path' in attrs ? { user, groups, nonResourceAttributes: attrs as { path: string; verb: string } } : { user, groups, resourceAttributes: attrs };
    const st = await client.subjectAccessReview(spec);
    assert.equal(st.allowed, want, JSON.stringify(spec));
  }
});

test('malformed reviews are refused like the API server refuses them', async () => {
  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(api.url + path, { method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, ...(method === 'POST' ? { body: JSON.stringify(body) } : {}) });
  const sar = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
  const tr = '/apis/authentication.k8s.io/v1/tokenreviews';
  assert.equal((await post(sar, { kind: 'SubjectAccessReview', spec: { user: 'u' } })).status, 422);
  assert.equal((await post(sar, { kind: 'SubjectAccessReview', spec: { user: 'u', nonResourceAttributes: { path: '/', verb: 'get' }, resourceAttributes: { verb: 'get' } } })).status, 422);
  assert.equal((await post(sar, { kind: 'SubjectAccessReview', spec: { nonResourceAttributes: { path: '/', verb: 'get' } } })).status, 422);
  assert.equal((await post(tr, { kind: 'TokenReview', spec: {} })).status, 422);
  assert.equal((await post(tr, { kind: 'Pod', spec: { token: 'x' } })).status, 400);
  assert.equal((await post(tr, null, 'GET')).status, 405);
  const unauth = await fetch(api.url + tr, { method: 'POST', headers: { authorization: 'Bearer reader-token', 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'TokenReview', spec: { token: 'x' } }) });
  assert.equal(unauth.status, 401, 'the review APIs themselves need the kubeconfig token');
});

test('rules: subresources are not covered by their resource; prefixes end in *', () => {
  const cases: Array<[Parameters<typeof ruleAllows>[0], Parameters<typeof ruleAllows>[1], boolean]> = [
    [{ verb: 'get', resource: 'pods' }, { resource: { verb: 'get', resource: 'pods', subresource: 'log' } }, false],
    [{ verb: 'get', resource: 'pods/log' }, { resource: { verb: 'get', resource: 'pods', subresource: 'log' } }, true],
    [{ verb: '*', resource: '*' }, { resource: { verb: 'patch', resource: 'anything', group: 'x.io' } }, true],
    [{ verb: 'get', nonResourceURL: '/api/*' }, { nonResource: { verb: 'get', path: '/api' } }, false],
    [{ verb: 'get', nonResourceURL: '/api/*' }, { nonResource: { verb: 'get', path: '/api/v1/x' } }, true],
    [{ verb: 'get', nonResourceURL: '/metrics' }, { nonResource: { verb: 'get', path: '/metrics/x' } }, false],
    [{ verb: 'get', resource: 'pods' }, { nonResource: { verb: 'get', path: '/pods' } }, false],
    [{ verb: 'get', nonResourceURL: '*' }, { resource: { verb: 'get', resource: 'pods' } }, false],
  ];
  for (const [rule, attrs, want] of cases) assert.equal(ruleAllows(rule, attrs), want, JSON.stringify([rule, attrs]));
});
