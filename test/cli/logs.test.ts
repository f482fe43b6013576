import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runFnscope, type CliRun } from '../support/cli.ts';
import { startLogServer } from '../support/log-server.ts';
import { exception, line } from '../support/records.ts';

const srv = await startLogServer();
after(() => srv.close());
const now = Date.now();
srv.buffer.add(line('hello from pod b', { pod: 'hello-b', time: now - 2000 }));
srv.buffer.add(line('hello from pod a', { pod: 'hello-a', time: now - 3000 }));
srv.buffer.add(line('"POST / HTTP/1.1" 500 12', { pod: 'hello-a', time: now - 1500, access: { method: 'POST', path: '/', status: 500 } }));
srv.buffer.add(exception('KeyError', { time: now - 1000, function: 'bikesearch', pod: 'bikesearch-1' }));
srv.buffer.add({ kind: 'gap', seq: 9_000_000, time: now - 500, ts: '', namespace: 'default', function: 'hello', pod: 'hello-a', container: 'hello', stream: 'combined', reason: 'log stream lost: reset; resuming' });

const base = ['logs', '--server', srv.url, '--no-color', '--since', '1m'];

test('history of one function, in time order, gap markers visible', async () => {
  const r = await runFnscope([...base, 'hello']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines, [
    'hello-a hello hello from pod a',
    'hello-b hello hello from pod b',
    'hello-a hello "POST / HTTP/1.1" 500 12',
    '──── hello-a: log stream lost: reset; resuming ────',
  ]);
});

test('a stack trace is one block headed by its type', async () => {
  const r = await runFnscope([...base, 'bike.*']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^bikesearch-1 bikesearch ✖ KeyError: 'term' \[python, 0 frames, group f1\]$/);
  assert.deepEqual(lines.slice(1), ['bikesearch-1 bikesearch │ Traceback (most recent call last):', "bikesearch-1 bikesearch │ KeyError: 'term'"]);
});

test('--errors, --grep, --exclude, --tail, -o json and -o raw', async () => {
  assert.deepEqual((await runFnscope([...base, '--errors', '-o', 'raw'])).stdout.trim().split('\n'), ['"POST / HTTP/1.1" 500 12', 'Traceback (most recent call last):', "KeyError: 'term'", '──── hello-a: log stream lost: reset; resuming ────']);
  assert.deepEqual((await runFnscope([...base, '--grep', 'pod', '--exclude', 'pod b', '-o', 'raw'])).stdout.trim().split('\n'), ['hello from pod a', '──── hello-a: log stream lost: reset; resuming ────']);
  assert.equal((await runFnscope([...base, '--tail', '2', '-o', 'raw'])).stdout.trim().split('\n').length, 3, 'the last two records (one is a trace of two lines)');
  const json = (await runFnscope([...base, 'hello', '-o', 'json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
  assert.deepEqual(json.map((j) => j.kind), ['line', 'line', 'line', 'gap']);
});

/** Runs `fnscope logs ... -f`, publishes one live line once it is connected, and interrupts it. */
async function followOne(args: string[], text: string, seq: number): Promise<CliRun> {
  const ac = new AbortController();
  const run = runFnscope([...base, ...args, '-f', '--reorder', '0'], { signal: ac.signal });
  await new Promise((r) => setTimeout(r, 500));
  srv.hub.publish(line(text, { time: Date.now(), seq }));
  await new Promise((r) => setTimeout(r, 500));
  ac.abort();
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  return r;
}

test('--follow streams new records through the tail WebSocket until interrupted', async () => {
  const r = await followOne(['hello'], 'live line one', 9_000_001);
  assert.match(r.stdout, /hello-abc hello live line one\n$/);
});

test('--tail 0: no history, without falling back to the cluster; with -f only what comes next', async () => {
  const none = await runFnscope([...base, 'hello', '--tail', '0']);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, '');
  assert.equal(none.stderr, '');
  const r = await followOne(['hello', '--tail', '0', '-o', 'raw'], 'live after tail 0', 9_000_002);
  assert.equal(r.stdout, 'live after tail 0\n', 'the buffer\'s recent records are not replayed');
});

for (const [argv, err] of [
  [['-o', 'xml'], /--output must be one of text, json, raw/],
  [['--since', 'yesterday'], /invalid duration/],
  [['('], /invalid regular expression/],
  [['--tail=-1'], /--tail must be a whole number/],
] as Array<[string[], RegExp]>) {
  test(`fnscope logs ${argv.join(' ')} is a usage error`, async () => {
    const r = await runFnscope(['logs', '--server', srv.url, ...argv]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, err);
  });
}
