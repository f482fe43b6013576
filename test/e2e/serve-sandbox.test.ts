import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startServe, eventually, type RunningServe } from '../support/serve.ts';
import type { FunctionView } from '../../collector/src/api/types.ts';

const MAIN = new URL('../../collector/src/cli/main.ts', import.meta.url).pathname;
let s: RunningServe;

before(async () => {
  s = await startServe(['--no-traffic', '--scrape-interval', '1s', '--scrape-timeout', '900ms']);
});
after(async () => {
  await s?.stop();
});

async function functions(): Promise<FunctionView[]> {
  const r = (await (await fetch(`${s.url}/api/v1/functions`)).json()) as { data: FunctionView[] };
  return r.data;
}

test('the sandbox functions are discovered and scraped', async () => {
  const fns = await eventually(async () => {
    const f = await functions();
    return f.length >= 4 && f.every((x) => x.targets.up >= 1) ? f : undefined;
  }, 30_000, 'every demo function to be up');
  assert.deepEqual(fns.map((f) => f.name).sort().slice(0, 3), ['bikesearch', 'hello', 'kubelesshello']);
  assert.ok(fns.every((f) => f.pods.total >= 1 && f.runtime !== ''));
});

test("a function's failures move its error ratio within one scrape interval", async () => {
  for (let i = 0; i < 6; i++) assert.equal((await s.invoke('bikesearch', { term: 'park' })).status, 200);
  for (let i = 0; i < 3; i++) assert.equal((await s.invoke('bikesearch', { query: 'park' })).status, 500);
  const bike = await eventually(async () => {
    const f = (await functions()).find((x) => x.name === 'bikesearch');
    return f && f.rates.errorsPerSecond > 0 && f.rates.callsPerSecond * 60 >= 9 ? f : undefined;
  }, 10_000, 'bikesearch errors to show');
  assert.ok(Math.abs(bike.rates.errorRatio! - 3 / 9) < 0.01, `error ratio ${bike.rates.errorRatio}`);
});

test('the KeyError traceback is one group, and fnscope logs shows it as one block', async () => {
  const logs = spawn(process.execPath, [MAIN, 'logs', 'bikesearch', '-f', '--server', s.url, '--no-color', '--reorder', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  logs.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await eventually(() => Promise.resolve(out.length > 0 || logs.exitCode === null ? true : undefined), 5000, 'logs to start');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await s.invoke('bikesearch', {})).status, 500);
    const block = await eventually(() => Promise.resolve(/✖ KeyError: 'term'/.test(out) ? out : undefined), 10_000, 'the KeyError block');
    const lines = block.split('\n');
    const head = lines.findIndex((l) => l.includes("✖ KeyError: 'term'"));
    assert.match(lines[head + 1]!, /│ (ERROR:root:Function returned an exception|Traceback \(most recent call last\):)/);
    assert.ok(lines.slice(head + 1).some((l) => /│ KeyError: 'term'$/.test(l)), 'the block ends with the exception line');
    assert.ok(!lines.some((l) => /^bikesearch-\S+ bikesearch Traceback/.test(l)), 'no traceback line is printed on its own');
  } finally {
    logs.kill('SIGINT');
  }
  const groups = (await (await fetch(`${s.url}/api/v1/errors?function=bikesearch`)).json()) as { data: Array<{ type: string; count: number; id: string }> };
  const keyErrors = groups.data.filter((g) => g.type === 'KeyError');
  assert.equal(keyErrors.length, 1, 'one group for every KeyError');
  const before = keyErrors[0]!.count;
  await s.invoke('bikesearch', {});
  await eventually(async () => {
    const g = (await (await fetch(`${s.url}/api/v1/errors/${keyErrors[0]!.id}`)).json()) as { data: { count: number } };
    return g.data.count > before ? true : undefined;
  }, 10_000, 'the group count to rise');
});

test('python timeouts show as 408 responses from the access lines', async () => {
  const r = await s.invoke('slowpoke', { pages: 120 });
  assert.equal(r.status, 408);
  const text = await eventually(async () => {
    const m = await (await fetch(`${s.url}/metrics`)).text();
    return /fnscope_function_responses_total\{[^}]*function="slowpoke"[^}]*code="408"[^}]*\} [1-9]/.test(m) ? m : undefined;
  }, 15_000, 'a 408 in fnscope_function_responses_total');
  assert.match(text, /function_calls_total\{[^}]*function="slowpoke"/, 'scraped series are served with the added labels');
});
