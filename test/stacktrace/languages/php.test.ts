import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PhpTraceParser } from '../../../collector/src/stacktrace/languages/php.ts';
import type { StartKind } from '../../../collector/src/stacktrace/types.ts';
import { corpusTests } from './lang-corpus.ts';

const parser = new PhpTraceParser();
corpusTests('php', parser, 12);

const kinds: [string, StartKind][] = [
  ['PHP Fatal error:  Uncaught Exception: boom in /var/www/index.php:3', 'start'],
  ['[22-Nov-2026 02:49:05 UTC] PHP Fatal error:  Uncaught InvalidArgumentException: no user "42" in /a.php:9', 'start'],
  ['Fatal error: Uncaught Exception in /a.php:3', 'start'],
  ['<b>Fatal error</b>:  Uncaught RuntimeException: boom in /a.php:2', 'start'],
  ['PHP Fatal error:  Uncaught DomainException: payload rejected:', 'start'],
  ['[Sun Nov 22 02:48:37 2026] PHP Fatal error:  Uncaught App\\Errors\\Failed: x in /a.php:2', 'start'],
  ['Exception: y in Command line code:1', 'candidate'],
  ['App\\Http\\NotFound: no route in /srv/app/src/Router.php:10', 'candidate'],
  ['PHP Fatal error:  Allowed memory size of 16777216 bytes exhausted (tried to allocate 2097152 bytes) in /a.php on line 3', 'no'],
  ['PHP Fatal error:  giving up in /a.php on line 9', 'no'],
  ['PHP Warning:  Undefined array key "missing" in /a.php on line 6', 'no'],
  ['Warning: Undefined variable $x in /a.php on line 21', 'no'],
  ['PHP Parse error:  syntax error, unexpected token "{" in /a.php on line 2', 'no'],
  ['Exception: not really, just a word in a log line', 'no'],
  ['Stack trace:', 'no'],
  ['#0 {main}', 'no'],
  ['[Sun Nov 22 02:48:37 2026] 127.0.0.1:48828 [200]: GET /index.php - Uncaught RuntimeException: boom in /a.php:2', 'no'],
  ['', 'no'],
];
for (const [line, kind] of kinds) {
  test(`php startKind ${kind}: ${JSON.stringify(line).slice(0, 70)}`, () => {
    assert.equal(parser.startKind(line), kind);
  });
}

test('the thrown exception is the primary one and its previous ones are causes, nearest first', () => {
  const t = parser.parse([
    'PHP Fatal error:  Uncaught A: deepest in /a.php:2',
    'Stack trace:',
    '#0 /a.php(5): f()',
    '#1 {main}',
    '',
    'Next B: middle in /a.php:6',
    'Stack trace:',
    '#0 /a.php(9): g()',
    '#1 {main}',
    '',
    'Next C: outer in /a.php:10',
    'Stack trace:',
    '#0 /a.php(12): h()',
    '#1 {main}',
    '  thrown in /a.php on line 10',
  ]);
  assert.equal(t?.type, 'C');
  assert.deepEqual(
    t?.causes.map((c) => c.type),
    ['B', 'A'],
  );
  assert.deepEqual(t?.frames, [
    { file: '/a.php', line: 10, function: 'h', inApp: true },
    { file: '/a.php', line: 12, function: '{main}', inApp: true },
  ]);
});

test('the report ends with its "thrown in" line; a blank line continues only towards "Next"', () => {
  const block = ['PHP Fatal error:  Uncaught E: x in /a.php:2', 'Stack trace:', '#0 {main}'];
  assert.equal(parser.continues(block, '  thrown in /a.php on line 2'), true);
  assert.equal(parser.continues([...block, '  thrown in /a.php on line 2'], 'Stack trace:'), false);
  assert.equal(parser.continues([...block, ''], 'PHP Warning:  something'), false);
  assert.equal(parser.continues([...block, ''], 'Next F: y in /a.php:3'), true);
});

test('an application line that only looks like __toString() text is not confirmed', () => {
  assert.equal(parser.startKind('RuntimeException: in a sentence in /tmp/x.php:3'), 'candidate');
  assert.equal(parser.continues(['RuntimeException: in a sentence in /tmp/x.php:3'], 'PHP Fatal error:  giving up'), false);
});
