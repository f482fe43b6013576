import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'yaml';
import { runCli } from '../../../collector/src/cli/run-cli.ts';
import { commands } from '../../../collector/src/cli/commands/index.ts';
import type { CommandContext } from '../../../collector/src/cli/command.ts';

function ctx(): { ctx: CommandContext; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d: Buffer) => (o += d.toString()));
  stderr.on('data', (d: Buffer) => (e += d.toString()));
  return { ctx: { stdout, stderr, stdin: new PassThrough(), env: {}, signal: new AbortController().signal }, out: () => o, err: () => e };
}

async function tempDir(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fnscope-dashboards-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('fnscope dashboards --out DIR writes the overview and the function dashboard', async (t) => {
  const dir = await tempDir(t);
  const c = ctx();
  assert.equal(await runCli(['dashboards', '--out', dir], commands, c.ctx), 0, c.err());
  assert.deepEqual((await readdir(dir)).sort(), ['fnscope-function.json', 'fnscope-overview.json']);
  assert.equal(c.out().split('\n').filter((l) => l.startsWith('wrote ')).length, 2);
});

test('--format provisioning --prometheus-url --folder', async (t) => {
  const dir = await tempDir(t);
  const c = ctx();
  assert.equal(await runCli(['dashboards', '--out', dir, '--format', 'provisioning', '--prometheus-url', 'http://prom:9090', '--folder', 'FaaS'], commands, c.ctx), 0, c.err());
  assert.deepEqual((await readdir(join(dir, 'provisioning'))).sort(), ['dashboards', 'datasources']);
  assert.match(await readFile(join(dir, 'provisioning', 'datasources', 'fnscope.yaml'), 'utf8'), /url: http:\/\/prom:9090/);
  assert.match(await readFile(join(dir, 'provisioning', 'dashboards', 'fnscope.yaml'), 'utf8'), /folder: FaaS/);
  assert.deepEqual((await readdir(join(dir, 'dashboards'))).sort(), ['fnscope-function.json', 'fnscope-overview.json']);
});

test('--server --format configmap: one more ConfigMap per function, error links to that collector', async (t) => {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'success', data: [{ namespace: 'shop', name: 'checkout', runtime: 'python3.11', handler: 'h.f', annotations: {} }] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await tempDir(t);
  const c = ctx();
  assert.equal(await runCli(['dashboards', '--out', dir, '--format', 'configmap', '--server', url, '--namespace', 'monitoring'], commands, c.ctx), 0, c.err());
  const names = (await readdir(dir)).sort();
  assert.equal(names.length, 3);
  const pinned = names.find((n) => n.startsWith('fnscope-fn-shop-checkout-'));
  assert.ok(pinned, names.join(' '));
  const cm = parse(await readFile(join(dir, pinned), 'utf8')) as { metadata: { namespace: string }; data: Record<string, string> };
  assert.equal(cm.metadata.namespace, 'monitoring');
  assert.ok(Object.values(cm.data)[0]!.includes(`"query": "${url}"`), 'the fnscope URL variable defaults to --server');
});

const usage: Array<[string[], RegExp]> = [
  [['dashboards'], /--out DIR is required/],
  [['dashboards', '--out', '/tmp/x', '--format', 'yaml'], /--format must be one of json, configmap, provisioning/],
  [['dashboards', '--out', '/tmp/x', '--selector', 'nope'], /invalid label matcher/],
];
for (const [argv, message] of usage) {
  test(`fnscope ${argv.join(' ')} is bad usage (exit 2)`, async () => {
    const c = ctx();
    assert.equal(await runCli(argv, commands, c.ctx), 2);
    assert.match(c.err(), message);
  });
}
