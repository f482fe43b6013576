import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RubyTraceParser } from '../../../collector/src/stacktrace/languages/ruby.ts';
import type { StartKind } from '../../../collector/src/stacktrace/types.ts';
import { corpusTests } from './lang-corpus.ts';

const parser = new RubyTraceParser();
corpusTests('ruby', parser, 15);

const kinds: [string, StartKind][] = [
  ["orders.rb:6:in `fetch': key not found: \"kiwi\" (KeyError)", 'start'],
  ["/app/orders.rb:6:in 'Hash#fetch': key not found: \"kiwi\" (KeyError)", 'start'],
  ["-e:1:in `<main>': unhandled exception", 'start'],
  ["x.rb:2:in `check': ArgumentError", 'start'],
  ["C:/app/x.rb:2:in `m': boom (Net::ReadTimeout)", 'start'],
  ["x.rb:1:in `<main>': message of an anonymous class", 'candidate'],
  ['#<Thread:0x00007fca44b6fc68 t.rb:8 run> terminated with exception (report_on_exception is true):', 'start'],
  ['#<Thread:0x00007fca44b6fc68 t.rb:8 run>', 'no'],
  ['2026-11-22 02:47:53 - KeyError - key not found: "kiwi":', 'start'],
  ["2026-11-22 02:47:53 - NoMethodError - undefined method `crash!' for nil:NilClass", 'candidate'],
  ['2026-11-22 02:47:53 - starting - ok', 'no'],
  ['E, [2026-11-22T02:47:53.019996 #25592] ERROR -- : key not found: "plum" (KeyError)', 'candidate'],
  ['F, [2026-11-22T02:47:53.020073 #25592] FATAL -- app: invalid value (ArgumentError)', 'candidate'],
  ['E, [2026-11-22T02:47:53.020057 #25592] ERROR -- : upstream returned 502', 'no'],
  ['I, [2026-11-22T02:47:53.019950 #25592]  INFO -- : done (ok)', 'no'],
  ['warnings.rb:3: warning: assigned but unused variable - unused', 'no'],
  ["\tfrom x.rb:6:in `worker'", 'no'],
  ['orders.rb:12:in lookup: nothing found (ok)', 'no'],
  ['main.go:12: starting server', 'no'],
  ['{"level":"error","err":"KeyError"}', 'no'],
  ['', 'no'],
];
for (const [line, kind] of kinds) {
  test(`ruby startKind ${kind}: ${JSON.stringify(line).slice(0, 70)}`, () => {
    assert.equal(parser.startKind(line), kind);
  });
}

test('a cause header continues a report, the same raise site again begins a new one', () => {
  const block = ["a.rb:9:in `boot': boot failed (BootError)", "\tfrom a.rb:20:in `<main>'"];
  assert.equal(parser.continues(block, "a.rb:3:in `read': key not found: :port (KeyError)"), true);
  assert.equal(parser.continues(block, "a.rb:9:in `boot': boot failed (BootError)"), false);
});

test('a header without a type is confirmed only by a frame', () => {
  const block = ["x.rb:1:in `go': anonymous failure"];
  assert.equal(parser.continues(block, 'next log line'), false);
  assert.equal(parser.continues(block, "\tfrom x.rb:5:in `<main>'"), true);
});

test('message lines stop at a log record and after the frames began', () => {
  const header = ["t.rb:3:in `f': boom (IOError)"];
  assert.equal(parser.continues(header, 'second line of the message'), true);
  assert.equal(parser.continues(header, 'I, [2026-11-22T02:47:53.1 #1]  INFO -- : next'), false);
  assert.equal(parser.continues([...header, "\tfrom t.rb:6:in `w'"], 'main thread still serving'), false);
});

test('error_highlight and did_you_mean decorations are not part of the message', () => {
  const t = parser.parse([
    "/app/x.rb:3:in 'Object#greet': undefined local variable or method 'mesage' for main (NameError)",
    '',
    '  mesage.upcase',
    '  ^^^^^^',
    'Did you mean?  message',
    "\tfrom /app/x.rb:5:in '<top (required)>'",
  ]);
  assert.equal(t?.message, "undefined local variable or method 'mesage' for main");
  assert.deepEqual(
    t?.frames.map((f) => [f.function, f.line]),
    [
      ['Object#greet', 3],
      ['<top (required)>', 5],
    ],
  );
});

test('frames of gems, the standard library and the interpreter are not in-app', () => {
  const t = parser.parse([
    "/usr/lib/ruby/3.1.0/json/common.rb:216:in `parse': unexpected token (JSON::ParserError)",
    "\tfrom <internal:kernel>:90:in `tap'",
    "\tfrom /usr/share/rubygems-integration/all/gems/sinatra-3.0.5/lib/sinatra/base.rb:1696:in `call'",
    "\tfrom /srv/app/vendor/bundle/ruby/3.1.0/gems/rack-2.2.22/lib/rack/head.rb:12:in `call'",
    "\tfrom /kubeless/handler.rb:4:in `handler'",
    "\tfrom /app/x.rb:in 'Kernel.eval'",
  ]);
  assert.deepEqual(
    t?.frames.map((f) => f.inApp),
    [false, false, false, false, true, true],
  );
  assert.equal(t?.frames[5]?.line, null);
});
