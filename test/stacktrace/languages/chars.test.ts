import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDigit, isSpace, skipSpaces } from '../../../collector/src/stacktrace/languages/chars.ts';

test('isSpace and isDigit agree with \\s and \\d on every UTF-16 code unit', () => {
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    assert.equal(isSpace(c), /\s/.test(ch), `U+${c.toString(16)}`);
    assert.equal(isDigit(c), /\d/.test(ch), `U+${c.toString(16)}`);
  }
  assert.equal(isSpace(Number.NaN), false);
});

test('skipSpaces cuts where trimStart() does', () => {
  const table = ['', ' ', '\t\tat x', 'x', '  \u00a0\u3000x ', '\ufeff\n\r x', ' \u200b x', '\u2028\u2029'];
  for (const text of table) {
    assert.equal(text.slice(skipSpaces(text, 0)), text.trimStart(), JSON.stringify(text));
    assert.equal(skipSpaces(text, text.length), text.length);
  }
});
