import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodejsTraceParser, nodejsInApp } from '../../../collector/src/stacktrace/languages/nodejs.ts';
import type { StartKind } from '../../../collector/src/stacktrace/types.ts';
import { goldenTests } from './golden.ts';

const p = new NodejsTraceParser();

const starts: Array<[string, StartKind]> = [
  ["Function failed to execute: TypeError: Cannot read properties of undefined (reading 'value')", 'start'],
  ['Function failed to execute: is printed by kubeless on errors', 'no'],
  ["TypeError: Cannot read properties of null (reading 'f')", 'candidate'],
  ['Error [ERR_MODULE_NOT_FOUND]: Cannot find module', 'candidate'],
  ['Error', 'candidate'],
  ['[AggregateError: All promises were rejected] {', 'candidate'],
  ["request failed: TypeError: Cannot read properties of null (reading 'f')", 'candidate'],
  ['/tmp/app/lib/orders.js:3', 'candidate'],
  ['node:internal/process/promises:391', 'candidate'],
  ['file:///tmp/app/esm.mjs:6', 'candidate'],
  ['<anonymous_script>:1', 'candidate'],
  ['SEVERE: charge failed', 'no'],
  ['WARNING: at 10:00 the cache is flushed', 'no'],
  ['[Error: bracketed] is a way node prints errors', 'no'],
  ['    at lineTotal (/tmp/app/lib/orders.js:3:21)', 'no'],
  ['(node:20492) CapacityWarning: queue is 90% full', 'no'],
  ['./main.go:6:7: undefined: undefinedThing', 'no'],
  ['hello called with data={}', 'no'],
];
for (const [line, want] of starts) {
  test(`nodejs startKind(${JSON.stringify(line.slice(0, 60))}) is ${want}`, () => assert.equal(p.startKind(line), want));
}

const continuation: Array<{ block: string[]; line: string; want: boolean }> = [
  { block: ['Error: boom'], line: '    at f (/srv/a.js:1:2)', want: true },
  { block: ['Error: boom'], line: '    at /srv/a.js:1:2', want: true },
  { block: ['Error: boom'], line: '    at async Promise.all (index 0)', want: true },
  { block: ['Error: boom'], line: '    at Array.map (<anonymous>)', want: true },
  { block: ['Error: disk almost full'], line: '    at 95% capacity on /var', want: false },
  { block: ['Error: boom'], line: '    at the end of the day everything is fine', want: false },
  { block: ['Error: boom'], line: '\tat com.example.App.main(App.java:3)', want: false },
  { block: ['Error: boom', '    at f (/srv/a.js:1:2) {'], line: "  code: 'ERR_X'", want: true },
  { block: ['Error: boom', '    at f (/srv/a.js:1:2) {', "  code: 'ERR_X'"], line: '}', want: true },
  { block: ['Error: boom', '    at f (/srv/a.js:1:2) {', "  code: 'ERR_X'", '}'], line: 'next request', want: false },
  { block: ['Error: boom', '    at f (/srv/a.js:1:2)'], line: '', want: true },
  { block: ['Error: boom', '    at f (/srv/a.js:1:2)', ''], line: 'Node.js v24.21.0', want: true },
  { block: ['Error: boom', '    at f (/srv/a.js:1:2)', ''], line: 'something else', want: false },
  { block: ['Error: boom', '    at f (/srv/a.js:1:2)'], line: "request failed: TypeError: x", want: false },
];
for (const c of continuation) {
  test(`nodejs continues(…${JSON.stringify(c.block.at(-1))}) with ${JSON.stringify(c.line)} is ${c.want}`, () => {
    assert.equal(p.continues(c.block, c.line), c.want);
  });
}

const inApp: Array<[string, boolean]> = [
  ['/kubeless/handler.js', true],
  ['file:///srv/app/main.mjs', true],
  ['/kubeless_rt/kubeless.js', false],
  ['/kubeless_rt/node_modules/express/lib/router/layer.js', false],
  ['/srv/app/node_modules/tiny-db/index.js', false],
  ['node:internal/modules/cjs/loader', false],
  ['node:vm', false],
  ['<anonymous>', false],
];
for (const [file, want] of inApp) test(`nodejsInApp(${file}) is ${want}`, () => assert.equal(nodejsInApp(file), want));

goldenTests('nodejs');
