import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PRIVATE_KEY_LINES, RedactStage, resolveRedactionRules } from '../../../../collector/src/logs/stages/redact/index.ts';
import type { LogLine, LogStream } from '../../../../collector/src/logs/types.ts';

function line(text: string, stream: LogStream = 'stdout', pod = 'p1'): LogLine {
  return { namespace: 'ns', function: 'fn', pod, container: 'fn', stream, time: 0, timeText: '', seq: 0, text, truncated: false, access: null };
}

// A made-up key body; only its shape matters.
const KEY_LINES = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIEowIBAAKCAQEAn9s2bH0vFakeFakeFakeFakeFakeFakeFakeFakeFakeFake',
  'q1w2e3r4t5y6u7i8o9p0FakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake',
  '-----END RSA PRIVATE KEY-----',
];

test('a private key printed over several lines is redacted on its stream only', () => {
  const stage = new RedactStage();
  const input: [string, LogStream, string][] = [
    ['loading key:', 'stdout', 'p1'],
    [KEY_LINES[0]!, 'stdout', 'p1'],
    [KEY_LINES[1]!, 'stdout', 'p1'],
    ['an unrelated line on stderr', 'stderr', 'p1'],
    ['a line from another pod', 'stdout', 'p2'],
    [KEY_LINES[2]!, 'stdout', 'p1'],
    [`${KEY_LINES[3]!} loaded`, 'stdout', 'p1'],
    ['after the key', 'stdout', 'p1'],
  ];
  const out = input.map(([t, s, p]) => stage.process(line(t, s, p))!.text);
  assert.deepEqual(out, [
    'loading key:',
    '[REDACTED:private-key]',
    '[REDACTED:private-key]',
    'an unrelated line on stderr',
    'a line from another pod',
    '[REDACTED:private-key]',
    '[REDACTED:private-key] loaded',
    'after the key',
  ]);
  assert.equal(stage.counts()['private-key'], 4);
});

test('a BEGIN in the middle of a line redacts the rest of it; an END-less block closes after its bound', () => {
  const stage = new RedactStage();
  assert.equal(stage.process(line(`key is ${KEY_LINES[0]!} MIIEow`))!.text, 'key is [REDACTED:private-key]');
  for (let i = 0; i < MAX_PRIVATE_KEY_LINES; i++) assert.equal(stage.process(line('AAAA'))!.text, '[REDACTED:private-key]', `line ${i}`);
  assert.equal(stage.process(line('AAAA'))!.text, 'AAAA');
});

test('endStream forgets an open block; with the private-key preset off, nothing is held', () => {
  const stage = new RedactStage();
  stage.process(line(KEY_LINES[0]!));
  stage.endStream('ns', 'p1', 'fn');
  assert.equal(stage.process(line('next'))!.text, 'next');

  const off = new RedactStage({ rules: resolveRedactionRules({ presets: ['-private-key'] }) });
  assert.equal(off.process(line(KEY_LINES[0]!))!.text, KEY_LINES[0]);
  assert.equal(off.process(line(KEY_LINES[1]!))!.text, KEY_LINES[1]);
});

test('a line over maxLength is redacted up to it and the rest replaced', () => {
  const stage = new RedactStage({ maxLength: 64 });
  const text = `password=hunter2 ${'x'.repeat(100)} password=tail`;
  const out = stage.process(line(text))!.text;
  assert.equal(out, `password=[REDACTED:password] ${'x'.repeat(64 - 'password=hunter2 '.length)}[REDACTED:overlong]`);
  assert.equal(out.includes('tail'), false);
  assert.deepEqual(stage.counts(), { overlong: 1, password: 1 });
  assert.equal(stage.process(line('x'.repeat(64)))!.text, 'x'.repeat(64), 'at the limit: kept');
});

test('process changes the line in place and keeps every other field', () => {
  const stage = new RedactStage();
  const l = line('GET /?token=abc123 HTTP/1.1', 'stderr');
  const out = stage.process(l);
  assert.equal(out, l);
  assert.equal(l.text, 'GET /?token=[REDACTED:secret-param] HTTP/1.1');
  assert.equal(l.stream, 'stderr');
});

test('no rules: text passes unchanged', () => {
  const stage = new RedactStage({ rules: [] });
  assert.equal(stage.process(line('password=hunter2'))!.text, 'password=hunter2');
});
