import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AT_LINE, CALL, callStart, parseCallLine } from '../../../collector/src/stacktrace/languages/php-lines.ts';
import type { CallLine } from '../../../collector/src/stacktrace/languages/php-lines.ts';
import { corpusLines, generatedLines } from './lang-corpus.ts';

/** parseCallLine() as it was, with CALL and AT_LINE: the reference for the reader by hand. */
function reference(line: string): CallLine | null {
  const fn = (call: string): string => {
    const paren = call.indexOf('(');
    return paren < 0 ? call : call.slice(0, paren);
  };
  const m = CALL.exec(line);
  if (!m) return null;
  const rest = m[1]!;
  if (rest === '{main}') return { file: null, line: null, function: '{main}' };
  if (rest.startsWith('[internal function]: ')) return { file: '[internal function]', line: null, function: fn(rest.slice(21)) };
  const at = AT_LINE.exec(rest);
  if (!at) return null;
  return { file: at[1]!, line: Number(at[2]), function: fn(at[3]!) };
}

function check(line: string): void {
  const what = JSON.stringify(line);
  assert.deepEqual(parseCallLine(line), reference(line), what);
  const m = /^#\d+ /.exec(line);
  assert.equal(callStart(line), m ? m[0].length : -1, what);
}

const EDGES = [
  '', '#', '#0', '#0 ', '# ', '#a ', '#0x ', '#00 x', '#0 {main}', '#0 {main} ', '#0  {main}', '#0 {Main}', '#12 {main}',
  '#0 [internal function]: f()', '#0 [internal function]: ', '#0 [internal function]:f()', '#0 [internal function]: {closure}(1)',
  '#0 /a.php(12): f()', '#0 /a.php(12): ', '#0 /a.php(12):f()', '#0 /a.php(): f()', '#0 /a.php(1x): f()', '#0 (12): f()', '#0 a(12)(3): g(4): h()',
  '#0 /a.php(12): f(): g()', '#0 /a.php(12): f("(3): x")', '#0 /a.php(12): f() x(4): y', '#0 /a(b).php(12): f()', '#0 /a.php((12): f()',
  '#0 /a.php(12): f()\r', '#0 /a.php(12): f(\n)', '#0 /a\u2028.php(12): f()', '#0\u2029 /a.php(12): f()', '#0 /a.php(12): Foo->bar(\'x\')',
  '#0 /a.php(12): Foo::bar()', '#0 /\u00e9.php(3): \u00e9()', '#0 /a.php(123456789012345678901234): f()', '#1 phar:///x.phar/a.php(3): f()',
  '#0 /a.php(12): ): (3): f()', '#0 (1): ', '#0 (1):  ', '#0 x(1): (2): y',
];

test('parseCallLine and callStart agree with CALL and AT_LINE on edge cases', () => {
  for (const line of EDGES) check(line);
});

test('parseCallLine agrees with CALL and AT_LINE on every line of the corpus and on generated lines', () => {
  for (const line of corpusLines()) check(line);
  const pieces = ['#', '0', '12', ' ', '(', ')', ': ', '): ', '(3): ', '{main}', '[internal function]: ', 'f', '/a.php', '\r', 'x('];
  for (const line of generatedLines(9, 30000, ['#0 ', '#12 ', '#', ''], pieces, 8)) check(line);
});
