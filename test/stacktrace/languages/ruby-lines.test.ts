import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRAME, frameAt, isFromLine, isInAppPath, parseFrame, parseFrameAt } from '../../../collector/src/stacktrace/languages/ruby-lines.ts';
import type { Frame } from '../../../collector/src/stacktrace/types.ts';
import { corpusLines, seeded } from './lang-corpus.ts';

/** What parseFrame() gave when it ran FRAME itself: the reference for the hand-written matcher. */
function reference(text: string): Frame | null {
  const m = FRAME.exec(text);
  if (!m || m[1] === '') return null;
  const file = m[1]!;
  return { file, line: m[2] === undefined ? null : Number(m[2]), function: m[3]!, inApp: isInAppPath(file) };
}

function check(text: string): void {
  const want = reference(text);
  assert.deepEqual(parseFrame(text), want, JSON.stringify(text));
  assert.equal(frameAt(text, 0) >= 0, want !== null, JSON.stringify(text));
  for (const from of [1, 6]) {
    if (from > text.length) continue;
    assert.deepEqual(parseFrameAt(text, from), reference(text.slice(from)), `${JSON.stringify(text)} from ${from}`);
  }
  assert.equal(isFromLine(text), text.startsWith('\tfrom ') && reference(text.slice(6)) !== null, JSON.stringify(text));
}

const EDGES: string[] = [
  '', "'", ":in ''", ":in 'x'", "a:in ''", "a:in '", "a:in 'x'", "a:12:in `b'", "a:12:in 'b'", "a:12x:in 'b'",
  "a:in 'b':in 'c'", "a:1:2:in 'x'", ":12:in 'x'", "a::in 'x'", "a:1:in 'x'b'", "a:in ' '", "a:in ''x'", "a:in x'",
  "a:in `x'  ", "a:in `x", 'a:in `x`', "C:/x.rb:3:in 'm'", "C:\\x.rb:in 'm'", "a:in  'x'", "a: in 'x'", "a:IN 'x'",
  "a:00012:in 'x'", "a:1234567890123456789012:in 'x'", "a:١:in 'x'", "\u00e4/\u00fc.rb:3:in '\u00e9t\u00e9'",
  "a\r:in 'x'", "a:in 'x\r'", "a:in 'x\u2028'", "a\u2029:in 'x'", "a:in 'x'\n", "a\n:in 'x'", "a:in 'x\t'",
  "\tfrom a:in 'x'", "\tfrom :in 'x'", "\tfrom :3:in 'x'", "\tfrom a:3:in `x'", '\tfrom ', "\tfrom\ta:in 'x'",
  "\t/usr/lib/x.rb:10:in `block in total'", "\t:in 'x'", "\tserver.rb:20:in `block in <class:Runtime>'",
  "<internal:kernel>:90:in `tap'", "-e:in 'Kernel.eval'", "eval:5:in '<main>'", "x:in 'a':12:in 'b'",
  "/app/kubeless.rb:3:in 'h'", "kubeless.rb:3:in 'h'", "/app/notkubeless.rb:3:in 'h'",
  "/gems/x.rb:1:in 'g'", "/usr/lib/ruby/3.1.0/x.rb:1:in 'g'", "/usr/lib/ruby/site_ruby/x.rb:1:in 'g'",
];

test('parseFrame, frameAt and isFromLine agree with FRAME on edge cases', () => {
  for (const text of EDGES) check(text);
});

test('parseFrame agrees with FRAME on every line of the corpus', () => {
  const lines = corpusLines();
  for (const line of lines) check(line);
  assert.ok(lines.length > 1000);
});

test('parseFrame agrees with FRAME on generated texts of frame pieces', () => {
  const pieces = [':', 'in ', 'in', ' ', '`', "'", '1', '23', 'a', '/x.rb', '\r', '\u2028', '\t', 'from ', ':in `', ":in '"];
  const rnd = seeded(1);
  for (let k = 0; k < 20000; k++) {
    let text = '';
    const len = rnd(9);
    for (let i = 0; i < len; i++) text += pieces[rnd(pieces.length)];
    if (rnd(2) === 0) text += "'";
    check(text);
  }
});
