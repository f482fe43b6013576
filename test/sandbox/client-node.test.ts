// End to end with @kubernetes/client-node: informers, watch resume (forced disconnect, 410), pod logs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CoreV1Api, KubeConfig, Log, makeInformer, ADD, UPDATE, DELETE, ERROR, type Informer, type ObjectCache, type V1ConfigMap, type V1Pod } from '@kubernetes/client-node';
import { startSandbox, type Sandbox } from '../../collector/src/sandbox/index.ts';

let sb: Sandbox;
let dir: string;
let kc: KubeConfig;
let core: CoreV1Api;

const NODE_FN = `module.exports = {
  handler: (event) => {
    const d = event.data || {};
    if (d.crash) setTimeout(() => { throw new Error('crash requested'); }, 10);
    console.log('handled ' + JSON.stringify(d));
    return 'ok';
  },
};
`;

async function until<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000, detail = (): string => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${detail()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fnscope-clientnode-'));
  sb = await startSandbox({ demo: false, traffic: false, dataDir: dir, kubeconfigPath: join(dir, 'kubeconfig') });
  kc = new KubeConfig();
  kc.loadFromFile(sb.kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
});
after(async () => {
  await sb.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Seen {
  kind: string;
  name: string;
  rv: string;
}

function record<T extends { metadata?: { name?: string; resourceVersion?: string } }>(inf: Informer<T>, seen: Seen[], errors: unknown[]): void {
  for (const kind of [ADD, UPDATE, DELETE] as const) {
    inf.on(kind, (o: T) => seen.push({ kind, name: o.metadata?.name ?? '', rv: o.metadata?.resourceVersion ?? '' }));
  }
  inf.on(ERROR, (e: unknown) => errors.push(e));
}

function cmInformer(ns: string, lists = { count: 0 }): Informer<V1ConfigMap> & ObjectCache<V1ConfigMap> {
  return makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, () => {
    lists.count++;
    return core.listNamespacedConfigMap({ namespace: ns, labelSelector: 'watched=yes' });
  }, 'watched=yes');
}

test('a pod informer with a label selector sees add, update and delete of function pods', async () => {
  const fdef = sb.api.resources.find('kubeless.io', 'v1beta1', 'functions')!;
  const inf = makeInformer(kc, '/api/v1/namespaces/default/pods', () => core.listNamespacedPod({ namespace: 'default', labelSelector: 'function=watched' }), 'function=watched');
  const seen: Seen[] = [];
  const errors: unknown[] = [];
  record<V1Pod>(inf, seen, errors);
  await inf.start();
  sb.api.registry.create(fdef, 'default', {
    metadata: { name: 'watched', labels: { function: 'watched', 'created-by': 'kubeless' } },
    spec: { handler: 'watched.handler', runtime: 'nodejs14', 'function-content-type': 'text', function: NODE_FN },
  });
  sb.api.registry.create(fdef, 'default', {
    metadata: { name: 'other', labels: { function: 'other' } },
    spec: { handler: 'other.handler', runtime: 'nodejs14', 'function-content-type': 'text', function: NODE_FN },
  });
  const pod = await until('an ADD', () => seen.find((s) => s.kind === ADD)?.name);
  await until('an UPDATE to ready', () => inf.get(pod, 'default')?.status?.containerStatuses?.[0]?.ready === true);
  assert.ok(seen.some((s) => s.kind === UPDATE && s.name === pod));
  await core.deleteNamespacedPod({ name: pod, namespace: 'default' });
  await until('a DELETE', () => seen.some((s) => s.kind === DELETE && s.name === pod));
  assert.ok(seen.every((s) => s.name.startsWith('watched-')), 'only pods of the selected function');
  assert.deepEqual(errors, []);
  await inf.stop();
});

function checkNoGapsNoDuplicates(seen: Seen[], names: string[], since: number): void {
  // Every change the store recorded for these objects after `since` arrives once, in order.
  const want = sb.api.store.changesSince(since).filter((e) => e.key === 'configmaps' && names.includes(e.object.metadata.name ?? '')).map((e) => e.object.metadata.resourceVersion);
  const got = seen.filter((s) => names.includes(s.name) && Number(s.rv) > since).map((s) => s.rv);
  assert.deepEqual(got, want);
}

test('watch resume after a forced disconnect (clean close, then dropped connection): no gaps, no duplicates', async () => {
  const ns = 'default';
  const lists = { count: 0 };
  const inf = cmInformer(ns, lists);
  const seen: Seen[] = [];
  const errors: unknown[] = [];
  record<V1ConfigMap>(inf, seen, errors);
  await inf.start();
  const since = sb.api.store.resourceVersion;
  const put = async (name: string, v: number): Promise<void> => {
    try {
      const cur = await core.readNamespacedConfigMap({ name, namespace: ns });
      await core.replaceNamespacedConfigMap({ name, namespace: ns, body: { ...cur, data: { v: String(v) } } });
    } catch {
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, labels: { watched: 'yes' } }, data: { v: String(v) } } });
    }
  };
  await put('cm-a', 0);
  await until('cm-a seen', () => seen.some((s) => s.name === 'cm-a'));
  // 1. The server ends every watch cleanly; client-node reconnects from its last resourceVersion.
  assert.ok(sb.api.closeWatches() >= 1);
  for (let i = 1; i <= 5; i++) await put('cm-a', i);
  await put('cm-b', 0);
  await until('cm-a v5 and cm-b', () => inf.get('cm-a', ns)?.data?.['v'] === '5' && inf.get('cm-b', ns) !== undefined);
  // 2. The connection drops: client-node's informer reports an error and stops; restarting it resumes.
  sb.api.closeWatches({ abrupt: true });
  await until('the informer error', () => errors.length > 0);
  for (let i = 6; i <= 8; i++) await put('cm-a', i);
  await core.deleteNamespacedConfigMap({ name: 'cm-b', namespace: ns });
  await inf.start();
  await until('cm-a v8 and cm-b gone', () => inf.get('cm-a', ns)?.data?.['v'] === '8' && inf.get('cm-b', ns) === undefined);
  checkNoGapsNoDuplicates(seen, ['cm-a', 'cm-b'], since);
  assert.equal(lists.count, 1, 'both times the watch resumed from its resourceVersion, without a new list');
  await inf.stop();
});

test('watch resume after 410 Gone: the informer re-lists and reconciles its cache', async () => {
  const ns = 'default';
  for (const n of ['g-keep', 'g-change', 'g-drop']) await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: n, labels: { watched: 'yes' } }, data: { v: '0' } } });
  const lists = { count: 0 };
  const inf = cmInformer(ns, lists);
  const seen: Seen[] = [];
  const errors: unknown[] = [];
  record<V1ConfigMap>(inf, seen, errors);
  await inf.start();
  await until('three objects listed', () => ['g-keep', 'g-change', 'g-drop'].every((n) => inf.get(n, ns)));
  await until('the watch to be open', () => sb.api.watches.active > 0);
  const before = seen.length;
  // In one tick: every watch ends, the missed changes happen, and the history is compacted past them.
  sb.api.closeWatches();
  const cm = (name: string, v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { watched: 'yes' } }, data: { v } });
  const cmDef = sb.api.resources.find('', 'v1', 'configmaps')!;
  sb.api.registry.update(cmDef, ns, 'g-change', cm('g-change', '1'));
  sb.api.registry.delete(cmDef, ns, 'g-drop');
  sb.api.registry.create(cmDef, ns, cm('g-new', '0'));
  sb.api.compactHistory();
  await until('the re-listed cache', () => inf.get('g-change', ns)?.data?.['v'] === '1' && !inf.get('g-drop', ns) && inf.get('g-new', ns));
  assert.equal(lists.count, 2, 'the 410 made the informer list again');
  const after = seen.slice(before).map((s) => `${s.kind} ${s.name}`).sort();
  assert.deepEqual(after, ['add g-new', 'delete g-drop', 'update g-change']);
  assert.deepEqual(errors, []);
  await inf.stop();
});

test('Log with follow streams a container log and finishes when the container crashes', async () => {
  const fdef = sb.api.resources.find('kubeless.io', 'v1beta1', 'functions')!;
  sb.api.registry.create(fdef, 'default', {
    metadata: { name: 'logged', labels: { function: 'logged' } },
    spec: { handler: 'logged.handler', runtime: 'nodejs14', 'function-content-type': 'text', function: NODE_FN },
  });
  const pod = await until('a ready logged pod', async () => {
    const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'function=logged' });
    return list.items.find((p) => p.status?.containerStatuses?.[0]?.ready)?.metadata?.name;
  });
  let text = '';
  let finished = false;
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString();
      cb();
    },
    final(cb) {
      finished = true;
      cb();
    },
  });
  await new Log(kc).log('default', pod, 'logged', out, { follow: true, timestamps: true });
  await sb.invoke('default', 'logged', { method: 'POST', body: '{"n":1}', headers: { 'content-type': 'application/json' } });
  await until('the call in the log', () => text.includes('handled {"n":1}'), 20_000, () => JSON.stringify(text));
  await sb.invoke('default', 'logged', { method: 'POST', body: '{"crash":true}', headers: { 'content-type': 'application/json' } });
  await until('the stream to finish', () => finished, 20_000, () => JSON.stringify(text));
  assert.match(text, /Error: crash requested/);
  for (const line of text.trimEnd().split('\n')) assert.match(line, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z /);
});
