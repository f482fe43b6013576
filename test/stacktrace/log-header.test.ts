import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLogHeader } from '../../collector/src/stacktrace/log-header.ts';

const cases: Array<[string, boolean]> = [
  ["ERROR:root:Function returned an exception: 'missing'", true],
  ['CRITICAL:orders:giving up', true],
  ['WARNING:billing.worker:finished with errors', true],
  ['SEVERE: charge failed', true],
  ['2026-11-22 02:41:07,546 ERROR [payments] charge failed for card {}', true],
  ['02:41:56.325 [main] ERROR com.example.shop.Slf4jLogging - request 17 failed', true],
  ['2026-11-22T02:41:57,331 ERROR [main] c.e.s.Log4jLogging - save failed', true],
  ['[02:54:20.641] [main] FATAL org.acme.billing.Log4jSuppressed - export aborted', true],
  ['02:41:56.325 [main] WARN com.example.shop.Slf4jLogging - retrying', true],
  ['INFO:orders:processing batch', false],
  ['02:41:56.319 [main] INFO com.example.shop.Slf4jLogging - request 17 started', false],
  ['127.0.0.1 - - [22/Nov/2026:01:30:24 +0000] "POST / HTTP/1.1" 500 742 "" "curl/7.88.1" 0/13493', false],
  ['2026/11/22 01:30:04 127.0.0.1:34304 "POST / HTTP/1.1" 500 curl/7.88.1', false],
  ['Errors are counted per function', false],
  ['2026-11-22 10:00:00 TERRORIST_MODE off', false],
  ['', false],
  // each level prefix by its first letter, and near misses
  ['EXCEPTION: unhandled', true],
  ['FATAL: out of memory', true],
  ['ERROR:', true],
  ['ERROR', false],
  ['ERRORS: 3', false],
  ['EXCEPTIONS: 0', false],
  ['WARN: low disk', false],
  ['CRITICAL', false],
  ['SEVERE failed', false],
  ['Fatal: x', false],
  ['error: x', false],
];
for (const [line, want] of cases) {
  test(`isLogHeader(${JSON.stringify(line.slice(0, 60))}) is ${want}`, () => assert.equal(isLogHeader(line), want));
}
