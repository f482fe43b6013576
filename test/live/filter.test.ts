import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TailFilter, filterSpecFromQuery, type TailFilterSpec } from '../../collector/src/live/filter.ts';
import { exception, line } from '../support/records.ts';

const recs = {
  helloOut: line('hello world'),
  helloErr: line('ERROR:root:Function returned an exception', { stream: 'stderr' }),
  access500: line('"POST / HTTP/1.1" 500', { access: { method: 'POST', path: '/', status: 500 } }),
  access200: line('"POST / HTTP/1.1" 200', { access: { method: 'POST', path: '/', status: 200 } }),
  otherNs: line('hi', { namespace: 'prod', function: 'hello', pod: 'hello-xyz' }),
  exc: exception('KeyError'),
};
type K = keyof typeof recs;

const cases: Array<{ spec: TailFilterSpec; want: K[] }> = [
  { spec: {}, want: ['helloOut', 'helloErr', 'access500', 'access200', 'otherNs', 'exc'] },
  { spec: { namespace: 'prod' }, want: ['otherNs'] },
  { spec: { function: 'hello', namespace: 'default' }, want: ['helloOut', 'helloErr', 'access500', 'access200'] },
  { spec: { function: 'bike.*' }, want: ['exc'] },
  { spec: { pod: '.*-xyz' }, want: ['otherNs'] },
  { spec: { stream: 'stderr' }, want: ['helloErr', 'exc'] },
  { spec: { errorsOnly: true }, want: ['helloErr', 'access500', 'exc'] },
  { spec: { include: ['world|Key'] }, want: ['helloOut', 'exc'] },
  { spec: { exclude: ['HTTP'] }, want: ['helloOut', 'helloErr', 'otherNs', 'exc'] },
];

for (const c of cases) {
  test(`filter ${JSON.stringify(c.spec)}`, () => {
    const f = new TailFilter(c.spec);
    const got = (Object.keys(recs) as K[]).filter((k) => f.matches(recs[k]));
    assert.deepEqual(got, c.want);
  });
}

test('functionKey is set only for one exact function in one namespace', () => {
  assert.equal(new TailFilter({ namespace: 'default', function: 'hello' }).functionKey, 'default/hello');
  assert.equal(new TailFilter({ function: 'hello' }).functionKey, undefined);
  assert.equal(new TailFilter({ namespace: 'd', function: 'he.*' }).functionKey, undefined);
});

for (const [spec, err] of [
  [{ function: '(' }, /function: invalid regular expression/],
  [{ include: ['(a+)+$'] }, /nested quantifiers/],
  [{ include: ['x'.repeat(600)] }, /longer than 512/],
  [{ exclude: Array.from({ length: 11 }, () => 'x') }, /at most 10 patterns/],
] as Array<[TailFilterSpec, RegExp]>) {
  test(`bad filter ${JSON.stringify(spec).slice(0, 40)} is refused`, () => {
    assert.throws(() => new TailFilter(spec), err);
  });
}

test('filterSpecFromQuery reads every field and refuses a bad stream', () => {
  const q = new URLSearchParams('namespace=a&function=b&pod=p&container=c&stream=stderr&errors=true&include=x&grep=y&exclude=z');
  assert.deepEqual(filterSpecFromQuery(q), { namespace: 'a', function: 'b', pod: 'p', container: 'c', stream: 'stderr', errorsOnly: true, include: ['x', 'y'], exclude: ['z'] });
  assert.throws(() => filterSpecFromQuery(new URLSearchParams('stream=both')), /stdout, stderr or combined/);
});
