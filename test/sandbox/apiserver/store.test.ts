import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../../../collector/src/sandbox/apiserver/store.ts';
import { ApiError } from '../../../collector/src/sandbox/apiserver/status.ts';
import type { KObject } from '../../../collector/src/sandbox/apiserver/types.ts';

const obj = (name: string, extra: Record<string, unknown> = {}, ns = 'default'): KObject => ({ metadata: { name, namespace: ns }, ...extra });
const code = (e: unknown): number => (e instanceof ApiError ? e.code : 0);

test('one monotonic resourceVersion across every resource', () => {
  const s = new Store({ initialResourceVersion: 10 });
  const a = s.create('pods', obj('a'));
  const b = s.create('functions.kubeless.io', obj('f'));
  const c = s.update('pods', obj('a', { x: 1 }));
  const d = s.delete('functions.kubeless.io', 'default', 'f');
  assert.deepEqual([a, b, c, d].map((o) => Number(o.metadata.resourceVersion)), [11, 12, 13, 14]);
  assert.equal(s.resourceVersion, 14);
});

test('stored objects are frozen copies; a no-op update keeps the version and emits nothing', () => {
  const s = new Store();
  const input = obj('a', { spec: { v: 1 } });
  const stored = s.create('pods', input);
  (input['spec'] as { v: number }).v = 2;
  assert.equal((stored['spec'] as { v: number }).v, 1);
  assert.throws(() => ((stored['spec'] as { v: number }).v = 3));
  const events: string[] = [];
  s.subscribe((e) => events.push(e.type));
  const again = s.update('pods', obj('a', { spec: { v: 1 } }));
  assert.equal(again.metadata.resourceVersion, stored.metadata.resourceVersion);
  assert.deepEqual(events, []);
});

test('409 on a stale resourceVersion, 409 on duplicate create, 404 on missing', () => {
  const s = new Store();
  const a = s.create('pods', obj('a'));
  s.update('pods', obj('a', { x: 1 }));
  assert.equal(code(catchErr(() => s.update('pods', obj('a', { x: 2 }), a.metadata.resourceVersion))), 409);
  assert.equal(code(catchErr(() => s.create('pods', obj('a')))), 409);
  assert.equal(code(catchErr(() => s.delete('pods', 'default', 'zz'))), 404);
});

function catchErr(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

test('snapshot rebuilds a resource as it was at an older version', () => {
  const s = new Store();
  s.create('pods', obj('a', { v: 1 }));
  s.create('pods', obj('b'));
  const at = s.resourceVersion;
  s.update('pods', obj('a', { v: 2 }));
  s.delete('pods', 'default', 'b');
  s.create('pods', obj('c'));
  s.create('services', obj('svc'));
  const snap = s.snapshot('pods', at);
  assert.deepEqual(snap.map((o) => [o.metadata.name, o['v']]), [['a', 1], ['b', undefined]]);
  assert.deepEqual(s.list('pods').map((o) => o.metadata.name), ['a', 'c']);
});

test('history is bounded: older versions become 410 Gone, for replay and for snapshots', () => {
  const s = new Store({ historySize: 3, initialResourceVersion: 0 });
  for (let i = 0; i < 5; i++) s.create('pods', obj(`p${i}`));
  assert.equal(s.compactedResourceVersion, 2);
  assert.deepEqual(s.changesSince(2).map((e) => e.rv), [3, 4, 5]);
  const err = catchErr(() => s.changesSince(1));
  assert.equal(code(err), 410);
  assert.equal((err as ApiError).status.reason, 'Expired');
  assert.match((err as ApiError).message, /^too old resource version: 1 \(3\)$/);
  assert.equal(code(catchErr(() => s.snapshot('pods', 1))), 410);
});

test('compact() drops history up to a version (test hook)', () => {
  const s = new Store({ initialResourceVersion: 0 });
  for (let i = 0; i < 4; i++) s.create('pods', obj(`p${i}`));
  s.compact(3);
  assert.deepEqual(s.changesSince(3).map((e) => e.rv), [4]);
  assert.equal(code(catchErr(() => s.changesSince(2))), 410);
  s.compact();
  assert.deepEqual(s.changesSince(4), []);
});

test('DELETED events carry the deletion resourceVersion and the previous object', () => {
  const s = new Store();
  s.create('pods', obj('a', { v: 1 }));
  const seen: Array<{ type: string; rv: string | undefined; prevRv: string | undefined }> = [];
  s.subscribe((e) => seen.push({ type: e.type, rv: e.object.metadata.resourceVersion, prevRv: e.prev?.metadata.resourceVersion }));
  const before = s.resourceVersion;
  s.delete('pods', 'default', 'a');
  assert.deepEqual(seen, [{ type: 'DELETED', rv: String(before + 1), prevRv: String(before) }]);
});
