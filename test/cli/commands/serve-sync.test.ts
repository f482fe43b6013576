import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFnscope } from '../../support/cli.ts';

test('serve: bad --sync flags are usage errors (exit 2) before anything starts', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--sync', 'dashboards,alerts'], /--sync: unknown sync kind "alerts"/],
    [['--sync', ','], /--sync: nothing to sync/],
    [['--sync-namespace', 'monitoring'], /--sync-namespace and --sync-label need --sync/],
    [['--sync', 'rules', '--sync-namespace', 'Monitoring'], /is not a namespace name/],
    [['--sync', 'rules', '--sync-label', 'no-equals'], /invalid label "no-equals"/],
  ];
  for (const [flags, want] of cases) {
    const r = await runFnscope(['serve', '--sandbox', '--listen', '127.0.0.1:0', ...flags]);
    assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, want, flags.join(' '));
  }
});

test('serve --help documents the sync flags', async () => {
  const r = await runFnscope(['serve', '--help']);
  for (const flag of ['--sync WHAT', '--sync-namespace NS', '--sync-label K=V']) assert.ok(r.stdout.includes(flag), flag);
});
