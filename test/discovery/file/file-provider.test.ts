import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, renameSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';
import { systemClock } from '../../../collector/src/util/clock.ts';
import { FileProvider } from '../../../collector/src/discovery/file/file-provider.ts';
import { MemoryDiscoveryMetrics } from '../../../collector/src/discovery/metrics.ts';
import type { TargetGroup } from '../../../collector/src/discovery/types.ts';
import { fold, settle } from '../harness.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../../testdata/discovery/${name}`, import.meta.url), 'utf8');

function setup(opts: { watchable?: boolean } = {}) {
  const clock = new ManualClock();
  const files = new Map<string, string>([['/etc/fnscope/edge.yaml', fixture('file-sd.yaml')]]);
  const notify = new Map<string, () => void>();
  const metrics = new MemoryDiscoveryMetrics();
  const batches: TargetGroup[][] = [];
  let syncs = 0;
  const p = new FileProvider({
    files: ['/etc/fnscope/edge.yaml'], clock, metrics, refreshIntervalMs: 30_000, settleMs: 50,
    readFile: (path) => {
      const t = files.get(path);
      if (t === undefined) return Promise.reject(Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' }));
      return Promise.resolve(t);
    },
    watchFile: (path, onChange) => {
      if (opts.watchable === false) throw new Error('ENOSPC: inotify watch limit reached');
      notify.set(path, onChange);
      return { close: () => notify.delete(path) };
    },
  });
  p.start({ groups: (g) => batches.push(structuredClone(g)), synced: () => syncs++ });
  return { clock, files, notify, metrics, batches, p, syncs: () => syncs, view: () => fold(batches) };
}

const edge = '/etc/fnscope/edge.yaml';

test('file targets are sent, then the provider reports synced; the inventory lists the functions', async () => {
  const s = setup();
  await settle();
  assert.equal(s.syncs(), 1);
  assert.deepEqual([...s.view().keys()], [`file:${edge}:0`, `file:${edge}:1`]);
  const inv = s.p.inventory();
  assert.deepEqual(inv.map((f) => [f.namespace, f.name, f.framework, f.runtime, f.endpoints.length, f.hasFunctionObject]), [
    ['edge', 'resize', 'file', 'python3.8', 2, false], ['edge', 'thumbnail', 'file', 'nodejs14', 1, false],
  ]);
  const st = s.p.state();
  assert.deepEqual([st.kind, st.synced, st.targets, st.functions, st.lastError], ['file', true, 3, 2, '']);
});

test('a change notice re-reads the file: changed groups re-sent whole, removed ones sent empty', async () => {
  const s = setup();
  await settle();
  const n = s.batches.length;
  s.files.set(edge, '- targets: ["10.1.0.5:8080", "10.1.0.7:8080"]\n  labels: {namespace: edge, function: resize}\n');
  s.notify.get(edge)!();
  s.clock.advance(49);
  await settle();
  assert.equal(s.batches.length, n, 'waits for the writer to settle');
  s.clock.advance(1);
  await settle();
  const last = s.batches.at(-1)!;
  assert.deepEqual(last.map((g) => [g.source, g.targets.map((t) => t.address)]), [
    [`file:${edge}:0`, ['10.1.0.5:8080', '10.1.0.7:8080']], [`file:${edge}:1`, []],
  ]);
});

test('a broken file keeps its last good targets and reports the error until fixed', async () => {
  const s = setup();
  await settle();
  const good = JSON.stringify([...s.view().values()]);
  const n = s.batches.length;
  s.files.set(edge, fixture('file-sd-broken.yaml'));
  s.notify.get(edge)!();
  s.clock.advance(50);
  await settle();
  assert.equal(s.batches.length, n, 'nothing sent');
  assert.equal(JSON.stringify([...s.view().values()]), good);
  const st = s.p.state();
  assert.match(st.lastError, /FNS_DISCOVERY_FILE_INVALID/);
  assert.equal(s.metrics.get('fnscope_discovery_errors_total', { provider: 'file', resource: edge }), 1);
  assert.equal(s.p.inventory().length, 2);

  s.files.set(edge, fixture('file-sd.yaml').replace('10.1.0.6', '10.1.0.9'));
  s.notify.get(edge)!();
  s.clock.advance(50);
  await settle();
  assert.equal(s.p.state().lastError, '');
  assert.deepEqual(s.view().get(`file:${edge}:0`)!.targets.map((t) => t.address), ['10.1.0.5:8080', '10.1.0.9:8080']);
});

test('without change notices the periodic re-read picks changes up; a removed file takes its targets', async () => {
  const s = setup({ watchable: false });
  await settle();
  assert.equal(s.syncs(), 1);
  s.files.set(edge, '[]');
  s.clock.advance(29_999);
  await settle();
  assert.equal(s.view().size, 2);
  s.clock.advance(1);
  await settle();
  assert.equal(s.view().size, 0);
  s.files.set(edge, fixture('file-sd.yaml'));
  s.clock.advance(30_000);
  await settle();
  assert.equal(s.view().size, 2);
  s.files.delete(edge);
  s.clock.advance(30_000);
  await settle();
  assert.equal(s.view().size, 0);
  assert.match(s.p.state().lastError, /file not found/);
  assert.equal(s.p.state().resources[0]!.absent, true);
  await s.p.stop();
});

test('real files: fs.watch sees an editor-style replace (write to temp, rename over)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-filesd-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'targets.yaml');
  writeFileSync(path, fixture('file-sd.yaml'));
  const batches: TargetGroup[][] = [];
  // A long refresh interval: only the change notice can explain a quick update.
  const p = new FileProvider({ files: [path], clock: systemClock, refreshIntervalMs: 3_600_000, settleMs: 20 });
  t.after(() => p.stop());
  p.start({ groups: (g) => batches.push(g), synced: () => undefined });
  const until = async (cond: () => boolean, what: string): Promise<void> => {
    const deadline = Date.now() + 10_000;
    while (!cond()) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  await until(() => p.isSynced(), 'the first read');
  assert.equal(fold(batches).size, 2);
  writeFileSync(join(dir, '.targets.yaml.tmp'), '- targets: ["10.9.9.9:8080"]\n  labels: {namespace: x, function: y}\n');
  renameSync(join(dir, '.targets.yaml.tmp'), path);
  await until(() => fold(batches).get(`file:${path}:0`)?.targets[0]?.address === '10.9.9.9:8080', 'the replaced file');
  assert.equal(fold(batches).size, 1);
});
