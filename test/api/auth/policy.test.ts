import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResourceAttributes, resolveAuthPolicy, type AuthFlags } from '../../../collector/src/api/auth/policy.ts';
import { FnscopeError, UsageError } from '../../../collector/src/util/errors.ts';

const ok: Array<[string, AuthFlags, unknown]> = [
  ['127.0.0.1', {}, { mode: 'none', insecure: false }],
  ['localhost', {}, { mode: 'none', insecure: false }],
  ['::1', {}, { mode: 'none', insecure: false }],
  ['127.0.0.53', {}, { mode: 'none', insecure: false }],
  ['127.0.0.1', { tokenFile: '/t' }, { mode: 'token', tokenFile: '/t' }],
  ['0.0.0.0', { tokenFile: '/t' }, { mode: 'token', tokenFile: '/t' }],
  ['0.0.0.0', { auth: 'token', tokenFile: '/t' }, { mode: 'token', tokenFile: '/t' }],
  ['0.0.0.0', { auth: 'kubernetes' }, { mode: 'kubernetes' }],
  ['::', { auth: 'kubernetes' }, { mode: 'kubernetes' }],
  ['0.0.0.0', { insecureNoAuth: true }, { mode: 'none', insecure: true }],
  ['10.1.2.3', { insecureNoAuth: true }, { mode: 'none', insecure: true }],
];

test('resolveAuthPolicy: accepted combinations', () => {
  for (const [host, flags, want] of ok) assert.deepEqual(resolveAuthPolicy(host, flags), want, `${host} ${JSON.stringify(flags)}`);
});

test('resolveAuthPolicy: beyond loopback without auth is refused with a clear message', () => {
  for (const host of ['0.0.0.0', '::', '10.0.0.7', 'fnscope.example', '']) {
    assert.throws(() => resolveAuthPolicy(host, {}), (e: unknown) => {
      assert.ok(e instanceof FnscopeError && !(e instanceof UsageError));
      assert.equal(e.code, 'FNS_API_AUTH_REQUIRED');
      assert.match(e.message, /--token-file/);
      assert.match(e.message, /--auth kubernetes/);
      assert.match(e.message, /--insecure-no-auth/);
      return true;
    }, host);
  }
});

test('resolveAuthPolicy: contradictory flags are usage errors', () => {
  const bad: AuthFlags[] = [
    { auth: 'basic' },
    { auth: 'token' },
    { auth: 'token', tokenFile: '' },
    { auth: 'kubernetes', tokenFile: '/t' },
    { insecureNoAuth: true, auth: 'kubernetes' },
    { insecureNoAuth: true, tokenFile: '/t' },
  ];
  for (const f of bad) assert.throws(() => resolveAuthPolicy('0.0.0.0', f), UsageError, JSON.stringify(f));
});

test('parseResourceAttributes', () => {
  assert.deepEqual(parseResourceAttributes('namespace=fnscope, resource=services,subresource=proxy,name=fnscope'), { namespace: 'fnscope', resource: 'services', subresource: 'proxy', name: 'fnscope' });
  assert.throws(() => parseResourceAttributes('namespace=x'), UsageError);
  assert.throws(() => parseResourceAttributes('resource=pods,verb=get'), UsageError);
  assert.throws(() => parseResourceAttributes('resource'), UsageError);
});
