import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { runFnscope } from '../support/cli.ts';
import { startLogServer } from '../support/log-server.ts';
import { exception } from '../support/records.ts';

const srv = await startLogServer();
after(() => srv.close());
for (let i = 0; i < 3; i++) srv.errors.record(exception('KeyError', { fingerprint: 'k1', time: Date.now() - 1000 }));
srv.errors.record(exception('TypeError', { fingerprint: 't1', function: 'kubelesshello', pod: 'kh-1', message: "Cannot read properties of undefined (reading 'trim')", time: Date.now(), frames: [{ file: '/kubeless/handler.js', line: 3, function: 'hello', inApp: true }, { file: '/kubeless_rt/kubeless.js', line: 56, function: '', inApp: false }] }));

test('fnscope errors lists groups, newest first', async () => {
  const r = await runFnscope(['errors', '--server', srv.url]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0]!, /^ID\s+STATUS\s+COUNT\s+RATE\s+LAST\s+FIRST\s+FUNCTIONS\s+ERROR$/);
  assert.match(lines[1]!, /^t1\s+NEW\s+1\s+.*default\/kubelesshello\s+TypeError: Cannot read/);
  assert.match(lines[2]!, /^k1\s+NEW\s+3\s+.*default\/bikesearch\s+KeyError: 'term'$/);
});

test('filters and json output', async () => {
  const r = await runFnscope(['errors', '--server', srv.url, '--function', 'bikesearch', '-o', 'json']);
  assert.deepEqual((JSON.parse(r.stdout) as Array<{ id: string; count: number }>).map((g) => [g.id, g.count]), [['k1', 3]]);
  assert.equal((await runFnscope(['errors', '--server', srv.url, '--status', 'regressed'])).stdout, 'No errors found.\n');
});

test('fnscope errors show prints the group with its sample trace and frames', async () => {
  const r = await runFnscope(['errors', 'show', 't1', '--server', srv.url, '--no-color']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^TypeError: Cannot read properties of undefined \(reading 'trim'\)\ngroup t1 · nodejs|python/);
  assert.match(r.stdout, /functions: default\/kubelesshello \(1\)/);
  assert.match(r.stdout, /frames \(innermost first\):\n {2}hello \/kubeless\/handler\.js:3\n {2}<anonymous> \/kubeless_rt\/kubeless\.js:56\n/);
});

test('unknown group, bad status, bad subcommand', async () => {
  const missing = await runFnscope(['errors', 'show', 'nope', '--server', srv.url]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /not_found: error group nope not found/);
  assert.equal((await runFnscope(['errors', '--server', srv.url, '--status', 'bogus'])).code, 1);
  assert.equal((await runFnscope(['errors', 'list', '--server', srv.url])).code, 2);
});
