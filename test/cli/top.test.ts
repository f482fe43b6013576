import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createApiApp } from '../../collector/src/api/app.ts';
import { listen } from '../../collector/src/api/server.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { runFnscope } from '../support/cli.ts';
import { fakeBackend, fn, rates } from '../support/fake-backend.ts';

const functions = [
  fn('hello', { rates: rates({ callsPerSecond: 2.5, errorsPerSecond: 0, errorRatio: 0, p50: 0.004, p95: 0.012, p99: 0.02, source: 'runtime' }) }),
  fn('bikesearch', { pods: { ready: 1, total: 2, restarts: 3 }, rates: rates({ callsPerSecond: 1, errorsPerSecond: 0.4, errorRatio: 0.4, p95: 1.5, source: 'runtime' }) }),
  fn('kubelesshello', { namespace: 'demo', runtime: 'nodejs14', rates: rates({ callsPerSecond: 0.2 }) }),
];
const server = await listen(createApiApp({ backend: fakeBackend(functions), logger: silentLogger() }), { host: '127.0.0.1', port: 0 });
after(() => server.close());

const cases: Array<{ argv: string[]; code: number; check: (out: string) => void }> = [
  {
    argv: [],
    code: 0,
    check: (out) => {
      const lines = out.trim().split('\n');
      assert.match(lines[0]!, /^NAMESPACE\s+NAME\s+RUNTIME\s+PODS\s+CALLS\/S\s+ERRORS\/S\s+ERROR%\s+TIMEOUTS\/S\s+P50\s+P95\s+P99\s+RESTARTS$/);
      assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[1]), ['hello', 'bikesearch', 'kubelesshello'], 'sorted by calls/s');
      assert.match(lines[2]!, /bikesearch\s+python3\.8\s+1\/2\s+1\.00\s+0\.40\s+40\.0%\s+0\s+-\s+1\.50s\s+-\s+3$/);
      assert.match(lines[1]!, /4\.0ms\s+12ms\s+20ms/);
    },
  },
  { argv: ['--sort', 'ratio'], code: 0, check: (out) => assert.match(out.split('\n')[1]!, /bikesearch/) },
  { argv: ['-n', 'demo'], code: 0, check: (out) => assert.deepEqual(out.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[1]), ['kubelesshello']) },
  { argv: ['bike.*', '-o', 'json'], code: 0, check: (out) => assert.deepEqual((JSON.parse(out) as Array<{ name: string }>).map((f) => f.name), ['bikesearch']) },
  { argv: ['hello', '-o', 'yaml'], code: 0, check: (out) => assert.match(out, /^- namespace: default\n\s+name: hello\n/) },
  { argv: ['-o', 'wide'], code: 0, check: (out) => assert.match(out.split('\n')[0]!, /TARGETS\s+EXCEPTIONS\/S\s+SOURCE\s+HANDLER$/) },
  { argv: ['nothing-matches'], code: 0, check: (out) => assert.equal(out, 'No functions found.\n') },
];

for (const c of cases) {
  test(`fnscope top ${c.argv.join(' ')}`, async () => {
    const r = await runFnscope(['top', '--server', server.url, ...c.argv]);
    assert.equal(r.code, c.code, r.stderr);
    c.check(r.stdout);
  });
}

const bad: Array<{ argv: string[]; err: RegExp }> = [
  { argv: ['--sort', 'bogus'], err: /--sort must be one of/ },
  { argv: ['-o', 'xml'], err: /--output must be one of/ },
  { argv: ['-n', 'x', '-A'], err: /cannot be used together/ },
  { argv: ['('], err: /invalid FUNCTION pattern/ },
];
for (const c of bad) {
  test(`fnscope top ${c.argv.join(' ')} is a usage error`, async () => {
    const r = await runFnscope(['top', '--server', server.url, ...c.argv]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, c.err);
  });
}

test('fnscope top without a collector says how to start one', async () => {
  const r = await runFnscope(['top', '--server', 'http://127.0.0.1:1']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /FNS_SERVER_REQUEST: cannot reach the collector at http:\/\/127\.0\.0\.1:1.*fnscope serve/);
});
