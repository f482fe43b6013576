// The sandbox's python runtime, run as a pod, against the real Kubeless python runtime's captures:
// the capture's request script is replayed and responses, stdout, stderr and /metrics compared.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { findOnPath } from '../../../collector/src/sandbox/runtimes/index.ts';
import type { Kubelet } from '../../../collector/src/sandbox/kubelet/index.ts';
import { call, readTestdata, startReadyPod, testKubelet, waitFor, type Reply, type TestPod } from './pod-helpers.ts';
import { captureLines, metricShape, metricValues, normaliseLogLine, parseTranscript, seriesWithPrefix, withoutProbes } from './capture-compare.ts';

const python = findOnPath('python3', process.env['PATH']);
const minor = python ? Number(execFileSync(python, ['-c', 'import sys; print(sys.version_info[1])'], { encoding: 'utf8' }).trim()) : 0;
/** Python 3.11 added the ^^^^ lines under the failing expression; the captures were made with 3.11. */
const hasCarets = minor >= 11;

const JSON_EVENT = { 'Content-Type': 'application/json', 'event-id': 'ev-1', 'event-type': 'application/json', 'event-namespace': 'test' };

/** The capture's request script (README: FUNC_TIMEOUT=3 and sleep 5; here 1 and 2). */
const SCRIPT: Array<{ name: string; method?: string; path: string; headers?: Record<string, string>; body?: string }> = [
  { name: 'healthz (waiting for the server)', path: '/healthz' },
  { name: 'metrics-initial', path: '/metrics' },
  { name: 'healthz', path: '/healthz' },
  { name: 'GET / (no body)', path: '/' },
  { name: 'POST / json', method: 'POST', path: '/', headers: JSON_EVENT, body: '{"name":"kubeless"}' },
  { name: 'POST / text', method: 'POST', path: '/', headers: { 'Content-Type': 'text/plain' }, body: 'abc' },
  { name: 'GET /some/path?x=1', path: '/some/path?x=1' },
  { name: 'POST / json fail -> KeyError', method: 'POST', path: '/', headers: { 'Content-Type': 'application/json' }, body: '{"fail":true}' },
  { name: 'POST / json fail again', method: 'POST', path: '/', headers: { 'Content-Type': 'application/json' }, body: '{"fail":true}' },
  { name: 'DELETE /', method: 'DELETE', path: '/' },
  { name: 'PUT / (method not routed)', method: 'PUT', path: '/', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'x' },
  { name: 'POST / json sleep 5 > FUNC_TIMEOUT=3', method: 'POST', path: '/', headers: { 'Content-Type': 'application/json' }, body: '{"sleep":2}' },
  { name: 'GET / after errors', path: '/' },
  { name: 'metrics-final', path: '/metrics' },
];

describe('python runtime compared with the real Kubeless python runtime', { skip: python ? false : 'no python3 on PATH' }, () => {
  let kubelet: Kubelet;
  let pod: TestPod;
  const replies = new Map<string, Reply>();

  before(async () => {
    kubelet = testKubelet();
    pod = await startReadyPod(kubelet, { name: 'hello', runtime: 'python3.8', handler: 'handler.hello', source: readTestdata('handlers/handler.py'), timeoutSeconds: 1 });
    for (const step of SCRIPT) {
      replies.set(step.name, await call(pod.url + step.path, step));
    }
    const lastMetrics = (stream: 'stdout' | 'stderr'): boolean => pod.lines(stream).filter((l) => l.includes('"GET /metrics ')).length >= (stream === 'stdout' ? 2 : 1);
    await waitFor('the last access line on both streams', () => lastMetrics('stdout') && lastMetrics('stderr'));
  });

  after(() => kubelet.shutdown());

  test('responses: status, headers in order and bodies as the real runtime answered', () => {
    const captured = parseTranscript(readTestdata('python-requests.txt'));
    assert.equal(captured.length, 11);
    for (const exp of captured) {
      const got = replies.get(exp.title);
      assert.ok(got, `no reply for "${exp.title}"`);
      assert.equal(got.status, exp.status, exp.title);
      assert.deepEqual(got.headers.map(([k]) => k), exp.headers.map(([k]) => k), `${exp.title}: header names`);
      const values = (h: Array<[string, string]>): Array<[string, string]> => h.filter(([k]) => k !== 'Date');
      assert.deepEqual(values(got.headers), values(exp.headers), `${exp.title}: header values`);
      assert.equal(got.body.replace(/127\.0\.0\.1:\d+/g, 'HOST:PORT'), exp.body.replace(/127\.0\.0\.1:\d+/g, 'HOST:PORT'), `${exp.title}: body`);
    }
  });

  test('stdout: access lines and the function output line by line', () => {
    const expected = captureLines(readTestdata('python-stdout.txt')).map(normaliseLogLine);
    const got = withoutProbes(pod.lines('stdout')).map(normaliseLogLine);
    assert.deepEqual(got, expected);
  });

  test('stderr: banner, logged exceptions with the runtime-only traceback, then every access line copied', () => {
    const captured = captureLines(readTestdata('python-stderr.txt'));
    // The capture's last two lines come from multiprocessing's resource tracker after its server was
    // stopped by PID; in a container the tracker dies with the main process and prints nothing.
    assert.match(captured.at(-2)!, /resource_tracker/);
    const dropCarets = (l: string[]): string[] => (hasCarets ? l : l.filter((x) => !/^\s+\^+$/.test(x)));
    const expected = dropCarets(captured.slice(0, -2)).map(normaliseLogLine);
    const got = withoutProbes(pod.lines('stderr')).map(normaliseLogLine);
    assert.deepEqual(got, expected);
  });

  test('metrics before any call: the same families, HELP and TYPE lines', () => {
    const expected = metricShape(readTestdata('python-metrics-initial.txt')).map(dropPythonInfo);
    assert.deepEqual(metricShape(replies.get('metrics-initial')!.body).map(dropPythonInfo), expected);
  });

  test('metrics after the script: same series and labels; calls and failures counted alike (408 is no failure)', () => {
    const captured = readTestdata('python-metrics.txt');
    const body = replies.get('metrics-final')!.body;
    assert.deepEqual(metricShape(body).map(dropPythonInfo), metricShape(captured).map(dropPythonInfo));
    const got = metricValues(body);
    const exp = metricValues(captured);
    for (const prefix of ['function_calls_total', 'function_failures_total', 'function_duration_seconds_count']) {
      assert.deepEqual(seriesWithPrefix(got, prefix), seriesWithPrefix(exp, prefix), prefix);
    }
    assert.equal(got.get('function_failures_total{method="POST"}'), 2, 'two KeyErrors, the timeout not counted');
    assert.equal(got.get('function_duration_seconds_bucket{le="0.5",method="POST"}'), 4, 'the timed-out call is in the histogram past its timeout');
    const names = (h: Array<[string, string]>): string[] => h.map(([k]) => k);
    const captHeaders = captureLines(readTestdata('python-metrics-headers.txt')).slice(1).map((l) => l.replace(/\r$/, '')).filter((l) => l !== '');
    const reply = replies.get('metrics-final')!;
    assert.deepEqual(names(reply.headers), captHeaders.map((l) => l.split(':')[0]!));
    assert.equal(`Content-Type: ${reply.headers[0]![1]}`, captHeaders[0]);
  });

});

const INSPECT = `
def inspect(event, context):
    req = event['extensions']['request']
    data = event['data']
    return {
        'data': data if isinstance(data, dict) else data.decode(),
        'event': {k: v for k, v in event.items() if k not in ('data', 'extensions')},
        'context': context,
        'file': __file__,
        'request': {'method': req.method, 'path': req.path, 'query': req.query, 'trace': req.get_header('X-Trace'), 'repr': repr(req)},
    }
`;

describe('python runtime: event, context and request', { skip: python ? false : 'no python3 on PATH' }, () => {
  let kubelet: Kubelet;
  let pod: TestPod;
  before(async () => {
    kubelet = testKubelet();
    pod = await startReadyPod(kubelet, { name: 'inspect', runtime: 'python3.8', handler: 'probe.inspect', source: INSPECT, timeoutSeconds: 7 });
  });
  after(() => kubelet.shutdown());

  test('JSON data is parsed only for exactly application/json; headers become event fields', async () => {
    const json = await call(`${pod.url}/orders?id=7`, { method: 'PATCH', headers: { ...JSON_EVENT, 'event-time': '2026-11-22T01:30:18Z', 'X-Trace': 't-1' }, body: '{"n":1}' });
    assert.equal(json.status, 200);
    assert.deepEqual(JSON.parse(json.body), {
      data: { n: 1 },
      event: { 'event-id': 'ev-1', 'event-type': 'application/json', 'event-time': '2026-11-22T01:30:18Z', 'event-namespace': 'test' },
      context: { 'function-name': 'inspect', timeout: 7, runtime: 'python3.8', 'memory-limit': '0' },
      file: '/kubeless/probe.py',
      request: { method: 'PATCH', path: '/orders', query: { id: '7' }, trace: 't-1', repr: `<PicklableBottleRequest: PATCH http://127.0.0.1:${pod.port}/orders?id=7>` },
    });
    const charset = await call(pod.url + '/', { method: 'POST', headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: '{"n":1}' });
    assert.equal(JSON.parse(charset.body).data, '{"n":1}', 'a content type with parameters leaves the body as bytes');
  });
});

function dropPythonInfo(line: string): string {
  return line.replace(/^python_info\{.*\} V$/, 'python_info{...} V');
}
