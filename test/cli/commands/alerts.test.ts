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
  const dir = await mkdtemp(join(tmpdir(), 'fnscope-alerts-cli-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('fnscope alerts --out DIR writes the generic rule file', async (t) => {
  const dir = await tempDir(t);
  const c = ctx();
  assert.equal(await runCli(['alerts', '--out', dir], commands, c.ctx), 0, c.err());
  assert.deepEqual(await readdir(dir), ['fnscope.rules.yaml']);
  assert.equal(c.out(), `wrote ${join(dir, 'fnscope.rules.yaml')}\n`);
  const groups = (parse(await readFile(join(dir, 'fnscope.rules.yaml'), 'utf8')) as { groups: Array<{ name: string }> }).groups;
  assert.ok(groups.some((g) => g.name === 'fnscope-slo-alerts'));
});

test('--format prometheusrule --profile test --namespace --label --runbook-base --slo-*', async (t) => {
  const dir = await tempDir(t);
  const c = ctx();
  const argv = ['alerts', '--out', dir, '--format', 'prometheusrule', '--profile', 'test', '--namespace', 'monitoring', '--label', 'release=prometheus',
    '--runbook-base', 'https://runbooks.example/', '--slo-availability', '99.5', '--slo-latency', '250ms@95'];
  assert.equal(await runCli(argv, commands, c.ctx), 0, c.err());
  const text = await readFile(join(dir, 'fnscope.prometheusrule.yaml'), 'utf8');
  const obj = parse(text) as { kind: string; metadata: { namespace: string; labels: Record<string, string> } };
  assert.equal(obj.kind, 'PrometheusRule');
  assert.equal(obj.metadata.namespace, 'monitoring');
  assert.equal(obj.metadata.labels['release'], 'prometheus');
  assert.match(text, /runbook_url: https:\/\/runbooks\.example\/FunctionErrorBudgetBurn\.md/);
  assert.match(text, /\+ 0\.995\n/);
  assert.match(text, /"le", "0\.25", "namespace"/);
  assert.match(text, /for: 2s/);
});

test('--server adds one file per function with SLO annotations, and warns about bad ones', async (t) => {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({
      status: 'success',
      data: [
        { namespace: 'shop', name: 'checkout', runtime: 'python3.11', handler: 'h.f', annotations: { 'fnscope.io/slo-availability': '99.5' } },
        { namespace: 'shop', name: 'cart', runtime: 'nodejs14', handler: 'h.c', annotations: { 'fnscope.io/slo-latency': 'fast' } },
      ],
    }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const dir = await tempDir(t);
  const c = ctx();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  assert.equal(await runCli(['alerts', '--out', dir, '--server', url], commands, c.ctx), 0, c.err());
  assert.deepEqual((await readdir(dir)).sort(), ['fnscope-slo-shop-checkout.rules.yaml', 'fnscope.rules.yaml']);
  assert.match(c.err(), /warning: shop\/cart: fnscope\.io\/slo-latency/);
});

const usage: Array<[string[], RegExp]> = [
  [['alerts'], /--out DIR is required/],
  [['alerts', '--out', '/tmp/x', '--format', 'json'], /--format must be one of rules, prometheusrule/],
  [['alerts', '--out', '/tmp/x', '--profile', 'fast'], /--profile must be one of production, test/],
  [['alerts', '--out', '/tmp/x', '--selector', 'job=fnscope'], /invalid label matcher/],
  [['alerts', '--out', '/tmp/x', '--slo-availability', '100'], /availability objective/],
  [['alerts', '--out', '/tmp/x', '--label', 'nokey'], /invalid label/],
];
for (const [argv, message] of usage) {
  test(`fnscope ${argv.join(' ')} is bad usage (exit 2)`, async () => {
    const c = ctx();
    assert.equal(await runCli(argv, commands, c.ctx), 2);
    assert.match(c.err(), message);
  });
}

test('an unreachable --server fails with exit 1 and writes nothing', async (t) => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const dir = await tempDir(t);
  const c = ctx();
  assert.equal(await runCli(['alerts', '--out', dir, '--server', `http://127.0.0.1:${port}`], commands, c.ctx), 1);
  assert.match(c.err(), /FNS_SERVER_REQUEST/);
  assert.deepEqual(await readdir(dir), []);
});
