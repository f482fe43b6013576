import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSelector, checkFieldsSupported, objectFields } from '../../../collector/src/sandbox/apiserver/field-selector.ts';
import { ResourceRegistry } from '../../../collector/src/sandbox/apiserver/resources.ts';
import type { KObject } from '../../../collector/src/sandbox/apiserver/types.ts';

const reg = new ResourceRegistry();
const pods = reg.find('', 'v1', 'pods')!;
const functions = reg.find('kubeless.io', 'v1beta1', 'functions')!;
const events = reg.find('', 'v1', 'events')!;
const pod: KObject = { metadata: { name: 'hello-1', namespace: 'default' }, spec: { nodeName: 'n1', hostNetwork: false }, status: { phase: 'Running', podIP: '127.0.0.1' } };

const cases: Array<{ sel: string; match: boolean }> = [
  { sel: 'metadata.name=hello-1', match: true },
  { sel: 'metadata.name==hello-1', match: true },
  { sel: 'metadata.name!=hello-1', match: false },
  { sel: 'metadata.namespace=default,status.phase=Running', match: true },
  { sel: 'spec.nodeName=n2', match: false },
  { sel: 'status.phase!=Pending', match: true },
  { sel: 'spec.hostNetwork=false', match: true },
  { sel: 'status.podIP=127.0.0.1', match: true },
];

for (const c of cases) {
  test(`field selector "${c.sel}" on a pod: ${c.match}`, () => {
    const sel = parseFieldSelector(c.sel);
    checkFieldsSupported(pods, sel);
    assert.equal(sel.matches(objectFields(pods, pod)), c.match);
  });
}

test('field selector values unescape \\, \\= and \\\\', () => {
  const sel = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d');
  assert.deepEqual(sel.terms, [{ field: 'metadata.name', op: '=', value: 'a,b=c\\d' }]);
});

test('malformed field selectors get the API server messages', () => {
  assert.throws(() => parseFieldSelector('metadata.name'), { message: "invalid selector: 'metadata.name'; can't understand 'metadata.name'" });
  assert.throws(() => parseFieldSelector('a=b\\x'), { message: 'invalid field selector: invalid escape sequence: \\x' });
});

test('unsupported fields: built-in kinds and custom resources word it differently', () => {
  assert.throws(() => checkFieldsSupported(pods, parseFieldSelector('spec.foo=1')), { message: 'field label not supported: spec.foo' });
  assert.throws(() => checkFieldsSupported(functions, parseFieldSelector('spec.handler=x')), {
    message: '"spec.handler" is not a known field selector: only "metadata.name", "metadata.namespace"',
  });
  checkFieldsSupported(events, parseFieldSelector('involvedObject.name=x,involvedObject.kind=Pod,reason=BackOff'));
});
