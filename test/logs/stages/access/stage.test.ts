import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AccessLogStage, type AccessLogStageOptions, type ResponseMetrics } from '../../../../collector/src/logs/stages/access/index.ts';
import { RedactStage, resolveRedactionRules } from '../../../../collector/src/logs/stages/redact/index.ts';
import type { LogLine, LogStream } from '../../../../collector/src/logs/types.ts';

const dir = join(import.meta.dirname, '..', '..', '..', '..', 'testdata', 'access-logs');
const read = (name: string): string[] => readFileSync(join(dir, name), 'utf8').split('\n').filter((l) => l !== '');

class FakeRecorder implements ResponseMetrics {
  readonly responseCounts = new Map<string, number>();
  readonly durations: number[] = [];
  responses(namespace: string, fn: string, method: string, code: number): void {
    const key = `${namespace}/${fn} ${method} ${code}`;
    this.responseCounts.set(key, (this.responseCounts.get(key) ?? 0) + 1);
  }
  duration(_namespace: string, _fn: string, _method: string, seconds: number): void {
    this.durations.push(seconds);
  }
}

function line(text: string, stream: LogStream = 'stdout', fn = 'hello'): LogLine {
  return { namespace: 'ns', function: fn, pod: `${fn}-1`, container: fn, stream, time: 0, timeText: '', seq: 0, text, truncated: false, access: null };
}

function run(lines: LogLine[], runtime: string | null, options: Partial<AccessLogStageOptions> = {}) {
  const recorder = new FakeRecorder();
  const stage = new AccessLogStage({ runtimeOf: () => runtime, recorder, ...options });
  const out = lines.map((l) => stage.process(l)!);
  return { recorder, stage, out };
}

/** The oracle: a plain regex over the lines that should count, independent of the parsers. */
const REQUEST = /"([A-Z]+) (\S+)(?: HTTP\/[\d.]+)?" (\d{3})\b/;
function expected(lines: string[], ignore = ['/healthz', '/metrics']): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines) {
    const r = REQUEST.exec(l);
    if (r === null || ignore.includes(r[2]!.split('?')[0]!)) continue;
    const key = `ns/hello ${r[1]} ${r[3]}`;
    m.set(key, (m.get(key) ?? 0) + 1);
  }
  return m;
}

const sorted = (m: Map<string, number>): [string, number][] => [...m.entries()].sort();

test('python: the stdout line counts, the INFO:requestlogger: copy on stderr does not', () => {
  const merged = read('python-logs.txt');
  const counted = merged.filter((l) => !l.startsWith('INFO:requestlogger:'));
  for (const runtime of ['python3.8', null]) {
    const { recorder, out, stage } = run(merged.map((t) => line(t)), runtime);
    assert.deepEqual(sorted(recorder.responseCounts), sorted(expected(counted)), String(runtime));
    assert.ok(recorder.responseCounts.get('ns/hello POST 408') === 1, 'the timeout is seen');
    // every access line carries its record; copies and ignored paths are marked not counted
    for (const l of out) {
      assert.equal(l.access !== null, REQUEST.test(l.text), l.text);
      if (l.access !== null) {
        const ignored = ['/healthz', '/metrics'].includes(l.access.path);
        assert.equal(l.access.counted, !l.text.startsWith('INFO:') && !ignored, l.text);
      }
    }
    assert.equal(stage.counters.parsed, merged.filter((l) => REQUEST.test(l)).length);
    assert.equal(stage.counters.counted, [...expected(counted).values()].reduce((a, b) => a + b, 0));
    // durations: seconds/microseconds of each counted line
    const want = counted
      .filter((l) => REQUEST.test(l) && !/"GET \/(healthz|metrics) /.test(l))
      .map((l) => {
        const [s, us] = l.slice(l.lastIndexOf(' ') + 1).split('/');
        return Number(s) + Number(us) / 1e6;
      });
    assert.deepEqual(recorder.durations, want);
  }
  // with the streams apart, the same counts
  const apart = [...read('python-stdout.txt').map((t) => line(t, 'stdout')), ...read('python-stderr.txt').map((t) => line(t, 'stderr'))];
  const { recorder } = run(apart, 'python3.7');
  assert.deepEqual(sorted(recorder.responseCounts), sorted(expected(read('python-stdout.txt'))));
});

test('nodejs and go: every access line counts', () => {
  for (const [file, runtime] of [
    ['nodejs-logs.txt', 'nodejs14'],
    ['go-logs.txt', 'go1.14'],
    ['go-panic-logs.txt', 'go1.14'],
  ] as const) {
    for (const rt of [runtime, null]) {
      const text = read(file);
      const { recorder } = run(text.map((t) => line(t)), rt);
      assert.deepEqual(sorted(recorder.responseCounts), sorted(expected(text)), `${file} ${rt}`);
      assert.equal(recorder.durations.length, 0, 'neither prints a duration');
    }
  }
});

test('ruby: Rack lines count with their duration, WEBrick copies do not', () => {
  const text = read('ruby-sinatra-webrick-stderr.txt');
  const rack = text.filter((l) => / \d+\.\d+$/.test(l));
  for (const runtime of ['ruby2.6', null]) {
    const { recorder, out } = run(text.map((t) => line(t, 'stderr')), runtime);
    assert.deepEqual(sorted(recorder.responseCounts), sorted(expected(rack)), String(runtime));
    assert.ok(recorder.responseCounts.get('ns/hello POST 500') === 1, 'the failing call is seen');
    assert.deepEqual(recorder.durations, rack.filter((l) => !l.includes('/healthz')).map((l) => Number(l.slice(l.lastIndexOf(' ') + 1))));
    assert.equal(out.filter((l) => l.access?.format === 'webrick').length, rack.length);
  }
});

test('behind the function-proxy: the server line has the real status, proxy lines count only for their own answers', () => {
  // the proxy's `log` lines (as the go runtime prints them) interleaved with the server's own lines
  const proxy = read('go-logs.txt');
  const cases: { runtime: string; server: string[]; counted: (l: string) => boolean }[] = [
    { runtime: 'ruby2.6', server: read('ruby-sinatra-webrick-stderr.txt'), counted: (l) => / \d+\.\d+$/.test(l) },
    { runtime: 'php7.4', server: [...read('nginx-combined-stdout.txt'), ...read('php-fpm-stderr.txt')], counted: (l) => l.endsWith('"') },
  ];
  for (const c of cases) {
    const stream: string[] = [];
    for (let i = 0; i < Math.max(proxy.length, c.server.length); i++) {
      if (i < c.server.length) stream.push(c.server[i]!);
      if (i < proxy.length) stream.push(proxy[i]!);
    }
    const { recorder } = run(stream.map((t) => line(t, 'stderr')), c.runtime);
    const proxyOwn = proxy.filter((l) => REQUEST.test(l) && REQUEST.exec(l)![3] !== '200');
    assert.ok(proxyOwn.some((l) => l.includes('" 408 ')), 'the capture has a proxy timeout');
    assert.deepEqual(sorted(recorder.responseCounts), sorted(expected([...c.server.filter(c.counted), ...proxyOwn])), c.runtime);
  }
});

test('php: nginx lines count, PHP-FPM lines do not', () => {
  const nginx = read('nginx-combined-stdout.txt');
  const stream = [...nginx.map((t) => line(t, 'stdout')), ...read('php-fpm-stderr.txt').map((t) => line(t, 'stderr'))];
  for (const runtime of ['php7.4', null]) {
    const { recorder, out } = run(stream, runtime);
    assert.deepEqual(sorted(recorder.responseCounts), sorted(expected(nginx)), String(runtime));
    assert.ok(out.some((l) => l.access?.format === 'php-fpm' && !l.access.counted));
  }
});

test('ignored paths, method labels, and lines that are not access lines', () => {
  const text = read('go-logs.txt');
  const all = run(text.map((t) => line(t)), 'go1.14', { ignorePaths: [] });
  assert.deepEqual(sorted(all.recorder.responseCounts), sorted(expected(text, [])));
  assert.ok((all.recorder.responseCounts.get('ns/hello GET 200') ?? 0) > (run(text.map((t) => line(t)), 'go1.14').recorder.responseCounts.get('ns/hello GET 200') ?? 0));

  const odd = run([line('2026/11/22 01:30:54 127.0.0.1:57506 "PROPFIND /dav HTTP/1.1" 207 curl/7.88.1')], 'go1.14');
  assert.deepEqual(sorted(odd.recorder.responseCounts), [['ns/hello OTHER 207', 1]]);
  assert.equal(odd.out[0]!.access!.method, 'PROPFIND', 'the record keeps the method as printed');

  const plain = run(['hello called with data={}', 'KeyError: \'missing\'', ''].map((t) => line(t)), null);
  assert.ok(plain.out.every((l) => l.access === null));
  assert.equal(plain.recorder.responseCounts.size, 0);
  assert.equal(plain.stage.counters.parsed, 0);
});

test('the runtime is looked up per function, and again after refreshRuntimes()', () => {
  const runtimes = new Map([['ns/py', 'python3.8'], ['ns/go', 'go1.14']]);
  const recorder = new FakeRecorder();
  const stage = new AccessLogStage({ runtimeOf: (ns, fn) => runtimes.get(`${ns}/${fn}`), recorder });
  const bottle = '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "POST / HTTP/1.1" 500 742 "" "curl/7.88.1" 0/11745';
  const golog = '2026/11/22 01:30:54 127.0.0.1:57544 "POST / HTTP/1.1" 500 curl/7.88.1';
  // a python function's parser does not read go lines, and the other way round
  assert.equal(stage.process(line(golog, 'stderr', 'py'))!.access, null);
  assert.notEqual(stage.process(line(bottle, 'stdout', 'py'))!.access, null);
  assert.equal(stage.process(line(bottle, 'stdout', 'go'))!.access, null);
  assert.notEqual(stage.process(line(golog, 'stderr', 'go'))!.access, null);
  runtimes.set('ns/go', 'python3.8');
  stage.refreshRuntimes();
  assert.notEqual(stage.process(line(bottle, 'stdout', 'go'))!.access, null);
  assert.deepEqual(sorted(recorder.responseCounts), [['ns/go POST 500', 2], ['ns/py POST 500', 1]]);
});

test('access lines are still read after redaction, and carry the redacted text', () => {
  const redact = new RedactStage({ rules: resolveRedactionRules({ presets: ['all'] }) });
  const lines = [
    '127.0.0.1 - - [22/Nov/2026:01:30:18 +0000] "GET /cb?access_token=ya29.secret HTTP/1.1" 200 11 "" "curl/7.88.1" 0/12257',
    '::ffff:127.0.0.1 - - [22/Nov/2026:01:30:36 +0000] "POST /login?password=hunter2 HTTP/1.1" 500 21 "-" "curl/7.88.1"',
    '2026/11/22 01:30:54 127.0.0.1:57526 "GET /?token=abc HTTP/1.1" 408 curl/7.88.1',
  ];
  const { recorder, out } = run(lines.map((t) => redact.process(line(t))!), null);
  assert.deepEqual(sorted(recorder.responseCounts), [['ns/hello GET 200', 1], ['ns/hello GET 408', 1], ['ns/hello POST 500', 1]]);
  assert.deepEqual(out.map((l) => l.access!.path), [
    '/cb?access_token=[REDACTED:secret-param]',
    '/login?password=[REDACTED:password]',
    '/?token=[REDACTED:secret-param]',
  ]);
  assert.ok(out.every((l) => !l.text.includes('127.0.0.1')));
});
