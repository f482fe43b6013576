import { test } from 'node:test';
import assert from 'node:assert/strict';
import { INVALID, scanFloat, scanInteger } from '../../../collector/src/scrape/parse/number.ts';

const f = (s: string): number | typeof INVALID => scanFloat(s, 0, s.length);

test('scanFloat agrees with Number() on decimal forms, exactly', () => {
  const cases = ['0', '-0', '1', '+1', '0.1', '.5', '5.', '1e3', '1E-3', '1.5e+10', '123456789012345', '1234567890123456789', '0.21000000000000002',
    '3.0410028400001465', '1.79531101762e+09', '1.7976931348623157e308', '5e-324', '1e400', '1e-400', '0.000000000000000000000000001', '9007199254740993', '00012.50'];
  for (const c of cases) assert.ok(Object.is(f(c), Number(c)), `${c}: ${String(f(c))} vs ${Number(c)}`);
});

test('scanFloat round-trips random doubles in every notation', () => {
  let seed = 7;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 4294967296;
  };
  const buf = new Float64Array(1);
  const words = new Uint32Array(buf.buffer);
  for (let i = 0; i < 20000; i++) {
    words[0] = (rand() * 2 ** 32) >>> 0;
    words[1] = (rand() * 2 ** 32) >>> 0;
    const v = buf[0]!;
    if (!Number.isFinite(v)) continue;
    for (const s of [String(v), v.toExponential(), v.toPrecision(10), v.toFixed(Math.min(20, Math.max(0, 10)))]) {
      if (s.includes('e+') && s === v.toFixed(10)) continue;
      assert.ok(Object.is(f(s), Number(s)), `${s}`);
    }
  }
  for (let i = 0; i < 20000; i++) {
    const v = Math.round(rand() * 1e6) / 1000;
    assert.equal(f(String(v)), v);
  }
});

test('scanFloat special values and rejections', () => {
  assert.ok(Number.isNaN(f('NaN')) && Number.isNaN(f('nan')));
  assert.equal(f('+Inf'), Infinity);
  assert.equal(f('-Inf'), -Infinity);
  assert.equal(f('Inf'), Infinity);
  assert.equal(f('-Infinity'), -Infinity);
  assert.equal(f('+inf'), Infinity);
  for (const bad of ['', '+', '-', '.', 'e5', '1e', '1e+', '1.2.3', 'abc', '0x10', '1_000', 'Infinit', 'NaNa', '1 ', ' 1', '--1']) {
    assert.equal(f(bad), INVALID, JSON.stringify(bad));
  }
});

test('scanInteger reads signed millisecond timestamps', () => {
  const i = (s: string): number | typeof INVALID => scanInteger(s, 0, s.length);
  assert.equal(i('1700000000123'), 1700000000123);
  assert.equal(i('-5000'), -5000);
  assert.equal(i('+7'), 7);
  for (const bad of ['', '-', '1.5', '1e3', 'x']) assert.equal(i(bad), INVALID, bad);
});
