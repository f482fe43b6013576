import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLabelSelector } from '../../../collector/src/sandbox/apiserver/label-selector.ts';

const labels = { function: 'hello', 'created-by': 'kubeless', tier: 'web', version: '3' };

const matching: Array<{ sel: string; match: boolean }> = [
  { sel: '', match: true },
  { sel: 'function=hello', match: true },
  { sel: 'function==hello', match: true },
  { sel: 'function=bye', match: false },
  { sel: 'function!=bye', match: true },
  { sel: 'function!=hello', match: false },
  { sel: 'missing!=x', match: true },
  { sel: 'function in (hello,bye)', match: true },
  { sel: 'function in (bye)', match: false },
  { sel: 'function notin (bye)', match: true },
  { sel: 'function notin (hello)', match: false },
  { sel: 'missing notin (x)', match: true },
  { sel: 'function', match: true },
  { sel: 'missing', match: false },
  { sel: '!missing', match: true },
  { sel: '!function', match: false },
  { sel: 'version>2', match: true },
  { sel: 'version<3', match: false },
  { sel: 'function=hello,created-by=kubeless', match: true },
  { sel: 'function=hello, tier in (db)', match: false },
  { sel: '  function = hello  ', match: true },
  { sel: 'function in (hello,,x)', match: true },
  { sel: 'tier in (in, notin, web)', match: true },
];

for (const c of matching) {
  test(`label selector "${c.sel}" ${c.match ? 'matches' : 'does not match'}`, () => {
    assert.equal(parseLabelSelector(c.sel).matches(labels), c.match);
  });
}

test('label selector matches objects without labels like the API server', () => {
  assert.equal(parseLabelSelector('a!=b').matches(undefined), true);
  assert.equal(parseLabelSelector('a').matches(undefined), false);
});

const errors: Array<{ sel: string; message: string | RegExp }> = [
  { sel: 'a b', message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" },
  { sel: 'app in (a', message: "unable to parse requirement: found '', expected: ',' or ')'" },
  { sel: 'a=b c', message: "found 'c', expected: ',' or 'end of string'" },
  { sel: 'a=b,', message: "found '', expected: identifier after ','" },
  { sel: ',a', message: "found ',', expected: !, identifier, or 'end of string'" },
  { sel: '!a=b', message: "found '=', expected: ',' or 'end of string'" },
  { sel: 'a in b', message: "unable to parse requirement: found 'b' expected: '('" },
  { sel: 'Bad_/x=y', message: /^unable to parse requirement: <nil>: Invalid value: "Bad_\/x": prefix part a lowercase RFC 1123 subdomain must consist of/ },
  { sel: '-a=b', message: /^unable to parse requirement: <nil>: Invalid value: "-a": name part must consist of alphanumeric characters, '-', '_' or '\.', and must start and end with an alphanumeric character \(e\.g\. 'MyName', {2}or 'my\.name', {2}or '123-abc', regex used for validation is/ },
  { sel: 'a=b@c', message: /^unable to parse requirement: values\[0\]\[a\]: Invalid value: "b@c": a valid label must be an empty string or consist of/ },
  { sel: 'a>x', message: /for 'Gt', 'Lt' operators, the value must be an integer/ },
];

for (const c of errors) {
  test(`label selector "${c.sel}" is rejected with the API server's message`, () => {
    assert.throws(() => parseLabelSelector(c.sel), (e: Error) => {
      if (typeof c.message === 'string') assert.equal(e.message, c.message);
      else assert.match(e.message, c.message);
      return true;
    });
  });
}

test('label selector string form is sorted by key, as labels.Parse renders it', () => {
  assert.equal(parseLabelSelector('z=1,a in (y,x),!m,k').toString(), 'a in (x,y),k,!m,z=1');
});
