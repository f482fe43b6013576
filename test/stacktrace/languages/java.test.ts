import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JavaTraceParser, javaInApp } from '../../../collector/src/stacktrace/languages/java.ts';
import type { StartKind } from '../../../collector/src/stacktrace/types.ts';
import { goldenTests } from './golden.ts';
import { corpusTexts } from './lang-corpus.ts';

const p = new JavaTraceParser();

const starts: Array<[string, StartKind]> = [
  ['Exception in thread "main" java.lang.RuntimeException: checkout failed for order 1042', 'start'],
  ['Exception in thread "main" MyException: default package', 'start'],
  ['Exception in thread pool: none, all workers healthy', 'no'],
  ['java.lang.IllegalArgumentException: card number too short: 4', 'candidate'],
  ['com.example.shop.Chain$PaymentException: payment rejected', 'candidate'],
  ['java.lang.UnsupportedOperationException', 'candidate'],
  ['SyntaxError: Unexpected token', 'no'],
  ["KeyError: 'missing'", 'no'],
  ['main.go:12: config: missing FUNC_HANDLER', 'no'],
  ['hello called with data=b\'abc\'', 'no'],
  ['Caused by: java.io.IOException: x', 'no'],
];
for (const [line, want] of starts) {
  test(`java startKind(${JSON.stringify(line.slice(0, 60))}) is ${want}`, () => assert.equal(p.startKind(line), want));
}

const continuation: Array<{ block: string[]; line: string; want: boolean }> = [
  { block: ['java.lang.X: y'], line: '\tat com.a.B.c(B.java:1)', want: true },
  { block: ['java.lang.X: y'], line: '\tat com.a.B.c(Native Method)', want: true },
  { block: ['java.lang.X: y'], line: '\tat com.a.B.c(B.java:1) ~[classes/:?]', want: true },
  { block: ['java.lang.X: y'], line: '    at f (/srv/a.js:1:2)', want: false },
  { block: ['java.lang.X: y'], line: ' - second line of the message', want: true },
  { block: ['java.lang.X: y'], line: 'java.lang.Y: another exception', want: false },
  { block: ['java.lang.X: y', '\tat com.a.B.c(B.java:1)'], line: 'Caused by: java.io.IOException: x', want: true },
  { block: ['java.lang.X: y', '\tat com.a.B.c(B.java:1)'], line: '\tSuppressed: java.io.IOException: x', want: true },
  { block: ['java.lang.X: y', '\tat com.a.B.c(B.java:1)'], line: '\t... 3 more', want: true },
  { block: ['java.lang.X: y', '\tat com.a.B.c(B.java:1)'], line: '\t... 2 common frames omitted', want: true },
  { block: ['java.lang.X: y', '\tat com.a.B.c(B.java:1)'], line: 'Caused by: nothing', want: false },
  { block: ['java.lang.X: y', '\tat com.a.B.c(B.java:1)'], line: '02:41:56.325 [main] INFO c.e.App - done', want: false },
];
for (const c of continuation) {
  test(`java continues(…${JSON.stringify(c.block.at(-1))}) with ${JSON.stringify(c.line)} is ${c.want}`, () => {
    assert.equal(p.continues(c.block, c.line), c.want);
  });
}

const inApp: Array<[string, boolean]> = [
  ['com.example.shop.Checkout.process', true],
  ['io.kubeless.Handler.call', true],
  ['java.lang.Integer.parseInt', false],
  ['jdk.internal.reflect.NativeMethodAccessorImpl.invoke0', false],
  ['org.springframework.web.servlet.FrameworkServlet.service', false],
];
for (const [fn, want] of inApp) test(`javaInApp(${fn}) is ${want}`, () => assert.equal(javaInApp(fn), want));

goldenTests('java');

/** Library prefixes as javaInApp() tested them one by one with startsWith: the reference for its regex. */
const LIBRARY_PREFIXES = [
  'java.', 'javax.', 'jdk.', 'sun.', 'com.sun.', 'kotlin.', 'kotlinx.', 'scala.', 'groovy.', 'org.springframework.',
  'org.apache.', 'io.netty.', 'org.junit.', 'junit.', 'org.slf4j.', 'ch.qos.logback.', 'reactor.', 'io.reactivex.',
  'org.hibernate.', 'com.fasterxml.', 'okhttp3.', 'com.google.', 'io.grpc.', 'org.eclipse.', 'io.micronaut.',
  'io.quarkus.', 'io.vertx.', 'akka.', 'org.glassfish.', 'com.zaxxer.', 'feign.', 'net.bytebuddy.',
];

test('javaInApp agrees with a startsWith test of each library prefix', () => {
  const names = new Set<string>(['', 'java', 'javaX.y', 'javax', 'comXsun.a', 'com.sunny.A', 'Java.lang.X', 'xjava.lang']);
  for (const p of LIBRARY_PREFIXES) {
    names.add(p);
    names.add(`${p}Foo.bar`);
    names.add(p.slice(0, -1));
    names.add(p.replace('.', 'x'));
    names.add(`a.${p}`);
  }
  for (const text of corpusTexts()) for (const m of text.matchAll(/\bat ([^\s(]+)\(/g)) names.add(m[1]!);
  for (const fn of names) assert.equal(javaInApp(fn), !LIBRARY_PREFIXES.some((p) => fn.startsWith(p)), fn);
});
