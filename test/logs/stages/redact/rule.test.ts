import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lastCharacters, separatorAfter } from '../../../../collector/src/logs/stages/redact/rule.ts';

test('lastCharacters: the characters every match of the keys ends with, or null when not plain to see', () => {
  const cases: [string, string[] | null][] = [
    ['authorization', ['n']],
    ['password|passwd|passphrase|pwd', ['d', 'e']],
    ['secret_?(?:access)?_?key', ['y']],
    ['api[_-]?key|secret[_-]?key|token|secret', ['y', 'n', 't']],
    ['(?:authorization)|(?:token|pwd)', ['n', 'd']],
    ['(?:(?:a|b))|c_', ['a', 'b', '_']],
    ['x1', ['1']],
    ['key?', null],
    ['keys*', null],
    ['k[ey]', null],
    ['ab\\d', null],
    ['a\\.b', null],
    ['a{2}', null],
    ['to(?=k)', null],
    ['(?:a)b|(?:c)', ['b', 'c']],
    ['(?:pass(?:word|wd))', null],
    ['a|', null],
    ['', null],
  ];
  for (const [keys, want] of cases) {
    const got = lastCharacters(keys);
    assert.deepEqual(got === null ? null : [...got].sort(), want === null ? null : want.slice().sort(), keys);
  }
});

test('separatorAfter: the separator right after a key, whatever its case; the same lines as a plain look-behind', () => {
  const keysList = ['authorization', 'password|passwd|passphrase|pwd', 'secret_?(?:access)?_?key', 'api[_-]?key|secret[_-]?key|token|secret', 'key?', 'a[bB]c', 'a[bB]'];
  const keysIn = ['authorization', 'PassWord', 'pwd', 'passphrase', 'aws_secret_access_key', 'SecretKey', 'api-key', 'TOKEN', 'secret', 'ke', 'key', 'ab', 'aBc', 'Abc', 'tokens', 'pw', 'level', 'time', ''];
  const separators = ['=', ':', ' = ', '":"', '": "', "'='", '  :  ', '"=\t', ' '.repeat(11) + ':', '', '-'];
  const lines: string[] = [];
  for (const k of keysIn) for (const sep of separators) lines.push(`x ${k}${sep}v y`, `${k}${sep}`, `{"${k}${sep}1}`);
  for (const keys of keysList) {
    // the look-behind as written before the quick first test: (?<=keys["']?\s{0,10})[:=], case-insensitive
    const plain = new RegExp(`(?<=(?:${keys})["']?\\s{0,10})[:=]`, 'i');
    const trigger = separatorAfter(keys);
    assert.equal(trigger.flags, '', `${keys}: merges into the pre-filter`);
    let passed = 0;
    for (const line of lines) {
      assert.equal(trigger.test(line), plain.test(line), `${keys}: ${JSON.stringify(line)}`);
      if (plain.test(line)) passed++;
    }
    assert.ok(passed > 0, `${keys}: some lines pass`);
  }
});
