import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digitsValue } from '../../collector/src/util/digits.ts';

test('digitsValue is Number() of the digits, up to 15 and beyond', () => {
  const table = ['0', '7', '00012', '123456789012345', '999999999999999', '1234567890123456', '98765432109876543210', '0000000000000000001'];
  for (const d of table) {
    const text = `x:${d}:y`;
    assert.equal(digitsValue(text, 2, 2 + d.length), Number(d), d);
  }
  assert.equal(digitsValue('abc', 1, 1), 0, 'no digits: what Number("") is');
});
