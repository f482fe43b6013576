import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCriLine } from '../../collector/src/stacktrace/cri-line.ts';

const cases: Array<[string, ReturnType<typeof parseCriLine>]> = [
  ['2026-11-22T02:43:06.048264424Z stdout P 127.0.0.1 - - "POST /', { stream: 'stdout', partial: true, text: '127.0.0.1 - - "POST /' }],
  ['2026-11-22T02:43:06.048802238Z stderr F KeyError: \'name\'', { stream: 'stderr', partial: false, text: "KeyError: 'name'" }],
  ['2026-11-22T02:43:06.048802238+01:00 stdout F   File "x.py", line 3', { stream: 'stdout', partial: false, text: '  File "x.py", line 3' }],
  ['2026-11-22T02:43:06.048802238Z stdout F ', { stream: 'stdout', partial: false, text: '' }],
  ['2026-11-22T02:43:06.048802238Z stdout F', { stream: 'stdout', partial: false, text: '' }],
  ['2026-11-22T02:43:06.048802238Z stdin F text', null],
  ['2026-11-22T02:43:06.048802238Z stdout X text', null],
  ['2026-11-22 02:41:07,546 ERROR [payments] charge failed', null],
  ['2026/11/22 01:30:04 127.0.0.1:34304 "POST / HTTP/1.1" 500 curl/7.88.1', null],
  ['Traceback (most recent call last):', null],
];
for (const [line, want] of cases) {
  test(`parseCriLine(${JSON.stringify(line.slice(0, 50))})`, () => assert.deepEqual(parseCriLine(line), want));
}
