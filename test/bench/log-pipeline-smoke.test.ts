import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BENCH = new URL('../../bench/log-pipeline.ts', import.meta.url).pathname;

// The benchmark at a tiny size: it runs end to end and prints both rows and their ratio (the numbers
// themselves are for bench runs, not tests).
test('bench/log-pipeline.ts prints the plain scan, the whole pipeline and their ratio', { timeout: 60_000 }, async () => {
  const { stdout } = await run(process.execPath, [BENCH, '--mb', '1', '--rounds', '1', '--functions', '1', '--pods', '1', '--breakdown'], { timeout: 50_000 });
  assert.match(stdout, /^input: 1\.\d MiB in 7 CRI files/m);
  assert.match(stdout, /^plain scan \(split into lines\)\s+[\d.]+ M(?:\s+[\d.]+)+%\s+\d+$/m);
  assert.match(stdout, /^whole pipeline \(LogPipeline\)\s+[\d.]+ M(?:\s+[\d.]+)+%\s+\d+$/m);
  for (const row of ['scan \\+ CRI decode', 'scan \\+ decode \\+ redact \\+ access', 'scan \\+ decode \\+ stages \\+ assembler']) {
    assert.match(stdout, new RegExp(`^${row}\\s+[\\d.]+ M`, 'm'));
  }
  assert.match(stdout, /^ratio \(whole pipeline \/ plain scan\): [\d.]+ % per core/m);
  // the pipeline really ran: exceptions came out of the stack traces put in
  const check = /exceptions per round: ([\d.]+) \(stack traces in the input: (\d+)\)/.exec(stdout);
  assert.ok(check, stdout);
  assert.ok(Number(check[1]) > 0 && Number(check[2]) > 0);
});
