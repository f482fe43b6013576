import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectCluster, loadClusterConfig } from '../../collector/src/cli/cluster.ts';
import { runFnscope } from '../support/cli.ts';

const kubeconfig = (server: string): string =>
  `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: '${server}'}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;

test('the cluster is found as kubectl finds it: the file given, $KUBECONFIG, ~/.kube/config; none is null', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'fnscope-home-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const given = join(home, 'given.yaml');
  const fromEnv = join(home, 'env.yaml');
  writeFileSync(given, kubeconfig('https://given:6443'));
  writeFileSync(fromEnv, kubeconfig('https://env:6443'));
  const server = async (path: string | undefined, env: NodeJS.ProcessEnv): Promise<string | null> => (await loadClusterConfig(path, env))?.getCurrentCluster()?.server ?? null;

  assert.equal(await server(undefined, { HOME: home }), null, 'no file anywhere: no made-up http://localhost:8080');
  assert.equal(detectCluster({ HOME: home }), undefined);
  assert.equal(await server(given, { HOME: home, KUBECONFIG: fromEnv }), 'https://given:6443');
  assert.equal(await server(undefined, { HOME: home, KUBECONFIG: `${join(home, 'missing')}:${fromEnv}` }), 'https://env:6443', 'the first $KUBECONFIG entry that exists');
  mkdirSync(join(home, '.kube'));
  writeFileSync(join(home, '.kube', 'config'), kubeconfig('https://home:6443'));
  assert.equal(await server(undefined, { HOME: home }), 'https://home:6443');
  assert.deepEqual(detectCluster({ HOME: home }), { kind: 'kubeconfig', path: join(home, '.kube', 'config') });
  await assert.rejects(loadClusterConfig(join(home, 'missing.yaml'), { HOME: home }), { code: 'FNS_CONFIG_INVALID', message: /^cannot load the kubeconfig .*missing\.yaml: / });
});

test('fnscope logs with no collector and no cluster says so (exit 2), and fnscope call too', async (t) => {
  const home = mkdtempSync(join(tmpdir(), 'fnscope-home-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const logs = await runFnscope(['logs', 'hello', '--server', 'http://127.0.0.1:9'], { env: { HOME: home } });
  assert.equal(logs.code, 1, 'an explicit --server that does not answer is a runtime failure');
  const fallback = await runFnscope(['logs', 'hello'], { env: { HOME: home, FNSCOPE_SERVER: 'http://127.0.0.1:9' } });
  assert.equal(fallback.code, 2, fallback.stderr);
  assert.match(fallback.stderr, /no collector answers and no cluster is configured/);
  const call = await runFnscope(['call', 'hello'], { env: { HOME: home } });
  assert.equal(call.code, 1, call.stderr);
  assert.match(call.stderr, /no cluster is configured/);
});
