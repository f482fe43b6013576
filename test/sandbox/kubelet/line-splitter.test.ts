import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../../collector/src/sandbox/kubelet/line-splitter.ts';

test('lines come out whole however the chunks fall, multi-byte characters included', () => {
  const text = 'first line\nzweite Zeile: grüße\n第三行\nunfinished';
  const bytes = Buffer.from(text);
  for (const size of [1, 2, 3, 7, bytes.length]) {
    const s = new LineSplitter();
    const lines: string[] = [];
    for (let i = 0; i < bytes.length; i += size) lines.push(...s.push(bytes.subarray(i, i + size)));
    assert.deepEqual(lines, ['first line', 'zweite Zeile: grüße', '第三行'], `chunks of ${size}`);
    assert.equal(s.flush(), 'unfinished');
    assert.equal(s.flush(), undefined);
  }
});

test('empty lines are kept, and a line past the limit is cut into pieces', () => {
  const s = new LineSplitter(4);
  assert.deepEqual(s.push('\n\nabcdefghij\nxy'), ['', '', 'abcd', 'efgh', 'ij']);
  assert.deepEqual(s.push('zw'), ['xyzw']);
  assert.equal(s.flush(), undefined);
});
