import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BENCH = new URL('../../bench/side-by-side.ts', import.meta.url).pathname;

// The side-by-side benchmark at a tiny size (3 targets, 5 s): fnscope and the real Prometheus start,
// scrape the same targets, and both rows, their ratios, the query latencies and the cross-check come
// out. The numbers themselves are for bench runs, not tests.
test('bench/side-by-side.ts prints fnscope, Prometheus, their ratio, query latency and the cross-check', { timeout: 60_000 }, async () => {
  const { stdout } = await run(process.execPath, [BENCH, '--targets', '3', '--series', '20', '--interval', '1s', '--duration', '5s', '--queries', '3'], {
    timeout: 55_000,
  });
  const row = (name: string): string[] => {
    // A table row: the name, then columns at least two spaces apart.
    const line = stdout.split('\n').find((l) => l.startsWith(`${name}  `));
    assert.ok(line, `a row for ${name} in:\n${stdout}`);
    return line.slice(name.length).trim().split(/\s{2,}/);
  };
  for (const side of ['fnscope', 'Prometheus']) {
    const cells = row(side);
    assert.equal(cells.length, 10, cells.join(' | '));
    assert.equal(cells[0], '3/3', `${side}: every target up`);
    assert.ok(Number(cells[1]!.replace(/,/g, '')) >= 3 * 38, `${side}: every series held`);
  }
  assert.equal(row('fnscope/Prometheus').length, 9, 'a ratio for every column but targets up');
  assert.match(stdout, /^goal \(fnscope\)/m);
  assert.match(stdout, /^fnscope GET \/api\/v1\/functions\s+3\s+[\d.]+\s+[\d.]+\s*$/m);
  for (const q of ['calls/s', 'errors/s', 'p99']) assert.match(stdout, new RegExp(`^Prometheus ${q}: .*\\s+3\\s+[\\d.]+\\s+[\\d.]+\\s+[\\d.]+$`, 'm'));
  assert.match(stdout, /^cross-check fn-0: calls\/s fnscope [\d.]+ Prometheus [\d.]+ \(-?[\d.]+%\); errors\/s fnscope/m);
});
