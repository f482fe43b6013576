// The built-in demo functions: well-formed Function manifests, and each one run in a pod with its
// demo inputs behaves as the demo needs (answers, failures with tracebacks, timeouts, crashes).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { demoFunctions, findOnPath } from '../../../collector/src/sandbox/runtimes/index.ts';
import { toRequest } from '../../../collector/src/sandbox/traffic/index.ts';
import { call, startReadyPod, testKubelet, waitFor, type TestPod } from './pod-helpers.ts';

const python = findOnPath('python3', process.env['PATH']);

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: Record<string, string>;
}

const demos = demoFunctions();
const byName = new Map(demos.map((d) => [(d.manifest as unknown as Manifest).metadata.name, d]));

test('demo manifests are Kubeless Function objects with inline text source', () => {
  assert.deepEqual([...byName.keys()], ['hello', 'bikesearch', 'slowpoke', 'kubelesshello', 'orders']);
  for (const d of demos) {
    const m = d.manifest as unknown as Manifest;
    assert.equal(m.apiVersion, 'kubeless.io/v1beta1');
    assert.equal(m.kind, 'Function');
    assert.equal(m.metadata.namespace, 'default');
    assert.deepEqual(m.metadata.labels, { 'created-by': 'kubeless', function: m.metadata.name });
    assert.equal(m.spec['function-content-type'], 'text');
    assert.match(m.spec.handler!, /^[a-z]+\.[a-z]+$/);
    assert.match(m.spec.runtime!, /^(python3\.8|nodejs14)$/);
    assert.match(m.spec.timeout!, /^\d+$/);
    assert.equal(m.spec.checksum, `sha256:${createHash('sha256').update(m.spec.function!).digest('hex')}`);
    assert.ok(d.payloads.good.length > 0);
  }
  const timeouts = Object.fromEntries(demos.map((d) => [(d.manifest as unknown as Manifest).metadata.name, (d.manifest as unknown as Manifest).spec.timeout]));
  assert.equal(timeouts['slowpoke'], '3');
});

function manifestOf(name: string): Manifest {
  return byName.get(name)!.manifest as unknown as Manifest;
}

async function runDemo(kubelet: ReturnType<typeof testKubelet>, name: string): Promise<TestPod> {
  const m = manifestOf(name);
  return startReadyPod(kubelet, { name, runtime: m.spec.runtime!, handler: m.spec.handler!, source: m.spec.function!, timeoutSeconds: Number(m.spec.timeout) });
}

async function send(pod: TestPod, payload: Parameters<typeof toRequest>[0]) {
  const req = toRequest(payload);
  return call(pod.url + '/', { method: req.method, headers: req.headers, ...(req.method === 'GET' ? {} : { body: req.body }) });
}

describe('demo functions in pods', () => {
  const kubelet = testKubelet();
  after(() => kubelet.shutdown());

  test('bikesearch: finds stations; a query without a term raises KeyError: \'term\'', { skip: python ? false : 'no python3 on PATH' }, async () => {
    const pod = await runDemo(kubelet, 'bikesearch');
    const ok = await send(pod, byName.get('bikesearch')!.payloads.good[0]!);
    assert.equal(ok.status, 200);
    const found = JSON.parse(ok.body) as { stations: Array<{ name: string }> };
    assert.deepEqual(found.stations.map((s) => s.name), ['Union Square', 'Old Town Square']);
    const bad = await send(pod, { body: { query: 'square' } });
    assert.equal(bad.status, 500);
    await waitFor('the traceback', () => pod.lines('stderr').includes("KeyError: 'term'"));
    assert.ok(pod.lines('stderr').includes("ERROR:root:Function returned an exception: 'term'"));
    for (const p of byName.get('bikesearch')!.payloads.bad) assert.equal((await send(pod, p)).status, 500, JSON.stringify(p));
  });

  test('hello echoes, slowpoke answers 408 past its timeout', { skip: python ? false : 'no python3 on PATH' }, async () => {
    const hello = await runDemo(kubelet, 'hello');
    assert.equal((await send(hello, { body: { hello: 'world' } })).body, '{"hello": "world"}');
    const slow = await runDemo(kubelet, 'slowpoke');
    assert.equal((await send(slow, { body: { pages: 2 } })).status, 200);
    assert.equal((await send(slow, byName.get('slowpoke')!.payloads.bad[0]!)).status, 408);
  });

  test('kubelesshello greets, and fails with a TypeError without a name', async () => {
    const pod = await runDemo(kubelet, 'kubelesshello');
    assert.deepEqual(await send(pod, { body: { name: ' sandbox ' } }).then((r) => [r.status, r.body]), [200, 'Hello sandbox!']);
    assert.equal((await send(pod, { body: {} })).status, 500);
    await waitFor('the stack', () => pod.lines('stderr').some((l) => l.startsWith('Function failed to execute: TypeError: Cannot read properties of undefined')));
    assert.ok(pod.lines('stderr').includes('    at hello (/kubeless/kubelesshello.js:5:34)'));
  });

  test('orders answers, then crashes on an order without items and is restarted', async () => {
    const pod = await runDemo(kubelet, 'orders');
    assert.equal((await send(pod, byName.get('orders')!.payloads.good[0]!)).status, 200);
    assert.equal((await send(pod, byName.get('orders')!.payloads.bad[0]!)).status, 200);
    await waitFor('the restart', () => pod.handle.status().restartCount === 1);
    const previous = pod.handle.log(true)!.entries().map((e) => e.text);
    assert.ok(previous.includes("TypeError: Cannot read properties of undefined (reading 'map')"), previous.join('\n'));
    assert.equal(pod.handle.status().lastState.terminated?.exitCode, 1);
  });
});
