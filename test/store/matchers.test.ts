import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledMatcher, MemStore, getLabel, labelsFromRecord, parseSelector, type Matcher } from '../../collector/src/store/index.ts';
import { isFnscopeError } from '../../collector/src/util/errors.ts';

function storeWith(): MemStore {
  const store = new MemStore();
  const app = store.appender();
  const rows: Array<Record<string, string>> = [
    { fn: 'a', method: 'GET' },
    { fn: 'a', method: 'POST' },
    { fn: 'b', method: 'GET', extra: 'x' },
    { fn: 'bb', method: 'DELETE' },
    { fn: 'c' },
  ];
  rows.forEach((r, i) => app.append(labelsFromRecord(r, 'm'), i, i));
  app.append(labelsFromRecord({ fn: 'a' }, 'other'), 0, 0);
  app.commit();
  return store;
}

const pick = (store: MemStore, sel: string): string[] =>
  store
    .querier()
    .select(parseSelector(sel))
    .map((s) => `${getLabel(s.labels, '__name__')}:${getLabel(s.labels, 'fn')}:${getLabel(s.labels, 'method')}`);

test('selectors with =, !=, =~, !~ and Prometheus semantics for missing labels', () => {
  const store = storeWith();
  const table: Array<[string, string[]]> = [
    ['m', ['m:a:GET', 'm:a:POST', 'm:b:GET', 'm:bb:DELETE', 'm:c:']],
    ['m{fn="a"}', ['m:a:GET', 'm:a:POST']],
    ['m{fn!="a"}', ['m:b:GET', 'm:bb:DELETE', 'm:c:']],
    ['m{fn=~"b"}', ['m:b:GET']], // anchored: "bb" does not match "b"
    ['m{fn=~"b.*"}', ['m:b:GET', 'm:bb:DELETE']],
    ['m{fn=~"a|c"}', ['m:a:GET', 'm:a:POST', 'm:c:']],
    ['m{fn!~"a|b"}', ['m:bb:DELETE', 'm:c:']],
    ['m{method=""}', ['m:c:']], // missing label matches the empty string
    ['m{method!=""}', ['m:a:GET', 'm:a:POST', 'm:b:GET', 'm:bb:DELETE']],
    ['m{method=~"|GET"}', ['m:a:GET', 'm:b:GET', 'm:c:']],
    ['m{extra="x"}', ['m:b:GET']],
    ['{fn="a"}', ['m:a:GET', 'm:a:POST', 'other:a:']],
    ['{__name__=~"m|other", method!~"GET|POST"}', ['m:bb:DELETE', 'm:c:', 'other:a:']],
    ['m{fn=~".*", method="GET"}', ['m:a:GET', 'm:b:GET']],
    ['m{fn="nope"}', []],
    ['nope', []],
  ];
  for (const [sel, want] of table) assert.deepEqual(pick(store, sel), want, sel);
});

test('regex matchers are anchored and . matches newlines', () => {
  const m = (value: string): CompiledMatcher => new CompiledMatcher({ name: 'x', type: '=~', value });
  assert.equal(m('ab').matches('xab'), false);
  assert.equal(m('a.b').matches('a\nb'), true);
  assert.equal(m('GET|POST').matches('GET'), true);
  assert.equal(m('GET|POST').matches('GETX'), false);
});

test('parseSelector: forms and errors', () => {
  assert.deepEqual(parseSelector('up'), [{ name: '__name__', type: '=', value: 'up' }]);
  assert.deepEqual(parseSelector(` x { a = "1" , b!~'2\\'' , c=~"\\\\d" } `), [
    { name: '__name__', type: '=', value: 'x' },
    { name: 'a', type: '=', value: '1' },
    { name: 'b', type: '!~', value: "2'" },
    { name: 'c', type: '=~', value: '\\d' },
  ] satisfies Matcher[]);
  for (const bad of ['', '{}', '{a=""}', 'x{a}', 'x{a="1"', 'x{a="1"} y', '{a=~".*"}', 'x{a=~"("}']) {
    assert.throws(() => new CompiledMatcher(parseSelector(bad).at(-1)!), (e) => isFnscopeError(e) && e.code === 'FNS_STORE_BAD_MATCHER', bad);
  }
});
