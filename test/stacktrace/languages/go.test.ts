import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoTraceParser, goInApp } from '../../../collector/src/stacktrace/languages/go.ts';
import type { StartKind } from '../../../collector/src/stacktrace/types.ts';
import { goldenTests } from './golden.ts';
import { corpusTexts } from './lang-corpus.ts';

const p = new GoTraceParser();

const starts: Array<[string, StartKind]> = [
  ['panic: assignment to entry in nil map', 'start'],
  ['fatal error: all goroutines are asleep - deadlock!', 'start'],
  ['2026/11/22 02:42:15 http: panic serving 127.0.0.1:59628: runtime error: invalid memory address', 'start'],
  ['2026/11/22 02:54:21.560926 http: panic serving 127.0.0.1:33640: missing invoice id', 'start'],
  ['http: panic serving 127.0.0.1:1: boom', 'start'],
  ['2026/11/22 02:42:15 main.go:11: panic: this is only a message about a panic, not one', 'no'],
  ['2026/11/22 01:30:04 127.0.0.1:34304 "POST / HTTP/1.1" 500 curl/7.88.1', 'no'],
  ['goroutine 7 finished', 'no'],
  ['panicked: no', 'no'],
];
for (const [line, want] of starts) {
  test(`go startKind(${JSON.stringify(line.slice(0, 60))}) is ${want}`, () => assert.equal(p.startKind(line), want));
}

const panicBlock = ['panic: boom', '', 'goroutine 1 [running]:', 'main.main()', '\t/app/main.go:5 +0x1d'];
const continuation: Array<{ block: string[]; line: string; want: boolean }> = [
  { block: ['panic: boom'], line: '', want: true },
  { block: ['panic: boom [recovered]'], line: '\tpanic: boom', want: true },
  { block: ['panic: boom'], line: '[signal SIGSEGV: segmentation violation code=0x1 addr=0x10 pc=0x481056]', want: true },
  { block: ['panic: boom', ''], line: 'goroutine 1 [running]:', want: true },
  { block: ['panic: boom', ''], line: 'hello', want: false },
  { block: panicBlock.slice(0, 3), line: 'main.(*job).run(0x0?, 0x0?)', want: true },
  { block: panicBlock.slice(0, 4), line: '\t/app/main.go:5 +0x1d', want: true },
  { block: panicBlock, line: 'created by main.main', want: true },
  { block: panicBlock, line: '', want: true },
  { block: panicBlock, line: 'panic: second panic of another goroutine', want: false },
  { block: panicBlock, line: '2026/11/22 02:42:15 GET /: 200', want: false },
  { block: panicBlock, line: 'exit status 2', want: false },
];
for (const c of continuation) {
  test(`go continues(…${JSON.stringify(c.block.at(-1))}) with ${JSON.stringify(c.line)} is ${c.want}`, () => {
    assert.equal(p.continues(c.block, c.line), c.want);
  });
}

const inApp: Array<[string, string, boolean]> = [
  ['/go/src/kubeless/handler.go', 'kubeless.Hello', true],
  ['/tmp/app/cmd/x/main.go', 'main.main', true],
  ['/go/src/kl-go-server/kubeless.go', 'main.handle', false],
  ['/usr/lib/go-1.19/src/net/http/server.go', 'net/http.(*conn).serve', false],
  ['/usr/local/go/src/runtime/panic.go', 'panic', false],
  ['/root/go/pkg/mod/github.com/gorilla/mux@v1.8.0/mux.go', 'github.com/gorilla/mux.(*Router).ServeHTTP', false],
  ['net/http/server.go', 'net/http.(*conn).serve', false],
  ['example.com/shop/orders/orders.go', 'example.com/shop/orders.(*Order).Reserve', true],
];
for (const [file, fn, want] of inApp) test(`goInApp(${file}) is ${want}`, () => assert.equal(goInApp(file, fn), want));

goldenTests('go');

/** goInApp() as it was (four includes() and GOROOT_RE): the reference for its single regex. */
function referenceInApp(file: string, fn: string): boolean {
  if (fn === 'panic' || fn.startsWith('runtime.')) return false;
  if (file.includes('/pkg/mod/') || file.includes('/vendor/') || file.includes('/kl-go-server/') || file.includes('github.com/kubeless/')) return false;
  if (/\/(?:usr\/lib\/go[^/]*|usr\/local\/go|opt\/go|goroot|sdk\/go[^/]*|go\/root)\/src\//.test(file)) return false;
  if (!file.startsWith('/') && !/^[A-Za-z]:/.test(file)) {
    const first = file.split('/')[0] ?? '';
    if (!first.includes('.')) return false;
  }
  return true;
}

test('goInApp agrees with the reference on edge paths and every frame path of the corpus', () => {
  const files = new Set([
    '', '/pkg/mod/', 'pkg/mod/x', '/vendor/', '/x/vendor', '/kl-go-server/a.go', 'github.com/kubeless/x', 'githubXcom/kubeless/x',
    '/usr/lib/go-1.19/src/x.go', '/usr/lib/go/src/', '/usr/local/go/src/a', '/opt/go/src/a', '/goroot/src/a', '/sdk/go1.2/src/a',
    '/go/root/src/a', '/usr/lib/go/srcx', 'C:/app/main.go', 'net/http/server.go', 'example.com/app/main.go', '/app/main.go',
  ]);
  for (const text of corpusTexts()) for (const m of text.matchAll(/^\t(.+?):\d+/gm)) files.add(m[1]!);
  for (const file of files) for (const fn of ['main.main', 'panic', 'runtime.gopark']) assert.equal(goInApp(file, fn), referenceInApp(file, fn), file);
});
