import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveServeSettings } from '../../collector/src/cli/serve-config.ts';
import { serveCommand } from '../../collector/src/cli/commands/serve.ts';
import { resolveScaleFlags } from '../../collector/src/cli/serve-scale.ts';
import type { ParsedArgs } from '../../collector/src/cli/command.ts';
import { hashmod } from '../../collector/src/shard/index.ts';
import { UsageError } from '../../collector/src/util/errors.ts';

const resolve = (values: ParsedArgs['values']) => resolveScaleFlags(resolveServeSettings({ values, positionals: [] }), values);

test('modes: what each needs and what follows from it', () => {
  const ok: Array<{ values: ParsedArgs['values']; want: { mode: string | undefined; logs: string | undefined; nodeName?: string; shard?: { index: number; count: number } } }> = [
    { values: {}, want: { mode: undefined, logs: undefined } },
    { values: { mode: 'deployment' }, want: { mode: 'deployment', logs: undefined } },
    { values: { mode: 'daemonset', 'node-name': 'worker-1' }, want: { mode: 'daemonset', logs: 'cri', nodeName: 'worker-1' } },
    { values: { mode: 'daemonset', 'node-name': 'worker-1', logs: 'off' }, want: { mode: 'daemonset', logs: 'off', nodeName: 'worker-1' } },
    { values: { 'node-name': 'worker-1' }, want: { mode: undefined, logs: undefined, nodeName: 'worker-1' } },
    { values: { mode: 'sharded', 'shard-index': '2', 'shard-count': '3' }, want: { mode: 'sharded', logs: undefined, shard: { index: 2, count: 3 } } },
    { values: { 'shard-index': '0', 'shard-count': '1' }, want: { mode: 'sharded', logs: undefined, shard: { index: 0, count: 1 } } },
  ];
  for (const c of ok) {
    const s = resolve(c.values);
    assert.equal(s.mode, c.want.mode, JSON.stringify(c.values));
    assert.equal(s.logs, c.want.logs, JSON.stringify(c.values));
    assert.equal(s.nodeName, c.want.nodeName, JSON.stringify(c.values));
    assert.deepEqual(s.shard, c.want.shard, JSON.stringify(c.values));
    assert.equal(s.ownsPod !== undefined, c.want.shard !== undefined);
  }
  const bad: Array<[ParsedArgs['values'], RegExp]> = [
    [{ mode: 'cluster' }, /--mode must be one of deployment, daemonset, sharded/],
    [{ mode: 'daemonset' }, /needs --node-name/],
    [{ mode: 'sharded' }, /needs --shard-index N and --shard-count N/],
    [{ mode: 'sharded', 'shard-index': '1' }, /needs --shard-index N and --shard-count N/],
    [{ mode: 'sharded', 'shard-index': '3', 'shard-count': '3' }, /from 0 to 2/],
    [{ mode: 'sharded', 'shard-index': 'fnscope-1', 'shard-count': '3' }, /whole number/],
    [{ mode: 'sharded', 'shard-index': '0', 'shard-count': '0' }, /positive integer/],
    [{ mode: 'deployment', 'shard-index': '0', 'shard-count': '2' }, /belong to --mode sharded/],
    [{ mode: 'daemonset', 'node-name': 'n', 'shard-count': '2' }, /belong to --mode sharded/],
    [{ mode: 'sharded', 'shard-index': '0', 'shard-count': '2', 'node-name': 'n' }, /--node-name belongs to --mode daemonset/],
    [{ peers: ['http://a:1'], 'peers-dns': 'peers' }, /not both/],
    [{ peers: ['ftp://a:1'] }, /invalid peer/],
    [{ 'peers-dns': 'peers:0' }, /invalid port/],
    [{ 'peer-server-name': 'x' }, /need --peers or --peers-dns/],
    [{ peers: ['http://a:1'], 'peer-ca-file': '/no/such/ca.pem' }, /--peer-ca-file/],
  ];
  for (const [values, want] of bad) assert.throws(() => resolve(values), (e: unknown) => e instanceof UsageError && want.test(e.message), JSON.stringify(values));
});

test('the shard ownership passed on is hashmod of the pod UID', () => {
  const own = resolve({ mode: 'sharded', 'shard-index': '1', 'shard-count': '3' }).ownsPod!;
  for (const uid of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) assert.equal(own(uid), hashmod(uid, 3) === 1, uid);
});

test('peers: a list (comma-separated or repeated) or a DNS name; TLS settings for reaching them', (t) => {
  assert.deepEqual(resolve({ peers: ['http://10.0.0.1:9464,10.0.0.2:9464', 'https://p3:9464/'] }).peers, { urls: ['http://10.0.0.1:9464', 'http://10.0.0.2:9464', 'https://p3:9464'] });
  assert.deepEqual(resolve({ 'peers-dns': 'fnscope-peers.fnscope.svc:9464' }).peers, { dns: { host: 'fnscope-peers.fnscope.svc', port: 9464 } });
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-peer-ca-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\n');
  assert.deepEqual(resolve({ 'peers-dns': 'peers', 'peer-ca-file': join(dir, 'ca.crt'), 'peer-server-name': 'fnscope.fnscope.svc' }).peers, {
    dns: { host: 'peers' },
    tls: { ca: '-----BEGIN CERTIFICATE-----\n', servername: 'fnscope.fnscope.svc' },
  });
  assert.equal(resolve({}).peers, undefined);
});

test('the config file takes the same settings', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-scale-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'fnscope.yaml'), 'mode: sharded\nshardIndex: 1\nshardCount: 4\npeersDns: fnscope-peers\n');
  const s = resolve({ config: join(dir, 'fnscope.yaml') });
  assert.deepEqual(s.shard, { index: 1, count: 4 });
  assert.deepEqual(s.peers, { dns: { host: 'fnscope-peers' } });
  const flagWins = resolve({ config: join(dir, 'fnscope.yaml'), 'shard-index': '3' });
  assert.deepEqual(flagWins.shard, { index: 3, count: 4 });
});

test('the arguments each deploy/ overlay passes to fnscope serve are accepted, in the mode they name', () => {
  const env: Record<string, string> = { NODE_NAME: 'worker-1', SHARD_INDEX: '2', SHARD_COUNT: '3', POD_NAMESPACE: 'fnscope' };
  const want: Record<string, { mode: string; logs: string; shard?: { index: number; count: number }; dns?: string }> = {
    deployment: { mode: 'deployment', logs: 'api' },
    daemonset: { mode: 'daemonset', logs: 'cri' },
    sharded: { mode: 'sharded', logs: 'api', shard: { index: 2, count: 3 }, dns: 'fnscope-peers.fnscope.svc' },
  };
  for (const [overlay, w] of Object.entries(want)) {
    const out = execFileSync('kubectl', ['kustomize', join(import.meta.dirname, '..', '..', 'deploy', 'overlays', overlay)], { encoding: 'utf8' });
    const workload = parseAllDocuments(out).map((d) => d.toJS() as { kind?: string; spec?: { template?: { spec?: { containers?: Array<{ args?: string[] }> } } } }).find((o) => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o?.kind ?? ''));
    const args = (workload?.spec?.template?.spec?.containers?.[0]?.args ?? []).map((a) => a.replace(/\$\((\w+)\)/g, (_m, k: string) => env[k] ?? ''));
    assert.equal(args[0], 'serve', overlay);
    const parsed = parseArgs({ args: args.slice(1), options: serveCommand.options, allowPositionals: false, strict: true });
    const s = resolve(parsed.values);
    assert.equal(s.mode, w.mode, overlay);
    assert.equal(s.logs, w.logs, overlay);
    assert.deepEqual(s.shard, w.shard, overlay);
    assert.equal(s.peers?.dns?.host, w.dns, overlay);
  }
});
