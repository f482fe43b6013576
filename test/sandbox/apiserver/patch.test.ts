import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergePatch, jsonPatch, strategicMerge, PatchError } from '../../../collector/src/sandbox/apiserver/patch.ts';

test('merge patch: objects merge, null deletes, lists and scalars replace (RFC 7386 examples)', () => {
  const cases: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [target, patch, want] of cases) assert.deepEqual(mergePatch(target, patch), want);
});

test('json patch: every operation, applied to a copy', () => {
  const doc = { metadata: { labels: { a: '1' } }, spec: { list: [1, 2, 3] } };
  const out = jsonPatch(doc, [
    { op: 'add', path: '/metadata/labels/b', value: '2' },
    { op: 'remove', path: '/metadata/labels/a' },
    { op: 'replace', path: '/spec/list/0', value: 9 },
    { op: 'add', path: '/spec/list/-', value: 4 },
    { op: 'move', from: '/spec/list/1', path: '/spec/moved' },
    { op: 'copy', from: '/metadata/labels', path: '/spec/copied' },
    { op: 'test', path: '/spec/moved', value: 2 },
    { op: 'add', path: '/metadata/labels/x~1y', value: 'slash' },
  ]);
  assert.deepEqual(out, { metadata: { labels: { b: '2', 'x/y': 'slash' } }, spec: { list: [9, 3, 4], moved: 2, copied: { b: '2' } } });
  assert.deepEqual(doc.spec.list, [1, 2, 3], 'the input is untouched');
});

test('json patch failures are 422 (test failed, missing path, bad index) and 400 for a non-list', () => {
  const doc = { a: { b: 1 }, l: [1] };
  for (const ops of [[{ op: 'test', path: '/a/b', value: 2 }], [{ op: 'remove', path: '/nope' }], [{ op: 'replace', path: '/x/y', value: 1 }], [{ op: 'add', path: '/l/5', value: 1 }], [{ op: 'frobnicate', path: '/a' }]]) {
    assert.throws(() => jsonPatch(doc, ops), (e: unknown) => e instanceof PatchError && e.code === 422);
  }
  assert.throws(() => jsonPatch(doc, { op: 'add' }), (e: unknown) => e instanceof PatchError && e.code === 400);
});

const service = {
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
  spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }] },
};

test('strategic merge: kubectl apply changing a service port (merge key port, $patch delete, $setElementOrder)', () => {
  const patch = { spec: { '$setElementOrder/ports': [{ port: 81 }, { port: 9090 }], ports: [{ name: 'http', port: 81, targetPort: 8080 }, { $patch: 'delete', port: 80 }] } };
  const out = strategicMerge(service, patch) as typeof service;
  assert.deepEqual(out.spec.ports, [{ name: 'http', port: 81, targetPort: 8080 }, { name: 'metrics', port: 9090, protocol: 'TCP' }]);
});

test('strategic merge: containers merge by name, env by name, nulls delete, lists without a merge key replace', () => {
  const pod = {
    spec: {
      containers: [{ name: 'a', image: 'x:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], args: ['one'] }, { name: 'b', image: 'y:1' }],
      tolerations: [{ key: 't1' }],
    },
  };
  const out = strategicMerge(pod, {
    spec: { containers: [{ name: 'a', image: 'x:2', env: [{ name: 'B', value: '3' }], args: ['two'] }, { name: 'c', image: 'z:1' }], tolerations: [{ key: 't2' }] },
    metadata: { labels: { gone: null, kept: 'yes' } },
  }) as { spec: { containers: Array<Record<string, unknown>>; tolerations: unknown[] }; metadata: unknown };
  assert.deepEqual(out.spec.containers.map((c) => c['name']), ['a', 'b', 'c']);
  assert.equal(out.spec.containers[0]!['image'], 'x:2');
  assert.deepEqual(out.spec.containers[0]!['env'], [{ name: 'A', value: '1' }, { name: 'B', value: '3' }]);
  assert.deepEqual(out.spec.containers[0]!['args'], ['two']);
  assert.deepEqual(out.spec.tolerations, [{ key: 't2' }]);
  assert.deepEqual(out.metadata, { labels: { kept: 'yes' } });
});

test('strategic merge directives: $patch replace, $retainKeys, $deleteFromPrimitiveList, set-merged finalizers', () => {
  assert.deepEqual(strategicMerge({ spec: { a: 1, b: 2 } }, { spec: { $patch: 'replace', c: 3 } }), { spec: { c: 3 } });
  assert.deepEqual(strategicMerge({ s: { a: 1, b: 2, c: 3 } }, { s: { $retainKeys: ['a', 'c'], c: 4 } }), { s: { a: 1, c: 4 } });
  assert.deepEqual(strategicMerge(service, { metadata: { finalizers: ['b'] } }), { ...service, metadata: { ...service.metadata, finalizers: ['a', 'b'] } });
  assert.deepEqual(strategicMerge({ metadata: { finalizers: ['a', 'b'] } }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }), { metadata: { finalizers: ['b'] } });
});
