import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { KubernetesAuthenticator, verbOf } from '../../../collector/src/api/auth/kubernetes.ts';
import { kubeReviewClient, type KubeReviewClient, type SubjectAccessReviewSpec } from '../../../collector/src/api/auth/kube-review-client.ts';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';
import { silentLogger } from '../../../collector/src/util/logger.ts';
import { FakeReviewServer } from './fake-review-server.ts';

const fake = new FakeReviewServer('collector-sa-token');
const url = await fake.start();
after(() => fake.close());
fake.users.set('alice-token', { username: 'alice', uid: 'u-alice', groups: ['fnscope-readers', 'system:authenticated'] });
fake.users.set('bob-token', { username: 'bob', uid: 'u-bob', groups: ['system:authenticated'] });
fake.rules = [
  { group: 'fnscope-readers', verbs: ['get'], nonResourcePrefix: '/api/' },
  { group: 'fnscope-readers', verbs: ['get'], nonResourcePrefix: '/metrics' },
  { user: 'bob', verbs: ['get'], resource: { namespace: 'fnscope', resource: 'services', subresource: 'proxy', name: 'fnscope' } },
];

const req = (authorization: string | undefined, path = '/api/v1/functions', method = 'GET') => ({ method, path, authorization });

test('verbs follow kube-rbac-proxy', () => {
  const cases: Array<[string, string]> = [['GET', 'get'], ['HEAD', 'get'], ['POST', 'create'], ['PUT', 'update'], ['PATCH', 'patch'], ['DELETE', 'delete'], ['OPTIONS', 'options']];
  for (const [m, v] of cases) assert.equal(verbOf(m), v);
});

test('TokenReview + SubjectAccessReview over the Kubernetes API: 401, 403 and allowed', async () => {
  const a = new KubernetesAuthenticator({ client: kubeReviewClient(fake.kubeConfig(url)), clock: new ManualClock(), logger: silentLogger() });
  const table: Array<[string | undefined, string, number | 'ok']> = [
    [undefined, '/api/v1/functions', 401],
    ['Bearer not-a-token', '/api/v1/functions', 401],
    ['Bearer bob-token', '/api/v1/functions', 403],
    ['Bearer bob-token', '/metrics', 403],
    ['Bearer alice-token', '/api/v1/functions', 'ok'],
    ['Bearer alice-token', '/metrics', 'ok'],
    ['Bearer alice-token', '/debug', 403],
  ];
  for (const [h, path, want] of table) {
    const d = await a.check(req(h, path));
    if (want === 'ok') assert.deepEqual(d, { ok: true, user: 'alice' }, `${h} ${path}`);
    else {
      assert.equal(d.ok, false, `${h} ${path}`);
      if (!d.ok) assert.equal(d.status, want, `${h} ${path}: ${d.reason}`);
    }
  }
  const tr = fake.calls.find((c) => c.kind === 'TokenReview' && (c.body['spec'] as { token: string }).token === 'alice-token');
  assert.ok(tr, 'a TokenReview was posted');
  assert.deepEqual(tr.body, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token: 'alice-token' } });
  const sar = fake.calls.find((c) => c.kind === 'SubjectAccessReview' && (c.body['spec'] as { user: string }).user === 'alice');
  assert.deepEqual(sar?.body, {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { user: 'alice', uid: 'u-alice', groups: ['fnscope-readers', 'system:authenticated'], nonResourceAttributes: { path: '/api/v1/functions', verb: 'get' } },
  });
});

test('resource attributes instead of the path (kube-rbac-proxy --resource-attributes)', async () => {
  const a = new KubernetesAuthenticator({
    client: kubeReviewClient(fake.kubeConfig(url)),
    clock: new ManualClock(),
    logger: silentLogger(),
    resourceAttributes: { namespace: 'fnscope', resource: 'services', subresource: 'proxy', name: 'fnscope' },
  });
  assert.deepEqual(await a.check(req('Bearer bob-token', '/api/v1/functions')), { ok: true, user: 'bob' });
  const denied = await a.check(req('Bearer alice-token', '/api/v1/functions'));
  assert.equal(denied.ok, false);
  if (!denied.ok) {
    assert.equal(denied.status, 403);
    assert.match(denied.reason, /services\/proxy "fnscope" in namespace fnscope/);
  }
  const last = fake.calls.filter((c) => c.kind === 'SubjectAccessReview').at(-1);
  assert.deepEqual((last?.body['spec'] as SubjectAccessReviewSpec).resourceAttributes, { namespace: 'fnscope', resource: 'services', subresource: 'proxy', name: 'fnscope', verb: 'get' });
});

test('audiences: a token valid for another audience is refused', async () => {
  fake.users.set('aud-token', { username: 'carol', uid: 'u-c', groups: ['fnscope-readers'], audiences: ['other'] });
  const a = new KubernetesAuthenticator({ client: kubeReviewClient(fake.kubeConfig(url)), clock: new ManualClock(), logger: silentLogger(), audiences: ['fnscope'] });
  const d = await a.check(req('Bearer aud-token'));
  assert.equal(d.ok, false);
  fake.users.set('aud-token', { username: 'carol', uid: 'u-c', groups: ['fnscope-readers'], audiences: ['fnscope'] });
  const b = new KubernetesAuthenticator({ client: kubeReviewClient(fake.kubeConfig(url)), clock: new ManualClock(), logger: silentLogger(), audiences: ['fnscope'] });
  assert.equal((await b.check(req('Bearer aud-token'))).ok, true);
  const tr = fake.calls.filter((c) => c.kind === 'TokenReview').at(-1);
  assert.deepEqual((tr?.body['spec'] as { audiences: string[] }).audiences, ['fnscope']);
});

test('an API outage answers 503 and is not cached; the collector authenticates itself to the API', async () => {
  const a = new KubernetesAuthenticator({ client: kubeReviewClient(fake.kubeConfig(url)), clock: new ManualClock(), logger: silentLogger() });
  fake.failWith = 500;
  try {
    const d = await a.check(req('Bearer alice-token'));
    assert.equal(d.ok, false);
    if (!d.ok) assert.equal(d.status, 503);
  } finally {
    fake.failWith = undefined;
  }
  assert.equal((await a.check(req('Bearer alice-token'))).ok, true);
  const wrongCaller = new FakeReviewServer('other-sa');
  const b = new KubernetesAuthenticator({ client: kubeReviewClient(wrongCaller.kubeConfig(url)), clock: new ManualClock(), logger: silentLogger() });
  const d = await b.check(req('Bearer alice-token'));
  assert.equal(d.ok, false, 'the fake refuses a caller without the service-account token');
  if (!d.ok) assert.equal(d.status, 503);
});

/** An in-memory review client that counts calls. */
function countingClient(): KubeReviewClient & { tr: number; sar: number; allow: boolean; gate?: Promise<void> } {
  const c = {
    tr: 0,
    sar: 0,
    allow: true,
    gate: undefined as Promise<void> | undefined,
    async tokenReview(token: string) {
      c.tr++;
      await c.gate;
      return token === 'good' ? { authenticated: true, user: { username: 'u', groups: ['g'] } } : { authenticated: false };
    },
    async subjectAccessReview() {
      c.sar++;
      await c.gate;
      return { allowed: c.allow };
    },
  };
  return c;
}

test('decisions are cached with the configured TTLs, keyed by token digest and request', async () => {
  const clock = new ManualClock();
  const client = countingClient();
  const a = new KubernetesAuthenticator({ client, clock, logger: silentLogger(), cache: { authenticatedMs: 60_000, allowedMs: 30_000, deniedMs: 5_000, unauthenticatedMs: 1_000 } });
  for (let i = 0; i < 5; i++) assert.equal((await a.check(req('Bearer good'))).ok, true);
  assert.deepEqual([client.tr, client.sar], [1, 1]);
  await a.check(req('Bearer good', '/api/v1/targets'));
  assert.deepEqual([client.tr, client.sar], [1, 2], 'another path is another SubjectAccessReview');
  clock.advance(30_001);
  client.allow = false;
  assert.equal((await a.check(req('Bearer good'))).ok, false, 'the allow expired and the new answer is a denial');
  assert.deepEqual([client.tr, client.sar], [1, 3]);
  client.allow = true;
  assert.equal((await a.check(req('Bearer good'))).ok, false, 'the denial is cached');
  clock.advance(5_001);
  assert.equal((await a.check(req('Bearer good'))).ok, true);
  clock.advance(60_000);
  await a.check(req('Bearer good'));
  assert.equal(client.tr, 2, 'the authentication expired');
  await a.check(req('Bearer bad'));
  await a.check(req('Bearer bad'));
  assert.equal(client.tr, 3, 'a rejected token is cached briefly');
  clock.advance(1_001);
  await a.check(req('Bearer bad'));
  assert.equal(client.tr, 4);
});

test('concurrent identical requests share one review', async () => {
  const client = countingClient();
  let open!: () => void;
  client.gate = new Promise<void>((r) => (open = r));
  const a = new KubernetesAuthenticator({ client, clock: new ManualClock(), logger: silentLogger() });
  const all = Promise.all(Array.from({ length: 20 }, () => a.check(req('Bearer good'))));
  open();
  const ds = await all;
  assert.ok(ds.every((d) => d.ok));
  assert.deepEqual([client.tr, client.sar], [1, 1]);
});
