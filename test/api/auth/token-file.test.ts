import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenFileAuthenticator, parseTokenFile } from '../../../collector/src/api/auth/token-file.ts';
import { bearerToken } from '../../../collector/src/api/auth/authenticator.ts';
import { ManualClock } from '../../../collector/src/util/manual-clock.ts';
import { silentLogger } from '../../../collector/src/util/logger.ts';
import { FnscopeError } from '../../../collector/src/util/errors.ts';

const dir = mkdtempSync(join(tmpdir(), 'fnscope-tokens-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const req = (authorization?: string) => ({ method: 'GET', path: '/api/v1/functions', authorization });

test('bearerToken reads only the Bearer scheme', () => {
  const cases: Array<[string | undefined, string | undefined]> = [
    [undefined, undefined],
    ['Bearer abc', 'abc'],
    ['bearer  abc ', 'abc'],
    ['Basic YWxhZGRpbjpvcGVuc2VzYW1l', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
  ];
  for (const [h, want] of cases) assert.equal(bearerToken(h), want, String(h));
});

test('parseTokenFile: one token per line, optional name, comments and blanks ignored', () => {
  const e = parseTokenFile('# tokens\n\nalpha\r\nbeta, ci-robot\n  gamma  \n,nameless\n');
  assert.deepEqual(e.map((x) => x.user), ['token-1', 'ci-robot', 'token-3']);
  assert.equal(e.length, 3);
});

test('accepts listed tokens only, and names the user', async () => {
  const f = join(dir, 'a');
  writeFileSync(f, 'alpha\nbeta,ci\n');
  const a = await TokenFileAuthenticator.open({ path: f, clock: new ManualClock(), logger: silentLogger() });
  after(() => a.close());
  assert.deepEqual(await a.check(req('Bearer alpha')), { ok: true, user: 'token-1' });
  assert.deepEqual(await a.check(req('Bearer beta')), { ok: true, user: 'ci' });
  for (const h of [undefined, 'Bearer alph', 'Bearer alphaa', 'Bearer ALPHA', 'Basic alpha', 'alpha']) {
    const d = await a.check(req(h));
    assert.equal(d.ok, false, String(h));
    if (!d.ok) assert.equal(d.status, 401);
  }
});

test('a missing or empty file refuses to start', async () => {
  await assert.rejects(TokenFileAuthenticator.open({ path: join(dir, 'nope'), clock: new ManualClock(), logger: silentLogger() }), (e: unknown) => e instanceof FnscopeError && e.code === 'FNS_CONFIG_INVALID');
  const f = join(dir, 'empty');
  writeFileSync(f, '# nothing\n\n');
  await assert.rejects(TokenFileAuthenticator.open({ path: f, clock: new ManualClock(), logger: silentLogger() }), /holds no token/);
});

test('reload: new tokens replace old ones; a vanished file keeps the last; an emptied file accepts none', async () => {
  const f = join(dir, 'r');
  writeFileSync(f, 'old-token\n');
  const a = await TokenFileAuthenticator.open({ path: f, clock: new ManualClock(), logger: silentLogger() });
  after(() => a.close());
  writeFileSync(f, 'new-token\n');
  await a.reload();
  assert.equal((await a.check(req('Bearer old-token'))).ok, false);
  assert.equal((await a.check(req('Bearer new-token'))).ok, true);
  unlinkSync(f);
  await a.reload();
  assert.equal((await a.check(req('Bearer new-token'))).ok, true);
  writeFileSync(f, '\n');
  await a.reload();
  assert.equal(a.size, 0);
  assert.equal((await a.check(req('Bearer new-token'))).ok, false);
});

test('the file is re-read on the clock, without a restart', async () => {
  const f = join(dir, 'w');
  writeFileSync(f, 'first\n');
  const clock = new ManualClock();
  const a = await TokenFileAuthenticator.open({ path: f, clock, logger: silentLogger(), reloadIntervalMs: 1000 });
  after(() => a.close());
  writeFileSync(f, 'second\n');
  assert.equal((await a.check(req('Bearer second'))).ok, false, 'not before the interval');
  const deadline = Date.now() + 5000;
  while (!(await a.check(req('Bearer second'))).ok) {
    assert.ok(Date.now() < deadline, 'token file was not reloaded');
    clock.advance(1000);
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.equal((await a.check(req('Bearer first'))).ok, false);
});
