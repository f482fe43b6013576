import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fingerprint, maskMessage, normalizeFunction } from '../../collector/src/stacktrace/fingerprint.ts';
import type { Frame, ParsedTrace } from '../../collector/src/stacktrace/types.ts';

const masks: Array<[string, string]> = [
  ["'missing'", '<str>'],
  ['invalid literal for int() with base 10: \'forty-two\'', 'invalid literal for int() with base <n>: <str>'],
  ['order 1042 failed after 3.5 s', 'order <n> failed after <n> s'],
  ['user 7d9f0b1c-2e3a-4b5c-8d9e-0f1a2b3c4d5e not found', 'user <uuid> not found'],
  ['dial tcp 10.0.3.7:5432: connect: connection refused', 'dial tcp <addr>: connect: connection refused'],
  ['object at 0x7f3a2c1d9e80 is closed', 'object at <hex> is closed'],
  ['commit deadbeefcafe1234 missing', 'commit <hex> missing'],
  ['Cannot find module "/srv/app/x.js"', 'Cannot find module <str>'],
  ['no numbers here', 'no numbers here'],
];
for (const [input, want] of masks) {
  test(`maskMessage(${JSON.stringify(input)})`, () => assert.equal(maskMessage(input), want));
}

const functions: Array<[string, string]> = [
  ['async handler', 'handler'],
  ['Layer.handle [as handle_request]', 'Layer.handle'],
  ['com.example.App$$Lambda$14/0x0000000800c03000.apply', 'com.example.App$$Lambda.apply'],
  ['jdk.internal.reflect.GeneratedMethodAccessor123.invoke', 'jdk.internal.reflect.GeneratedMethodAccessor.invoke'],
  ['main.(*job).run', 'main.(*job).run'],
];
for (const [input, want] of functions) {
  test(`normalizeFunction(${JSON.stringify(input)})`, () => assert.equal(normalizeFunction(input), want));
}

function trace(frames: Frame[], message = 'boom', type = 'KeyError'): ParsedTrace {
  return { language: 'python', type, message, frames, causes: [] };
}
const app = (file: string, fn: string, line: number): Frame => ({ file, line, function: fn, inApp: true });
const lib = (file: string, fn: string, line: number): Frame => ({ file, line, function: fn, inApp: false });

test('fingerprint: 16 hex characters', () => {
  assert.match(fingerprint(trace([app('/app/h.py', 'f', 1)])), /^[0-9a-f]{16}$/);
});

const same: Array<{ name: string; a: ParsedTrace; b: ParsedTrace }> = [
  {
    name: 'line numbers and directories do not matter',
    a: trace([app('/app/v1/handler.py', 'lookup', 10), app('/app/v1/handler.py', 'hello', 20)]),
    b: trace([app('/srv/v2/handler.py', 'lookup', 14), app('/srv/v2/handler.py', 'hello', 25)]),
  },
  {
    name: 'library frames and the message do not matter when in-app frames exist',
    a: trace([lib('/usr/lib/python3/dist-packages/bottle.py', 'wrapper', 1), app('/app/h.py', 'f', 3)], "'a'"),
    b: trace([app('/app/h.py', 'f', 9), lib('/usr/lib/python3/dist-packages/bottle.py', '_handle', 2)], "'b'"),
  },
  {
    name: 'recursion depth does not matter',
    a: trace([app('/app/r.py', 'walk', 6), app('/app/r.py', 'walk', 6), app('/app/r.py', 'main', 9)]),
    b: trace([app('/app/r.py', 'walk', 6), app('/app/r.py', 'main', 9)]),
  },
  {
    name: 'without in-app frames, masked values of the message do not matter (Kubeless python)',
    a: trace([lib('/_kubeless.py', 'handler', 121)], "'missing'"),
    b: trace([lib('/_kubeless.py', 'handler', 121)], "'other-key'"),
  },
];
for (const c of same) {
  test(`fingerprint equal: ${c.name}`, () => assert.equal(fingerprint(c.a), fingerprint(c.b)));
}

const different: Array<{ name: string; a: ParsedTrace; b: ParsedTrace }> = [
  { name: 'type', a: trace([app('/a.py', 'f', 1)], 'x', 'KeyError'), b: trace([app('/a.py', 'f', 1)], 'x', 'ValueError') },
  { name: 'in-app function', a: trace([app('/a.py', 'f', 1)]), b: trace([app('/a.py', 'g', 1)]) },
  { name: 'in-app file', a: trace([app('/a.py', 'f', 1)]), b: trace([app('/b.py', 'f', 1)]) },
  {
    name: 'message words when there are no in-app frames',
    a: trace([lib('/_kubeless.py', 'handler', 121)], 'division by zero', 'ZeroDivisionError'),
    b: trace([lib('/_kubeless.py', 'handler', 121)], 'float division', 'ZeroDivisionError'),
  },
];
for (const c of different) {
  test(`fingerprint differs by ${c.name}`, () => assert.notEqual(fingerprint(c.a), fingerprint(c.b)));
}
