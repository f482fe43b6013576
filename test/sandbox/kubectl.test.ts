// End to end with the real kubectl and real function processes (the sandbox's own kubelet).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../collector/src/sandbox/index.ts';
import { haveKubectl, kubectlRunner } from './helpers/kubectl.ts';

const skip = haveKubectl ? false : 'kubectl is not installed';
let sb: Sandbox;
let dir: string;
let k: ReturnType<typeof kubectlRunner>;

const ECHO_JS = `module.exports = {
  handler: (event) => {
    // kubectl create --raw sends no Content-Type: the runtime passes the body as text.
    const d = typeof event.data === 'string' ? JSON.parse(event.data) : (event.data || {});
    if (d.crash) setTimeout(() => { throw new Error('crash requested: ' + d.crash); }, 10);
    console.log('handled ' + JSON.stringify(d));
    return { echo: d };
  },
};
`;

const manifest = (source: string): string => `apiVersion: kubeless.io/v1beta1
kind: Function
metadata:
  name: echo
  namespace: default
  labels:
    created-by: kubeless
    function: echo
spec:
  handler: echo.handler
  runtime: nodejs14
  function-content-type: text
  timeout: "10"
  function: |
${source.split('\n').map((l) => `    ${l}`).join('\n')}
`;

async function until<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runningPod(): Promise<string> {
  return until('a ready echo pod', async () => {
    const r = await k.run(['get', 'pods', '-l', 'function=echo', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.containerStatuses[0].ready} {.metadata.deletionTimestamp}{"\\n"}{end}']);
    const line = r.stdout.split('\n').find((l) => / true $/.test(l));
    return line?.split(' ')[0];
  });
}

function invoke(body: unknown): Promise<{ code: number; stdout: string; stderr: string }> {
  const f = join(dir, `body-${Math.random()}.json`);
  writeFileSync(f, JSON.stringify(body));
  return k.run(['create', '--raw', '/api/v1/namespaces/default/services/echo:http-function-port/proxy/', '-f', f]);
}

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'fnscope-kubectl-'));
  sb = await startSandbox({ demo: false, traffic: false, dataDir: dir, kubeconfigPath: join(dir, 'kubeconfig') });
  k = kubectlRunner(sb.kubeconfigPath, join(dir, 'cache'));
});
after(async () => {
  if (skip) return;
  await sb.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('kubectl apply -f a Function with inline source: a pod appears and serves through the service proxy', { skip }, async () => {
  const f = join(dir, 'echo.yaml');
  writeFileSync(f, manifest(ECHO_JS));
  const applied = await k.run(['apply', '-f', f]);
  assert.equal(applied.stderr, '');
  assert.equal(applied.stdout, 'function.kubeless.io/echo created\n');
  await runningPod();
  const r = await invoke({ hello: 'kubectl' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { echo: { hello: 'kubectl' } });
  const again = await k.run(['apply', '-f', f]);
  assert.equal(again.stdout, 'function.kubeless.io/echo unchanged\n');
  const diff = await k.run(['diff', '-f', f]);
  assert.equal(diff.code, 0, `kubectl diff (a server-side dry run) sees no change: ${diff.stdout}${diff.stderr}`);
});

test('kubectl get functions, deployments and services print tables', { skip }, async () => {
  const fns = await k.run(['get', 'functions']);
  assert.equal(fns.code, 0, fns.stderr);
  assert.match(fns.stdout, /^NAME\s+AGE\necho\s+\d+s\n$/);
  const all = await k.run(['get', 'deploy,svc', '-l', 'function=echo']);
  assert.match(all.stdout, /deployment\.apps\/echo\s+1\/1\s+1\s+1\s+/);
  assert.match(all.stdout, /service\/echo\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+8080\/TCP/);
});

test('kubectl get pods -w -l function=echo shows changes as they happen', { skip }, async () => {
  const pod = await runningPod();
  const w = k.spawn(['get', 'pods', '-w', '-l', 'function=echo']);
  try {
    await until('the initial watch listing', () => w.out().includes(pod));
    assert.match(w.out(), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    const del = await k.run(['delete', 'pod', pod, '--wait=false']);
    assert.equal(del.stdout, `pod "${pod}" deleted\n`);
    await until('Terminating in the watch output', () => new RegExp(`${pod}\\s+\\S+\\s+Terminating`).test(w.out()));
    const replacement = await until('a replacement pod line', () => w.out().split('\n').map((l) => l.split(/\s+/)[0]).find((n) => n && n !== pod && n !== 'NAME'));
    assert.match(replacement, /^echo-[a-z0-9]+-[a-z0-9]{5}$/);
  } finally {
    w.child.kill('SIGTERM');
    await w.exited;
  }
});

test('kubectl logs -f follows a pod across a crash; --previous shows the crashed container', { skip }, async () => {
  const pod = await runningPod();
  const noPrev = await k.run(['logs', pod, '--previous']);
  assert.equal(noPrev.code, 1);
  assert.match(noPrev.stderr, new RegExp(`\\nError from server \\(BadRequest\\): previous terminated container "echo" in pod "${pod}" not found\\n$`));
  const f = k.spawn(['logs', '-f', pod]);
  await new Promise((r) => setTimeout(r, 300));
  await invoke({ step: 1 });
  await until('the first call in the followed log', () => f.out().includes('handled {"step":1}'));
  await invoke({ crash: 'now' });
  const code = await f.exited;
  assert.equal(code, 0, 'the followed stream ends when the container instance ends');
  assert.match(f.out(), /handled \{"crash":"now"\}/);
  assert.match(f.out(), /Error: crash requested: now/);
  await until('restart count 1', async () => (await k.run(['get', 'pod', pod, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}'])).stdout === '1');
  const prev = await k.run(['logs', pod, '--previous']);
  assert.equal(prev.code, 0, prev.stderr);
  assert.match(prev.stdout, /handled \{"step":1\}/);
  assert.match(prev.stdout, /Error: crash requested: now/);
  const row = new RegExp(`${pod}\\s+1/1\\s+Running\\s+1 \\(\\d+s ago\\)`);
  await until('the restarted pod ready again', async () => row.test((await k.run(['get', 'pod', pod])).stdout));
  const current = await k.run(['logs', pod, '--timestamps', '--tail=1']);
  assert.match(current.stdout, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z /);
});

test('a bad label selector gets the API server error text', { skip }, async () => {
  const r = await k.run(['get', 'pods', '-l', 'a b']);
  assert.equal(r.code, 1);
  assert.equal(r.stderr, `Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "a b", field selector "": unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt\n`);
  const f = await k.run(['get', 'functions', '--field-selector', 'spec.runtime=nodejs14']);
  assert.match(f.stderr, /"spec\.runtime" is not a known field selector: only "metadata\.name", "metadata\.namespace"/);
});

test('kubectl delete function: the pods and the service go', { skip }, async () => {
  const r = await k.run(['delete', 'function', 'echo']);
  assert.equal(r.stdout, 'function.kubeless.io "echo" deleted\n');
  await until('no echo pods', async () => (await k.run(['get', 'pods', '-l', 'function=echo'])).stderr === 'No resources found in default namespace.\n');
  const svc = await k.run(['get', 'svc', 'echo']);
  assert.equal(svc.stderr, 'Error from server (NotFound): services "echo" not found\n');
});
