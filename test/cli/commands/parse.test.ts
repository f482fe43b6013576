import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { readFileSync } from 'node:fs';
import { runCli } from '../../../collector/src/cli/run-cli.ts';
import { commands } from '../../../collector/src/cli/commands/index.ts';

async function parse(args: string[], input: string): Promise<{ code: number; out: string; err: string }> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = runCli(['parse', ...args], commands, { stdin, stdout, stderr, env: {}, signal: new AbortController().signal });
  stdin.end(input);
  const code = await done;
  return { code, out, err };
}

const KUBELESS = readFileSync(new URL('../../../testdata/stacktraces/python/kubeless-python-logs.log', import.meta.url), 'utf8');

test('fnscope parse writes one JSON object per exception with exactly the public keys', async () => {
  const r = await parse([], KUBELESS);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  for (const l of lines) {
    const rec = JSON.parse(l) as Record<string, unknown>;
    assert.deepEqual(Object.keys(rec), ['language', 'type', 'message', 'first_line', 'last_line', 'frames', 'causes', 'fingerprint']);
    assert.deepEqual(Object.keys((rec['frames'] as object[])[0]!), ['file', 'line', 'function']);
    assert.equal(rec['type'], 'KeyError');
  }
  const [a, b] = lines.map((l) => JSON.parse(l) as { first_line: number; fingerprint: string });
  assert.equal(a!.first_line, 16);
  assert.equal(b!.first_line, 29);
  assert.equal(a!.fingerprint, b!.fingerprint);
});

const usage: Array<{ args: string[]; err: RegExp }> = [
  { args: ['--language', 'cobol'], err: /unknown language "cobol"/ },
  { args: ['--max-lines', '0'], err: /--max-lines must be a positive integer/ },
  { args: ['--max-wait', 'soon'], err: /--max-wait must be a positive integer/ },
  { args: ['--settle=-1'], err: /--settle must be a non-negative integer/ },
  { args: ['extra'], err: /too many arguments/ },
];
for (const c of usage) {
  test(`fnscope parse ${c.args.join(' ')} exits 2`, async () => {
    const r = await parse(c.args, '');
    assert.equal(r.code, 2);
    assert.match(r.err, c.err);
  });
}

test('--language keeps only the named languages', async () => {
  const go = readFileSync(new URL('../../../testdata/stacktraces/go/nil-map.log', import.meta.url), 'utf8');
  const both = KUBELESS + go;
  assert.equal((await parse([], both)).out.trimEnd().split('\n').length, 3);
  const onlyGo = await parse(['--language', 'go'], both);
  assert.deepEqual(onlyGo.out.trimEnd().split('\n').map((l) => (JSON.parse(l) as { language: string }).language), ['go']);
});

test('--max-lines cuts long traces', async () => {
  const java = readFileSync(new URL('../../../testdata/stacktraces/java/overflow.log', import.meta.url), 'utf8');
  const rec = JSON.parse((await parse(['--max-lines', '50'], java)).out.split('\n')[0]!) as { last_line: number; frames: unknown[] };
  assert.equal(rec.last_line, 50);
  assert.equal(rec.frames.length, 49);
});

test('--help describes the output contract', async () => {
  const r = await parse(['--help'], '');
  assert.equal(r.code, 0);
  assert.match(r.out, /"language","type","message","first_line","last_line","frames"/);
  assert.match(r.out, /--max-wait MS/);
  assert.match(r.out, /--settle MS/);
});
