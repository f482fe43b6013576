import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalLe, escapeValue, parseMatchers, series } from '../../../collector/src/generate/promql/selectors.ts';

test('parseMatchers splits on commas outside quotes and normalises spacing', () => {
  assert.deepEqual(parseMatchers(' job = "fnscope" , env=~"a,b|c", x!~"q\\"uote"'), ['job="fnscope"', 'env=~"a,b|c"', 'x!~"q\\"uote"']);
  assert.deepEqual(parseMatchers(''), []);
});

for (const bad of ['job', 'job=fnscope', '{job="x"}', 'job="x', '1abc="x"']) {
  test(`parseMatchers rejects ${bad}`, () => assert.throws(() => parseMatchers(bad), { code: 'FNS_CONFIG_INVALID' }));
}

test('series writes braces only when there are matchers', () => {
  assert.equal(series('up', []), 'up');
  assert.equal(series('up', ['', 'a="b"']), 'up{a="b"}');
});

test('escapeValue', () => assert.equal(escapeValue('a"b\\c'), 'a\\"b\\\\c'));

test('canonicalLe: shortest decimal, like the rules normalise le', () => {
  assert.equal(canonicalLe(1), '1');
  assert.equal(canonicalLe(0.5), '0.5');
  assert.equal(canonicalLe(0.1 + 0.2), '0.3');
});
