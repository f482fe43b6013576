import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  parseAnyAccess,
  parseBottleAccess,
  parseGoLogAccess,
  parseMorganAccess,
  parseNginxAccess,
  parsePhpFpmAccess,
  parseRackAccess,
} from '../../../../collector/src/logs/stages/access/index.ts';
import type { AccessRecord } from '../../../../collector/src/logs/types.ts';

const dir = join(import.meta.dirname, '..', '..', '..', '..', 'testdata', 'access-logs');
const read = (name: string): string[] => readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l !== '');

type Parser = (text: string) => AccessRecord | null;
const parsers: Record<string, Parser> = {
  bottle: parseBottleAccess,
  morgan: parseMorganAccess,
  golog: parseGoLogAccess,
  rack: parseRackAccess,
  nginx: parseNginxAccess,
};

/** A request line anywhere in the line, read by a plain regex: the oracle the parsers are checked against. */
const REQUEST = /"([A-Z]+) (\S+)(?: HTTP\/[\d.]+)?" (\d{3})\b/;

// Each capture: the parser for its runtime, and what an access line in it looks like.
const captures: { file: string; parser: string; isAccess: (l: string) => boolean }[] = [
  { file: 'python-logs.txt', parser: 'bottle', isAccess: (l) => REQUEST.test(l) },
  { file: 'python-stdout.txt', parser: 'bottle', isAccess: (l) => REQUEST.test(l) },
  { file: 'python-stderr.txt', parser: 'bottle', isAccess: (l) => REQUEST.test(l) },
  { file: 'python38-logs.txt', parser: 'bottle', isAccess: (l) => REQUEST.test(l) },
  { file: 'nodejs-logs.txt', parser: 'morgan', isAccess: (l) => REQUEST.test(l) },
  { file: 'nodejs-stdout.txt', parser: 'morgan', isAccess: (l) => REQUEST.test(l) },
  { file: 'nodejs-stderr.txt', parser: 'morgan', isAccess: (l) => REQUEST.test(l) },
  { file: 'go-logs.txt', parser: 'golog', isAccess: (l) => REQUEST.test(l) },
  { file: 'go-panic-logs.txt', parser: 'golog', isAccess: (l) => REQUEST.test(l) },
  { file: 'ruby-sinatra-webrick-stderr.txt', parser: 'rack', isAccess: (l) => REQUEST.test(l) },
  { file: 'ruby-sinatra-webrick-stdout.txt', parser: 'rack', isAccess: (l) => REQUEST.test(l) },
  { file: 'nginx-combined-stdout.txt', parser: 'nginx', isAccess: (l) => REQUEST.test(l) },
  // nginx's error log quotes the request line too, but is not an access log
  { file: 'nginx-error-stderr.txt', parser: 'nginx', isAccess: () => false },
  { file: 'php-fpm-stderr.txt', parser: 'nginx', isAccess: (l) => REQUEST.test(l) },
];

test('every access line of every real capture is read by its runtime parser and by the all-formats one', () => {
  for (const c of captures) {
    let n = 0;
    for (const line of read(c.file)) {
      const got = parsers[c.parser]!(line);
      const any = parseAnyAccess(line);
      if (!c.isAccess(line)) {
        assert.equal(got, null, `${c.file}: ${line}`);
        assert.equal(any, null, `${c.file} (any): ${line}`);
        continue;
      }
      n++;
      const m = REQUEST.exec(line)!;
      assert.ok(got !== null, `${c.file}: ${line}`);
      assert.deepEqual([got.method, got.path, got.status], [m[1], m[2], Number(m[3])], `${c.file}: ${line}`);
      assert.deepEqual(any, got, `${c.file} (any): ${line}`);
    }
    assert.equal(n > 0, !['nodejs-stderr.txt', 'nginx-error-stderr.txt', 'ruby-sinatra-webrick-stdout.txt'].includes(c.file), `${c.file}: ${n} access lines`);
  }
});

test('parsed fields of one line of each format', () => {
  const cases: [string, Parser, Partial<AccessRecord>][] = [
    [
      '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "POST / HTTP/1.1" 500 742 "" "curl/7.88.1" 0/11745',
      parseBottleAccess,
      { format: 'bottle', method: 'POST', path: '/', status: 500, bytes: 742, userAgent: 'curl/7.88.1', durationSeconds: 0.011745, counted: true },
    ],
    [
      '127.0.0.1 - - [22/Nov/2026:01:30:21 +0000] "POST / HTTP/1.1" 408 746 "" "curl/7.88.1" 3/4227',
      parseBottleAccess,
      { status: 408, durationSeconds: 3.004227, counted: true },
    ],
    [
      'INFO:requestlogger:127.0.0.1 - - [22/Nov/2026:01:30:21 +0000] "POST / HTTP/1.1" 408 746 "" "curl/7.88.1" 3/4227',
      parseBottleAccess,
      { format: 'bottle', status: 408, durationSeconds: 3.004227, counted: false },
    ],
    [
      '::ffff:127.0.0.1 - - [22/Nov/2026:01:30:36 +0000] "GET /some/path?x=1 HTTP/1.1" 200 - "-" "curl/7.88.1"',
      parseMorganAccess,
      { format: 'combined', method: 'GET', path: '/some/path?x=1', status: 200, bytes: undefined, userAgent: 'curl/7.88.1', durationSeconds: undefined },
    ],
    [
      '2026/11/22 01:30:58 127.0.0.1:57566 "POST / HTTP/1.1" 408 curl/7.88.1',
      parseGoLogAccess,
      { format: 'go-log', method: 'POST', path: '/', status: 408, userAgent: 'curl/7.88.1', bytes: undefined, counted: true },
    ],
    [
      '2026/11/22 01:30:58.123456 [::1]:57566 "GET /x HTTP/1.1" 200 ',
      parseGoLogAccess,
      { method: 'GET', path: '/x', status: 200, userAgent: undefined },
    ],
    [
      '127.0.0.1 - - [22/Nov/2026:02:38:05 +0000] "POST / HTTP/1.1" 200 11 2.0007',
      parseRackAccess,
      { format: 'rack', status: 200, bytes: 11, durationSeconds: 2.0007, counted: true },
    ],
    [
      '127.0.0.1 - - [22/Nov/2026:02:38:05 +0000] "GET / HTTP/1.1" 200 - 0.0005 ',
      parseRackAccess,
      { format: 'rack', bytes: undefined, durationSeconds: 0.0005 },
    ],
    [
      '127.0.0.1 - - [22/Nov/2026:02:38:03 UTC] "GET /some/path?x=1 HTTP/1.1" 404 18',
      parseRackAccess,
      { format: 'webrick', status: 404, path: '/some/path?x=1', counted: false, durationSeconds: undefined },
    ],
    [
      '127.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET /index.php HTTP/1.1" 200 21 "http://example.test/ref?a=b" "Mozilla/5.0 (X11; Linux x86_64) \\x22quoted\\x22"',
      parseNginxAccess,
      { format: 'combined', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) \\x22quoted\\x22', bytes: 21 },
    ],
    [
      '10.0.0.1 - alice [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/2.0" 503 0 "-" "-" 0.012',
      parseNginxAccess,
      { format: 'combined', status: 503, bytes: 0, userAgent: '-', durationSeconds: 0.012 },
    ],
    ['10.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.0" 301 169', parseNginxAccess, { format: 'common', status: 301 }],
    ['- -  22/Nov/2026:02:38:33 +0000 "POST /index.php" 500', parsePhpFpmAccess, { format: 'php-fpm', method: 'POST', path: '/index.php', status: 500, counted: false }],
    ['127.0.0.1 - bob 22/Nov/2026:02:38:33 +0000 "GET /index.php" 200', parseNginxAccess, { format: 'php-fpm', status: 200 }],
  ];
  for (const [line, parse, want] of cases) {
    const got = parse(line);
    assert.ok(got !== null, line);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof AccessRecord], v, `${k} of ${line}`);
  }
});

test('lines that are not access lines, or not of that parser, are rejected', () => {
  const notAccess = [
    '',
    'hello called with data=b\'\'',
    'Traceback (most recent call last):',
    '  File "/_kubeless.py", line 121, in handler',
    'ERROR:root:Function returned an exception: \'missing\'',
    'INFO:requestlogger:something else entirely that is long enough',
    '2026/11/22 01:30:59 Request timeout. Forcing exit',
    '2026/11/22 01:30:54 OK',
    '- -> /healthz',
    '{"level":"info","msg":"GET / HTTP/1.1 200","status":200}',
    '    at next (/kubeless_rt/node_modules/express/lib/router/route.js:149:13)',
    '2026/11/22 02:38:25 [crit] 16104#16104: *1 connect() failed, request: "GET /healthz HTTP/1.1", upstream: "x"',
    '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "GET / HTTP/1.1" 999 2',
    '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "get / HTTP/1.1" 200 2',
    '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "-" 400 0 "-" "-"',
    '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "GET / HTTP/1.1" 200 2 trailing words',
    '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "GET / HTTP/1.1" 200 abc',
    `127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "GET /${'a'.repeat(9000)} HTTP/1.1" 200 2`,
  ];
  for (const line of notAccess) {
    for (const [name, parse] of Object.entries({ ...parsers, any: parseAnyAccess, fpm: parsePhpFpmAccess })) {
      assert.equal(parse(line), null, `${name}: ${line.slice(0, 120)}`);
    }
  }
  // each runtime's parser rejects the other runtimes' formats
  const samples: Record<string, string> = {
    bottle: '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "GET / HTTP/1.1" 200 11 "" "curl/7.88.1" 0/12257',
    morgan: '::ffff:127.0.0.1 - - [22/Nov/2026:01:30:36 +0000] "GET / HTTP/1.1" 200 - "-" "curl/7.88.1"',
    golog: '2026/11/22 01:30:54 127.0.0.1:57526 "GET / HTTP/1.1" 200 curl/7.88.1',
    rack: '127.0.0.1 - - [22/Nov/2026:02:38:03 +0000] "GET / HTTP/1.1" 200 11 0.0003',
  };
  for (const [name, parse] of Object.entries(parsers)) {
    for (const [format, line] of Object.entries(samples)) {
      const accepts = format === name || (name === 'nginx' && format === 'morgan');
      assert.equal(parse(line) !== null, accepts, `${name} on ${format}`);
    }
  }
});

test('numbers read in place, the date found from its "[", the python copy told from other INFO lines', () => {
  const cases: [string, Parser, Partial<AccessRecord> | null][] = [
    // sizes and durations up to 15 digits are read digit by digit, longer ones as Number() reads them
    ['127.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 0 "-" "-"', parseNginxAccess, { bytes: 0 }],
    ['127.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 007 "-" "-"', parseNginxAccess, { bytes: 7 }],
    ['127.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 999999999999999 "-" "-"', parseNginxAccess, { bytes: 999999999999999 }],
    ['127.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 12345678901234567890 "-" "-"', parseNginxAccess, { bytes: 12345678901234567000 }],
    ['127.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 5 "" "ua" 12/000001', parseBottleAccess, { durationSeconds: 12.000001 }],
    ['127.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 5 "" "ua" 0/9999999999999999', parseBottleAccess, { durationSeconds: 1e10 }], // 16 nines: 1e16 as a double
    ['127.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 5 "-" "-" 3', parseNginxAccess, { durationSeconds: 3 }],
    ['127.0.0.1 - - [22/Nov/2026:02:38:05 +0000] "GET / HTTP/1.1" 200 11 12', parseRackAccess, { format: 'rack', durationSeconds: 12 }],
    // a '[' inside the user field, before the date's " ["
    ['10.0.0.1 - a[b] [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 1 "-" "-"', parseNginxAccess, { method: 'GET', path: '/a', bytes: 1 }],
    ['10.0.0.1 - a[b][22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 1 "-" "-"', parseNginxAccess, null],
    [`10.0.0.1 - ${'u'.repeat(260)}[x] [22/Nov/2026:02:38:34 +0000] "GET /a HTTP/1.1" 200 1 "-" "-"`, parseNginxAccess, null],
    ['[::1] - - [22/Nov/2026:02:38:34 +0000] "GET /v6 HTTP/1.1" 200 1 "-" "-"', parseNginxAccess, { path: '/v6' }],
    ['no date here at all, just words and more words', parseNginxAccess, null],
    // the method: 1-20 of A-Z, '-' and '_', then a space
    ['10.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "ABCDEFGHIJKLMNOPQRST /a HTTP/1.1" 200 1 "-" "-"', parseNginxAccess, { method: 'ABCDEFGHIJKLMNOPQRST' }],
    ['10.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "ABCDEFGHIJKLMNOPQRSTU /a HTTP/1.1" 200 1 "-" "-"', parseNginxAccess, null],
    ['10.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "M-SEARCH * HTTP/1.1" 200 1 "-" "-"', parseNginxAccess, { method: 'M-SEARCH', path: '*' }],
    ['10.0.0.1 - - [22/Nov/2026:02:38:34 +0000] " /a HTTP/1.1" 200 1 "-" "-"', parseNginxAccess, null],
    ['10.0.0.1 - - [22/Nov/2026:02:38:34 +0000] "GET" 200 1 "-" "-"', parseNginxAccess, null],
    ['2026/11/22 01:30:58 127.0.0.1:57566 "PO ST / HTTP/1.1" 408 curl/7.88.1', parseGoLogAccess, { method: 'PO', path: 'ST /' }],
    // the copy python prints to stderr, and INFO lines that are not it
    ['INFO:requestlogger:127.0.0.1 - - [22/Nov/2026:01:30:21 +0000] "POST / HTTP/1.1" 408 746 "" "curl/7.88.1" 3/4227', parseAnyAccess, { format: 'bottle', counted: false }],
    ['INFO:root:127.0.0.1 - - [22/Nov/2026:01:30:21 +0000] "POST / HTTP/1.1" 408 746 "" "curl/7.88.1" 3/4227', parseBottleAccess, null],
    ['INFO:requestloggeR127.0.0.1 - - [22/Nov/2026:01:30:21 +0000] "POST / HTTP/1.1" 408 746 "" "curl/7.88.1" 3/4227', parseBottleAccess, null],
    ['INFO  127.0.0.1 - - [22/Nov/2026:01:30:21 +0000] "POST / HTTP/1.1" 408 746 "" "curl/7.88.1" 3/4227', parseAnyAccess, null],
  ];
  for (const [line, parse, want] of cases) {
    const got = parse(line);
    if (want === null) {
      assert.equal(got, null, line);
      continue;
    }
    assert.ok(got !== null, line);
    for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k as keyof AccessRecord], v, `${k} of ${line}`);
  }
});
