// `fnscope call` through the API server's service proxy, with client-node's kubeconfig handling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../collector/src/cli/run-cli.ts';
import { commands } from '../../../collector/src/cli/commands/index.ts';
import { startTestCluster, type TestCluster } from '../../sandbox/helpers/cluster.ts';
import { call } from '../../sandbox/helpers/http.ts';

let c: TestCluster;

before(async () => {
  c = await startTestCluster();
  c.createFunction('echoer');
  await c.until('a ready pod', () => c.api.store.list('pods', 'default').some((p) => p.metadata.labels?.['function'] === 'echoer' && JSON.stringify(p['status']).includes('"type":"Ready","status":"True"')));
});
after(async () => {
  await c.close();
});

async function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(['call', ...args], commands, { stdin: new PassThrough(), stdout, stderr, env, signal: new AbortController().signal });
  return { code, out, err };
}

test('fnscope call posts --data as JSON with event headers and prints the body', async () => {
  const r = await run(['echoer', '--data', '{"hello":"world"}', '--kubeconfig', c.kubeconfig]);
  assert.equal(r.code, 0, r.err);
  const body = JSON.parse(r.out) as { method: string; body: string; headers: Record<string, string> };
  assert.equal(body.method, 'POST');
  assert.equal(body.body, '{"hello":"world"}');
  assert.equal(body.headers['content-type'], 'application/json');
  assert.equal(body.headers['event-type'], 'application/json');
  assert.equal(body.headers['event-namespace'], 'cli.fnscope.io');
  assert.ok(body.headers['event-id']);
});

test('fnscope call: GET without data, the namespace flag, and KUBECONFIG from the environment', async () => {
  const r = await run(['echoer', '-n', 'default'], { KUBECONFIG: c.kubeconfig });
  assert.equal(r.code, 0, r.err);
  assert.equal((JSON.parse(r.out) as { method: string }).method, 'GET');
});

test('fnscope call: a non-2xx answer prints its body, reports the status on stderr, exits 1', async () => {
  await call(c.url, 'POST', '/api/v1/namespaces/default/services', { body: { metadata: { name: 'idle' }, spec: { selector: { app: 'none' }, ports: [{ name: 'http', port: 80 }] } } });
  const r = await run(['idle', '--data', 'x', '--kubeconfig', c.kubeconfig]);
  assert.equal(r.code, 1);
  assert.match(r.out, /no endpoints available for service \\"idle\\"/);
  assert.equal(r.err, 'fnscope call: default/idle answered 503 Service Unavailable\n');
});

test('fnscope call: unknown function, missing argument, unreadable kubeconfig', async () => {
  const missing = await run(['ghost', '--kubeconfig', c.kubeconfig]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /FNS_KUBE_REQUEST: function "ghost" not found in namespace "default"/);
  const usage = await run([]);
  assert.equal(usage.code, 2);
  const badCfg = await run(['echoer', '--kubeconfig', '/nonexistent/kubeconfig']);
  assert.equal(badCfg.code, 1);
  assert.match(badCfg.err, /FNS_CONFIG_INVALID: cannot load the kubeconfig/);
});
