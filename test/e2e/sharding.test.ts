/**
 * Sharded mode and fan-out against one sandbox cluster: three `fnscope serve --mode sharded`
 * processes scrape and read the logs of disjoint sets of pods that together are all of them; any
 * replica answers for the whole cluster through its peers; a peer killed is a warning; and with a
 * replica removed (the shard count goes from 3 to 2) the union is complete again.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startSandbox, type Sandbox } from '../../collector/src/sandbox/index.ts';
import { hashmod } from '../../collector/src/shard/index.ts';
import type { FunctionView, TargetsView } from '../../collector/src/api/types.ts';
import type { TailRecord } from '../../collector/src/events/records.ts';
import { startCollector, freePort, type CollectorProcess } from '../support/collector.ts';
import { eventually } from '../support/serve.ts';

const dir = mkdtempSync(join(tmpdir(), 'fnscope-sharding-'));
let sandbox: Sandbox;
let pods: Array<{ name: string; uid: string; fn: string }> = [];
let replicas: CollectorProcess[] = [];

async function kube<T>(path: string, init: RequestInit = {}): Promise<T> {
  const r = await fetch(sandbox.apiUrl + path, { ...init, headers: { authorization: `Bearer ${sandbox.token}`, ...(init.headers ?? {}) } });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

async function api<T>(base: string, path: string): Promise<{ data: T; warnings?: string[] }> {
  const r = await fetch(base + path);
  const body = (await r.json()) as { status: string; data: T; warnings?: string[]; error?: string };
  if (body.status !== 'success') throw new Error(`${path}: ${body.error}`);
  return body;
}

/** Every collector started, so that none outlives the test whatever fails. */
const started: CollectorProcess[] = [];

/** Start `count` sharded replicas that know each other as peers (ports chosen up front; one retry if one was taken meanwhile). */
async function startShards(count: number, attempt = 1): Promise<CollectorProcess[]> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  const peers = ports.map((p) => `http://127.0.0.1:${p}`).join(',');
  const results = await Promise.allSettled(
    ports.map((port, i) =>
      startCollector([
        '--kubeconfig', sandbox.kubeconfigPath, '--listen', `127.0.0.1:${port}`,
        '--mode', 'sharded', '--shard-index', String(i), '--shard-count', String(count), '--peers', peers,
        '--scrape-interval', '1s', '--scrape-timeout', '900ms', '--log-level', 'warn',
      ]),
    ),
  );
  const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  started.push(...ok);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!failed) return ok;
  await Promise.all(ok.map((r) => r.stop()));
  if (attempt < 2 && /EADDRINUSE/.test(String(failed.reason))) return startShards(count, attempt + 1);
  throw failed.reason as Error;
}

const podsOf = (t: TargetsView): string[] => t.activeTargets.map((x) => x.labels['pod'] ?? '').sort();

/** Each replica's scraped pods and log-read pods, once every pod is covered by someone. */
async function coverage(rs: CollectorProcess[]): Promise<{ targets: string[][]; logs: string[][] }> {
  const all = pods.map((p) => p.name).sort();
  return eventually(async () => {
    const targets = await Promise.all(rs.map(async (r) => podsOf((await api<TargetsView>(r.url, '/api/v1/targets')).data)));
    const logs = await Promise.all(
      rs.map(async (r) => [...new Set((await api<TailRecord[]>(r.url, '/api/v1/logs?local=1&since=1h&limit=10000')).data.filter((x) => x.kind === 'line').map((x) => x.pod))].sort()),
    );
    const covered = (lists: string[][]): boolean => all.every((p) => lists.some((l) => l.includes(p)));
    return covered(targets) && covered(logs) ? { targets, logs } : undefined;
  }, 30_000, 'every pod to be scraped and read by some replica');
}

function assertPartition(lists: string[][], count: number, what: string): void {
  const all = pods.map((p) => p.name).sort();
  assert.deepEqual(lists.flat().sort(), all, `${what}: the union is every function pod, each once`);
  for (const [i, l] of lists.entries()) {
    const want = pods.filter((p) => hashmod(p.uid, count) === i).map((p) => p.name).sort();
    assert.deepEqual(l, want, `${what} of replica ${i}: the pods whose UID hashes to ${i} of ${count}`);
  }
}

before(async () => {
  sandbox = await startSandbox({ traffic: false, dataDir: dir, kubeconfigPath: join(dir, 'kubeconfig') });
  // More replicas, so that three shards have pods enough to split.
  for (const [fn, n] of [['hello', 3], ['bikesearch', 2]] as const) {
    await kube(`/apis/kubeless.io/v1beta1/namespaces/default/functions/${fn}`, {
      method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify({ spec: { deployment: { spec: { replicas: n } } } }),
    });
  }
  pods = await eventually(async () => {
    const list = await kube<{ items: Array<{ metadata: { name: string; uid: string; labels: Record<string, string> }; status: { phase?: string; podIP?: string; conditions?: Array<{ type: string; status: string }> } }> }>('/api/v1/pods?labelSelector=created-by%3Dkubeless');
    const running = list.items.filter((p) => p.status.phase === 'Running' && p.status.podIP && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    return running.length >= 8 && running.length === list.items.length ? running.map((p) => ({ name: p.metadata.name, uid: p.metadata.uid, fn: p.metadata.labels['function'] ?? '' })) : undefined;
  }, 30_000, 'eight ready function pods');
  replicas = await startShards(3);
});

after(async () => {
  await Promise.all(started.map((r) => r.stop()));
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('three shards: every pod is scraped by exactly one replica and its logs read by exactly one', async () => {
  const { targets, logs } = await coverage(replicas);
  assertPartition(targets, 3, 'scraped pods');
  assertPartition(logs, 3, 'log-read pods');
  assert.ok(targets.filter((l) => l.length > 0).length >= 2, `the pods are spread: ${targets.map((l) => l.length).join('/')}`);
});

test('any replica answers /api/v1/functions and /api/v1/logs for the whole cluster', async () => {
  const answers = await Promise.all(replicas.map((r) => api<FunctionView[]>(r.url, '/api/v1/functions')));
  const want = Object.fromEntries([...new Set(pods.map((p) => p.fn))].map((fn) => [fn, pods.filter((p) => p.fn === fn).length]));
  for (const [i, a] of answers.entries()) {
    assert.equal(a.warnings, undefined, `replica ${i}: ${JSON.stringify(a.warnings)}`);
    const got = Object.fromEntries(a.data.map((f) => [f.name, f.pods.total]));
    assert.deepEqual(got, want, `replica ${i} counts every pod of every function`);
    assert.deepEqual(Object.fromEntries(a.data.map((f) => [f.name, f.targets.total])), want, `replica ${i} counts every target`);
  }
  for (const r of replicas) {
    const logs = await api<TailRecord[]>(r.url, '/api/v1/logs?since=1h&limit=10000');
    const seen = new Set(logs.data.filter((x) => x.kind === 'line').map((x) => x.pod));
    assert.deepEqual([...seen].sort(), pods.map((p) => p.name).sort(), `${r.url} answers with every pod\u2019s lines`);
    for (let i = 1; i < logs.data.length; i++) assert.ok(logs.data[i]!.time >= logs.data[i - 1]!.time, 'in time order');
  }
});

test('any replica answers /api/v1/errors and the live tail for the whole cluster', async () => {
  // Every bikesearch pod throws a KeyError. The tail is asked of a replica that does not own the
  // first bikesearch pod, so that at least one pod's lines can only come through a peer.
  const bikePods = pods.filter((p) => p.fn === 'bikesearch');
  const helloPods = pods.filter((p) => p.fn === 'hello');
  const tailerIndex = (hashmod(bikePods[0]!.uid, 3) + 1) % 3;
  const tailer = replicas[tailerIndex]!;
  const ws = new WebSocket(`${tailer.url.replace(/^http/, 'ws')}/api/v1/tail?namespace=default`);
  const live: TailRecord[] = [];
  ws.on('message', (d: Buffer) => {
    const m = JSON.parse(d.toString()) as { type: string; records?: TailRecord[] };
    if (m.type === 'records') live.push(...(m.records ?? []));
  });
  await new Promise((r, j) => {
    ws.once('open', r);
    ws.once('error', j);
  });
  try {
    await new Promise((r) => setTimeout(r, 500)); // the peers' subscriptions
    for (let i = 0; i < 6; i++) await sandbox.invoke('default', 'bikesearch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    for (let i = 0; i < 9; i++) await sandbox.invoke('default', 'hello', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' });
    // The tail carries the access lines of every hello and bikesearch pod (each served a call).
    await eventually(() => {
      const served = new Set(live.filter((x) => x.kind === 'line' && /POST/.test(x.text)).map((x) => x.pod));
      return Promise.resolve([...bikePods, ...helloPods].every((p) => served.has(p.name)) ? served : undefined);
    }, 15_000, `access lines of every called pod on replica ${tailerIndex}\u2019s tail`);
    assert.ok([...bikePods, ...helloPods].some((p) => hashmod(p.uid, 3) !== tailerIndex), 'some of them belong to a peer');
    const seqs = live.map((x) => x.seq);
    assert.equal(new Set(seqs).size, seqs.length, 'one sequence on the fanned-out tail');
    for (const r of replicas) {
      const groups = await eventually(async () => {
        const g = (await api<Array<{ type: string; count: number; pods: Record<string, number> }>>(r.url, '/api/v1/errors?function=bikesearch')).data.filter((x) => x.type === 'KeyError');
        return g.length === 1 && g[0]!.count >= 6 ? g : undefined;
      }, 15_000, `the KeyError group with every occurrence on ${r.url}`);
      assert.equal(groups[0]!.count, 6, `${r.url}: six KeyErrors, counted once each`);
      assert.deepEqual(Object.keys(groups[0]!.pods).sort(), bikePods.map((p) => p.name).sort(), `${r.url}: from every bikesearch pod`);
    }
  } finally {
    ws.close();
  }
});

test('a peer killed: the others answer with a warning naming it', async () => {
  const gone = replicas[2]!;
  await gone.kill();
  const a = await api<FunctionView[]>(replicas[0]!.url, '/api/v1/functions');
  assert.ok(a.data.length > 0);
  assert.equal(a.warnings?.length, 1, JSON.stringify(a.warnings));
  assert.match(a.warnings[0]!, new RegExp(`peer ${gone.url.replace(/[.]/g, '\\.')} did not answer`));
  const ownedByGone = pods.filter((p) => hashmod(p.uid, 3) === 2).length;
  assert.equal(a.data.reduce((n, f) => n + f.pods.total, 0), pods.length - ownedByGone, 'the answer is the rest, the gone replica\u2019s pods missing');
});

test('a replica removed: the two left, restarted with --shard-count 2, cover every pod again', async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  replicas = await startShards(2);
  const { targets, logs } = await coverage(replicas);
  assertPartition(targets, 2, 'scraped pods');
  assertPartition(logs, 2, 'log-read pods');
  const fns = await api<FunctionView[]>(replicas[1]!.url, '/api/v1/functions');
  assert.equal(fns.warnings, undefined);
  assert.equal(fns.data.reduce((n, f) => n + f.pods.total, 0), pods.length);
});
