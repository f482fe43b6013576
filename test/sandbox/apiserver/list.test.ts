import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Store } from '../../../collector/src/sandbox/apiserver/store.ts';
import { ResourceRegistry } from '../../../collector/src/sandbox/apiserver/resources.ts';
import { listObjects, decodeContinue, encodeContinue } from '../../../collector/src/sandbox/apiserver/list.ts';
import { parseListOptions } from '../../../collector/src/sandbox/apiserver/list-options.ts';
import { ApiError } from '../../../collector/src/sandbox/apiserver/status.ts';

const pods = new ResourceRegistry().find('', 'v1', 'pods')!;
const opts = (q: string) => parseListOptions(pods, new URLSearchParams(q), false);

function seeded(n: number, historySize = 1000): Store {
  const s = new Store({ historySize, initialResourceVersion: 0 });
  for (let i = 0; i < n; i++) s.create('pods', { metadata: { name: `p${String(i).padStart(2, '0')}`, namespace: i % 2 ? 'b' : 'a', labels: { i: String(i), odd: String(i % 2 === 1) } } });
  return s;
}

function err(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

test('limit/continue pages through a consistent snapshot despite concurrent changes', () => {
  const s = seeded(10);
  const first = listObjects(s, pods, opts('limit=4'), undefined);
  assert.equal(first.items.length, 4);
  assert.equal(first.remainingItemCount, 6);
  const rv = first.resourceVersion;
  // Changes after the first page must not show in the following pages.
  s.create('pods', { metadata: { name: 'p99', namespace: 'b' } });
  s.delete('pods', 'b', 'p09');
  s.update('pods', { metadata: { name: 'p08', namespace: 'a', labels: { changed: 'yes' } } });
  const names: string[] = first.items.map((o) => o.metadata.name!);
  let token = first.continueToken;
  while (token) {
    const page = listObjects(s, pods, opts(`limit=4&continue=${encodeURIComponent(token)}`), undefined);
    assert.equal(page.resourceVersion, rv);
    names.push(...page.items.map((o) => o.metadata.name!));
    if (page.items.some((o) => o.metadata.name === 'p08')) assert.equal(page.items.find((o) => o.metadata.name === 'p08')!.metadata.labels?.['changed'], undefined);
    token = page.continueToken;
  }
  assert.equal(names.length, 10);
  assert.equal(new Set(names).size, 10);
  assert.ok(names.includes('p09') && !names.includes('p99'));
});

test('a continue token older than the kept history is 410 Expired', () => {
  const s = seeded(6, 8);
  const first = listObjects(s, pods, opts('limit=2'), undefined);
  for (let i = 0; i < 10; i++) s.update('pods', { metadata: { name: 'p00', namespace: 'a', labels: { n: String(i) } } });
  const e = err(() => listObjects(s, pods, opts(`limit=2&continue=${encodeURIComponent(first.continueToken!)}`), undefined));
  assert.equal(e.code, 410);
  assert.equal(e.reason, 'Expired');
  assert.match(e.message, /^The provided continue parameter is too old to display a consistent list result/);
});

test('continue token: encoding round trip and 400 for garbage or with a resourceVersion', () => {
  assert.deepEqual(decodeContinue(encodeContinue(12, 'a/b\u0000')), { v: 'meta.k8s.io/v1', rv: 12, start: 'a/b\u0000' });
  const s = seeded(3);
  assert.equal(err(() => listObjects(s, pods, opts('continue=%%%garbage'), undefined)).code, 400);
  const t = encodeContinue(1, 'a/p00\u0000');
  assert.equal(err(() => listObjects(s, pods, opts(`continue=${t}&resourceVersion=2&limit=1`), undefined)).message, 'specifying resource version is not allowed when using continue');
});

test('resourceVersion semantics: unset/0 current, N not-older-than, Exact snapshot, too large 504, too old 410', () => {
  const s = seeded(4, 5);
  const at = s.resourceVersion;
  s.create('pods', { metadata: { name: 'late', namespace: 'a' } });
  assert.equal(listObjects(s, pods, opts(''), undefined).items.length, 5);
  assert.equal(listObjects(s, pods, opts('resourceVersion=0'), undefined).items.length, 5);
  assert.equal(listObjects(s, pods, opts(`resourceVersion=${at}`), undefined).items.length, 5);
  const exact = listObjects(s, pods, opts(`resourceVersion=${at}&resourceVersionMatch=Exact`), undefined);
  assert.equal(exact.items.length, 4);
  assert.equal(exact.resourceVersion, String(at));
  const big = err(() => listObjects(s, pods, opts('resourceVersion=999999'), undefined));
  assert.equal(big.code, 504);
  assert.match(big.message, /^Timeout: Too large resource version: 999999, current: \d+$/);
  for (let i = 0; i < 6; i++) s.update('pods', { metadata: { name: 'late', namespace: 'a', labels: { n: String(i) } } });
  const old = err(() => listObjects(s, pods, opts('resourceVersion=1&resourceVersionMatch=Exact'), undefined));
  assert.equal(old.code, 410);
});

test('selectors and namespace filter the list; remainingItemCount only without selectors', () => {
  const s = seeded(10);
  const r = listObjects(s, pods, opts('labelSelector=odd%3Dtrue&limit=2'), 'b');
  assert.deepEqual(r.items.map((o) => o.metadata.name), ['p01', 'p03']);
  assert.equal(r.remainingItemCount, undefined);
  assert.ok(r.continueToken);
  const f = listObjects(s, pods, opts('fieldSelector=metadata.name%3Dp04'), undefined);
  assert.deepEqual(f.items.map((o) => o.metadata.namespace), ['a']);
});

test('list option validation: bad ints 400, bad resourceVersion 400, contradictions 422', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['limit=abc', 400, /strconv\.ParseInt: parsing "abc": invalid syntax/],
    ['resourceVersion=-1', 400, /^resourceVersion: Invalid value: "-1": strconv\.ParseUint: parsing "-1": invalid syntax$/],
    ['resourceVersionMatch=Exact', 422, /ListOptions\.meta\.k8s\.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided/],
    ['resourceVersionMatch=Sometimes&resourceVersion=5', 422, /resourceVersionMatch: Unsupported value: "Sometimes": supported values: "Exact", "NotOlderThan", ""/],
    ['resourceVersionMatch=Exact&resourceVersion=0', 422, /resourceVersionMatch "exact" is forbidden for resourceVersion "0"/],
    ['labelSelector=a%20b', 400, /unable to parse requirement/],
    ['fieldSelector=spec.nope%3D1', 400, /^field label not supported: spec\.nope$/],
  ];
  for (const [q, code, msg] of cases) {
    const e = err(() => opts(q));
    assert.equal(e.code, code, q);
    assert.match(e.message, msg, q);
  }
  // Unknown parameters are ignored, as the API server does.
  assert.equal(opts('frobnicate=1&pretty=true').limit, 0);
});
