import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PythonTraceParser, pythonInApp } from '../../../collector/src/stacktrace/languages/python.ts';
import type { StartKind } from '../../../collector/src/stacktrace/types.ts';
import { goldenTests } from './golden.ts';
import { corpusTexts } from './lang-corpus.ts';

const p = new PythonTraceParser();

const starts: Array<[string, StartKind]> = [
  ['Traceback (most recent call last):', 'start'],
  ['  + Exception Group Traceback (most recent call last):', 'start'],
  ['  File "/tmp/app/bad_syntax.py", line 3', 'candidate'],
  ['  File "/tmp/app/x.py", line 3, in <module>', 'no'],
  ["KeyError: 'missing'", 'no'],
  ["ERROR:root:Function returned an exception: 'missing'", 'no'],
  ['Traceback collection is disabled', 'no'],
  ['', 'no'],
];
for (const [line, want] of starts) {
  test(`python startKind(${JSON.stringify(line)}) is ${want}`, () => assert.equal(p.startKind(line), want));
}

const continuation: Array<{ block: string[]; line: string; want: boolean }> = [
  { block: ['Traceback (most recent call last):'], line: '  File "/a.py", line 1, in <module>', want: true },
  { block: ['Traceback (most recent call last):'], line: 'KeyError: 1', want: false },
  { block: ['Traceback (most recent call last):', '  File "/a.py", line 1, in <module>'], line: '    f()', want: true },
  { block: ['Traceback (most recent call last):', '  File "/a.py", line 1, in <module>', '    f()'], line: '    ~^^', want: true },
  { block: ['Traceback (most recent call last):', '  File "/a.py", line 1, in <module>', '    f()'], line: 'KeyError: 1', want: true },
  { block: ['Traceback (most recent call last):', '  File "/a.py", line 1, in f', '    f()'], line: '  [Previous line repeated 996 more times]', want: true },
  { block: ['Traceback (most recent call last):', '  File "/a.py", line 1, in <module>', '    f()', 'KeyError: 1'], line: '', want: true },
  { block: ['Traceback (most recent call last):', '  File "/a.py", line 1, in <module>', '    f()', 'KeyError: 1'], line: 'INFO:x:next', want: false },
  {
    block: ['Traceback (most recent call last):', '  File "/a.py", line 1, in <module>', '    f()', 'KeyError: 1', ''],
    line: 'The above exception was the direct cause of the following exception:',
    want: true,
  },
  { block: ['Traceback (most recent call last):', '  File "/a.py", line 1, in <module>', '    f()', 'KeyError: 1', ''], line: 'hello', want: false },
  { block: ['  + Exception Group Traceback (most recent call last):'], line: '  |   File "/a.py", line 1, in <module>', want: true },
  { block: ['  + Exception Group Traceback (most recent call last):', '  | ExceptionGroup: x (1 sub-exception)'], line: 'done', want: false },
];
for (const c of continuation) {
  test(`python continues(…${JSON.stringify(c.block.at(-1))}) with ${JSON.stringify(c.line)} is ${c.want}`, () => {
    assert.equal(p.continues(c.block, c.line), c.want);
  });
}

const inApp: Array<[string, boolean]> = [
  ['/tmp/app/handler.py', true],
  ['<string>', true],
  ['/usr/lib/python3/dist-packages/bottle.py', false],
  ['/usr/local/lib/python3.8/site-packages/requests/api.py', false],
  ['/root/.pyenv/versions/3.13.0/lib/python3.13/json/decoder.py', false],
  ['/_kubeless.py', false],
  ['<frozen importlib._bootstrap>', false],
];
for (const [file, want] of inApp) test(`pythonInApp(${file}) is ${want}`, () => assert.equal(pythonInApp(file), want));

test('python parse: a chain keeps the last exception as primary and the others as causes, nearest first', () => {
  const t = p.parse([
    'Traceback (most recent call last):',
    '  File "/a.py", line 3, in load',
    '    return int(s)',
    "ValueError: invalid literal for int() with base 10: 'x'",
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    '  File "/a.py", line 9, in main',
    '    load(s)',
    '  File "/a.py", line 5, in load',
    '    raise ConfigError("bad") from e',
    'ConfigError: bad',
  ]);
  assert.equal(t?.type, 'ConfigError');
  assert.deepEqual(t?.frames.map((f) => `${f.function}:${f.line}`), ['load:5', 'main:9']);
  assert.deepEqual(t?.causes, [{ type: 'ValueError', message: "invalid literal for int() with base 10: 'x'" }]);
});

goldenTests('python');

/** pythonInApp() as it was (two includes() and a regex): the reference for its single regex. */
function referenceInApp(file: string): boolean {
  if (file.includes('/site-packages/') || file.includes('/dist-packages/')) return false;
  if (/\/lib\/python\d/.test(file) || file.startsWith('<frozen ')) return false;
  return !(file === '/_kubeless.py' || file.endsWith('/_kubeless.py') || file.endsWith('/kubeless.py'));
}

test('pythonInApp agrees with the reference on edge paths and every frame path of the corpus', () => {
  const files = new Set([
    '', '/site-packages/', 'site-packages/', '/x/site-packages', '/dist-packages/x', '/lib/python3', '/lib/python', '/lib/pythonX/',
    '/usr/lib/python3.11/json/x.py', '<frozen os>', '<frozen', '/_kubeless.py', '/app/kubeless.py', 'kubeless.py', '/a/b.py',
  ]);
  for (const text of corpusTexts()) for (const m of text.matchAll(/File "([^"]*)"/g)) files.add(m[1]!);
  for (const file of files) assert.equal(pythonInApp(file), referenceInApp(file), file);
});
