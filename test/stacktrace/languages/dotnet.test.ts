import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DotnetTraceParser } from '../../../collector/src/stacktrace/languages/dotnet.ts';
import type { StartKind } from '../../../collector/src/stacktrace/types.ts';
import { corpusTests } from './lang-corpus.ts';

const parser = new DotnetTraceParser();
corpusTests('dotnet', parser, 10);

const kinds: [string, StartKind][] = [
  ['Unhandled exception. System.InvalidOperationException: cannot reserve kiwi', 'start'],
  ['Unhandled Exception:', 'start'],
  ['Unhandled Exception: System.InvalidOperationException: x ---> System.Exception: y', 'start'],
  ['[ERROR] FATAL UNHANDLED EXCEPTION: System.NullReferenceException: Object reference not set', 'start'],
  ['System.AggregateException: One or more errors occurred. (second job)', 'candidate'],
  ['Shop.Orders.OutOfStockException', 'candidate'],
  ['Unhandled exceptions: 0', 'no'],
  ['Unhandled exception. see the log', 'no'],
  ['System.Net.Http.HttpClient: request sent to http://orders/', 'no'],
  ['Microsoft.Hosting.Lifetime: Application started.', 'no'],
  ['Exception: not qualified', 'no'],
  ['  at Fn.Worker.Poll (System.Object state) [0x00003] in /src/ThreadCrash.cs:10 ', 'no'],
  ['--- End of stack trace from previous location ---', 'no'],
  ['', 'no'],
];
for (const [line, kind] of kinds) {
  test(`dotnet startKind ${kind}: ${JSON.stringify(line).slice(0, 70)}`, () => {
    assert.equal(parser.startKind(line), kind);
  });
}

test('frame lines: .NET and Mono, but not prose, Node.js or Java', () => {
  const block = ['System.InvalidOperationException: x'];
  for (const line of [
    '   at Shop.Orders.Repo.Find(String sku) in /src/Orders.cs:line 9',
    '  at Shop.Orders.Repo.Find (System.String sku) [0x00001] in <f4c5ccadb4214554a60c740c977513f0>:0 ',
    '  at (wrapper managed-to-native) System.Reflection.RuntimeMethodInfo.InternalInvoke(object)',
  ]) {
    assert.equal(parser.continues(block, line), true, line);
  }
  for (const line of ['  at the end of the day, all is well', '    at f (/app/x.js:1:2)', '\tat com.acme.Main.run(Main.java:12)']) {
    assert.equal(parser.continues(block, line), false, line);
  }
});

test('a Java exception header is a candidate that Java frames do not confirm', () => {
  const head = 'java.lang.IllegalStateException: boom';
  assert.equal(parser.startKind(head), 'candidate');
  assert.equal(parser.continues([head], '\tat com.acme.Main.run(Main.java:12)'), false);
  assert.equal(parser.continues([head], '    at com.acme.Main.run(Main.java:12)'), false);
});

test('Mono frames: the MVID is no file, line 0 is no line, wrappers are not in-app', () => {
  const t = parser.parse([
    'System.InvalidOperationException: x',
    '  at (wrapper managed-to-native) System.Reflection.RuntimeMethodInfo.InternalInvoke(object)',
    '  at Shop.Orders.Repo.Find (System.String sku) [0x00001] in <f4c5ccadb4214554a60c740c977513f0>:0 ',
    '  at Shop.Orders.Repo.Load (System.String sku) [0x00008] in /src/Orders.cs:12 ',
    '   at Shop.Orders.Api.Get(String sku) in /src/Api.cs:line 30',
  ]);
  assert.deepEqual(t?.frames, [
    { file: '', line: null, function: 'System.Reflection.RuntimeMethodInfo.InternalInvoke', inApp: false },
    { file: '', line: null, function: 'Shop.Orders.Repo.Find', inApp: true },
    { file: '/src/Orders.cs', line: 12, function: 'Shop.Orders.Repo.Load', inApp: true },
    { file: '/src/Api.cs', line: 30, function: 'Shop.Orders.Api.Get', inApp: true },
  ]);
});

test("Mono's second copy of a report belongs to the first", () => {
  const block = ['Unhandled Exception:', 'System.Exception: x', '  at A.B.C () [0x0] in /a.cs:1 '];
  assert.equal(parser.continues(block, '[ERROR] FATAL UNHANDLED EXCEPTION: System.Exception: x'), true);
  const twice = [...block, '[ERROR] FATAL UNHANDLED EXCEPTION: System.Exception: x', '  at A.B.C () [0x0] in /a.cs:1 '];
  assert.equal(parser.continues(twice, '[ERROR] FATAL UNHANDLED EXCEPTION: System.Exception: y'), false);
  assert.equal(parser.parse(twice)?.frames.length, 1);
});
