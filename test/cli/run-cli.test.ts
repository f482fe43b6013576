import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { runCli } from '../../collector/src/cli/run-cli.ts';
import type { Command, CommandContext, CommandEntry } from '../../collector/src/cli/command.ts';

function ctx(): { ctx: CommandContext; out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d: Buffer) => (o += d.toString()));
  stderr.on('data', (d: Buffer) => (e += d.toString()));
  return {
    ctx: { stdout, stderr, stdin: new PassThrough(), env: {}, signal: new AbortController().signal },
    out: () => o,
    err: () => e,
  };
}

const echo: Command = {
  usage: 'fnscope echo WORD [--upper]',
  help: 'Flags:\n  --upper  upper-case it\n',
  options: { upper: { type: 'boolean' } },
  maxPositionals: 1,
  run(args, c) {
    const w = args.positionals[0] ?? '';
    c.stdout.write((args.values['upper'] ? w.toUpperCase() : w) + '\n');
    return Promise.resolve(0);
  },
};
const failing: Command = { ...echo, run: () => Promise.reject(new Error('boom')) };
const loaded: string[] = [];
const entry = (name: string, summary: string, cmd: Command): CommandEntry => ({ name, summary, load: () => (loaded.push(name), Promise.resolve(cmd)) });
const entries = [entry('echo', 'print its argument', echo), entry('fail', 'fails', failing)];

const cases: Array<{ argv: string[]; code: number; out?: RegExp; err?: RegExp }> = [
  { argv: [], code: 0, out: /Commands:\n\s+echo\s+print its argument/ },
  { argv: ['--help'], code: 0, out: /Exit codes: 0 ok, 1 runtime failure, 2 bad usage/ },
  { argv: ['echo', '--help'], code: 0, out: /^print its argument\n\nUsage: fnscope echo WORD \[--upper\][\s\S]*--upper/ },
  { argv: ['help', 'echo'], code: 0, out: /^print its argument\n\nUsage: fnscope echo WORD/ },
  { argv: ['echo', 'hi', '--upper'], code: 0, out: /^HI\n$/ },
  { argv: ['echo', '--bogus'], code: 2, err: /Unknown option '--bogus'[\s\S]*Usage: fnscope echo/ },
  { argv: ['echo', 'a', 'b'], code: 2, err: /too many arguments: b/ },
  { argv: ['nope'], code: 2, err: /unknown command "nope"/ },
  { argv: ['fail'], code: 1, err: /fnscope: boom/ },
];

for (const c of cases) {
  test(`fnscope ${c.argv.join(' ') || '(no args)'} exits ${c.code}`, async () => {
    const t = ctx();
    const code = await runCli(c.argv, entries, t.ctx);
    assert.equal(code, c.code, t.err());
    if (c.out) assert.match(t.out(), c.out);
    if (c.err) assert.match(t.err(), c.err);
  });
}

test('the command list and --help load no command; running one loads that one only', async () => {
  loaded.length = 0;
  await runCli(['--help'], entries, ctx().ctx);
  assert.deepEqual(loaded, []);
  await runCli(['echo', 'x'], entries, ctx().ctx);
  assert.deepEqual(loaded, ['echo']);
});
