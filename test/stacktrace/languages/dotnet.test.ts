import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DotnetTraceParser } from '../../../collector/src/stacktrace/languages/dotnet.ts';
import type { StartKind } from '../../../collector/src/stacktrace/types.ts';
import { corpusTests } from './lang-corpus.ts';

const parser = new DotnetTraceParser();
corpusTests('dotnet', parser, 10);

const kinds: [string, StartKind][] = [
  ['Unhandled exception. System.InvalidOperationException: cannot reserve kiwi', 'start'],
  ['Unhandled exception. Microsoft.Data.SqlClient.SqlException (0x80131904): Must declare the scalar variable "@Day".', 'start'],
  ['System.Exception: Application Exception', 'candidate'],
  ['      System.InvalidOperationException: An asynchronous operation is already in progress.', 'candidate'],
  ['      An unhandled exception has occurred while executing the request.', 'no'],
  ['      Exception thrown, see above', 'no'],
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

test('frames of compiled expressions count; their method is no app code', () => {
  const block = ['System.NullReferenceException: x', '   at Shop.Api.Load() in /src/Api.cs:line 79'];
  assert.equal(parser.continues(block, '   at lambda_method(Closure , Object , Object[] )'), true);
  assert.equal(parser.continues(block, '   at lambda_method3(Closure, Object, HttpContext)'), true);
  const t = parser.parse([...block, '   at lambda_method(Closure , Object , Object[] )']);
  assert.deepEqual(t?.frames.map((f) => [f.function, f.inApp]), [['Shop.Api.Load', true], ['lambda_method', false]]);
});

test("an exception's error code is not part of its type", () => {
  const t = parser.parse([
    'Unhandled exception. System.Net.Http.HttpRequestException: Connection refused (db:5432)',
    ' ---> System.Net.Sockets.SocketException (111): Connection refused',
    '   at System.Net.Sockets.Socket.Connect(EndPoint remoteEP)',
  ]);
  assert.deepEqual(t?.causes, [{ type: 'System.Net.Sockets.SocketException', message: 'Connection refused' }]);
});

test("SqlException's trailer lines follow its frames, not its message", () => {
  const head = 'Unhandled exception. Microsoft.Data.SqlClient.SqlException (0x80131904): Invalid object name.';
  const trailer = 'ClientConnectionId:ec73ab70-9fad-463c-baff-08c282fe4692';
  assert.equal(parser.continues([head, '   at Program.Main() in /src/Program.cs:line 3'], trailer), true);
  assert.equal(parser.continues([head, '   at Program.Main() in /src/Program.cs:line 3', trailer], 'Error Number:208,State:1,Class:16'), true);
  assert.equal(parser.continues([head, '   at Program.Main() in /src/Program.cs:line 3'], 'ClientConnectionId: none'), false);
});

test('a logger-indented exception keeps its indentation to the end', () => {
  const block = ['      System.Exception: boom', '         at Shop.Api.Get() in /src/Api.cs:line 9'];
  assert.equal(parser.continues(block, '      --- End of stack trace from previous location ---'), true);
  assert.equal(parser.continues(block, '         at Shop.Api.Run() in /src/Api.cs:line 12'), true);
  assert.equal(parser.continues(block, '   at Shop.Api.Run() in /src/Api.cs:line 12'), false);
  assert.equal(parser.continues(block, 'warn: Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware[4]'), false);
  assert.deepEqual(parser.parse(block)?.frames, [{ file: '/src/Api.cs', line: 9, function: 'Shop.Api.Get', inApp: true }]);
});

test('printed unhandled, AggregateException listings without "<---" stay in the block', () => {
  const block = [
    'Unhandled exception. System.AggregateException: One or more errors occurred. (a) (b)',
    ' ---> System.Exception: a',
    '   --- End of inner exception stack trace ---',
    '   at Program.Main()',
    ' ---> (Inner Exception #1) System.Exception: b',
    '   at Program.B()',
  ];
  assert.equal(parser.continues(block, ''), true);
  assert.equal(parser.continues(block.slice(0, 4), ''), false);
  assert.equal(parser.parse(block)?.causes.length, 2);
});
