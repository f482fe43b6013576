import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFunction, safeHash } from '../../../collector/src/sandbox/controller/function-spec.ts';
import type { KObject } from '../../../collector/src/sandbox/apiserver/types.ts';

const fn = (spec: Record<string, unknown>, labels: Record<string, string> = {}): KObject => ({ metadata: { name: 'f', namespace: 'ns', labels }, spec });

test('handler, base64 source, default timeout, replicas and env from the embedded Deployment', () => {
  const p = parseFunction(fn({
    handler: 'mod.run', runtime: 'nodejs14', 'function-content-type': 'base64', function: Buffer.from('module.exports={}').toString('base64'),
    deployment: { spec: { replicas: 2, template: { spec: { containers: [{ env: [{ name: 'A', value: '1' }] }] } } } },
  }, { team: 'x' }));
  assert.ok(!('error' in p));
  assert.equal(p.modName, 'mod');
  assert.equal(p.handlerName, 'run');
  assert.equal(p.spec.source, 'module.exports={}');
  assert.equal(p.timeout, '180');
  assert.equal(p.spec.timeoutSeconds, 180);
  assert.equal(p.replicas, 2);
  assert.deepEqual(p.spec.env, { A: '1' });
  assert.deepEqual(p.labels, { team: 'x', function: 'f', 'created-by': 'kubeless' });
});

test('the template hash changes with the source and not with unrelated fields', () => {
  const base = { handler: 'm.h', runtime: 'python3.8', function: 'a' };
  const h = (s: Record<string, unknown>) => (parseFunction(fn(s)) as { templateHash: string }).templateHash;
  assert.equal(h(base), h({ ...base, checksum: 'sha256:x' }));
  assert.notEqual(h(base), h({ ...base, function: 'b' }));
  assert.match(h(base), /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
  assert.equal(safeHash('x'), safeHash('x'));
});

test('Functions the sandbox cannot deploy say why', () => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ handler: 'nodot', runtime: 'python3.8' }, /incorrect handler format/],
    [{ handler: 'a.b' }, /no spec\.runtime/],
    [{ handler: 'a.b', runtime: 'python3.8', 'function-content-type': 'url', function: 'https://x' }, /does not download/],
    [{ handler: 'a.b', runtime: 'python3.8', 'function-content-type': 'base64+zip', function: 'UEs=' }, /single-file/],
  ];
  for (const [spec, re] of cases) {
    const p = parseFunction(fn(spec));
    assert.ok('error' in p);
    assert.match(p.error, re);
  }
});
