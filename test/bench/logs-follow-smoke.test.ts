import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BENCH = new URL('../../bench/logs-follow.ts', import.meta.url).pathname;

// The follow-latency benchmark, short: the sandbox collector starts, both `fnscope logs -f` commands
// print lines of its demo traffic, and both rows and their ratio are printed (not judged: timing goals,
// and ordering that depends on timing, are for bench runs, not tests).
test('bench/logs-follow.ts prints the ordered and the reference rows and their ratio', { timeout: 120_000 }, async () => {
  const { stdout } = await run(process.execPath, [BENCH, '--seconds', '4', '--rate', '10'], { timeout: 110_000 });
  const row = (name: string): string[] => {
    const line = stdout.split('\n').find((l) => l.startsWith(name));
    assert.ok(line, `a row for ${name} in:\n${stdout}`);
    return line.slice(42).trim().split(/\s+/);
  };
  const ordered = row('fnscope logs -f (reorder 1s)');
  row('fnscope logs -f --reorder 0 (reference)');
  assert.ok(Number(ordered[0]) + Number(ordered[6]?.replace(',', '')) > 0, `lines were printed: ${ordered.join(' ')}`);
  assert.match(ordered[5] ?? '', /^\d+$/, 'lines out of time order are counted');
  assert.match(stdout, /^ratio \(ordered \/ reference\), p50 latency after the first second: /m);
});
