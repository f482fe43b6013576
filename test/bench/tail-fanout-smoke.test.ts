import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BENCH = new URL('../../bench/tail-fanout.ts', import.meta.url).pathname;

// The fan-out benchmark at a tiny size: collector and client processes start, records reach real
// WebSocket subscribers, and both variants and their ratio are printed (not judged: timing goals are
// for bench runs, not tests).
test('bench/tail-fanout.ts prints the batched and the one-send-per-line rows and their ratio', { timeout: 60_000 }, async () => {
  const { stdout } = await run(
    process.execPath,
    [BENCH, '--subscribers', '10', '--functions', '5', '--rate', '200', '--seconds', '1', '--warmup', '0.2', '--client-processes', '1'],
    { timeout: 50_000 },
  );
  const row = (name: string): string[] => {
    const line = stdout.split('\n').find((l) => l.startsWith(name));
    assert.ok(line, `a row for ${name} in:\n${stdout}`);
    return line.slice(40).trim().split(/\s+/);
  };
  const batched = row('batched (hub defaults');
  const perLine = row('one send() per line per client');
  for (const cells of [batched, perLine]) {
    assert.equal(cells.length, 13, cells.join(' '));
    assert.ok(Number(cells[1]) > 0, 'records were delivered to the subscribers');
  }
  assert.match(stdout, /^ratio \(one send per line \/ batched\), collector CPU per record sent: [\d.]+x/m);
  assert.match(stdout, /^goal \(p99 < 50 ms, no drops\) for batched/m);
});
