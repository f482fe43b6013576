// The sandbox's Node.js runtime, run as a pod, against the real Kubeless Node.js runtime's captures:
// the capture's request script is replayed and responses, stdout, stderr and /metrics compared.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerLog, Kubelet, LogEntry } from '../../../collector/src/sandbox/kubelet/index.ts';
import { call, readTestdata, startReadyPod, testKubelet, waitFor, type Reply, type TestPod } from './pod-helpers.ts';
import { captureLines, metricShape, metricValues, normaliseLogLine, parseTranscript, seriesWithPrefix, withoutProbes } from './capture-compare.ts';

const JSON_EVENT = { 'Content-Type': 'application/json', 'event-id': 'ev-1', 'event-type': 'application/json', 'event-namespace': 'test' };
const JSON_TYPE = { 'Content-Type': 'application/json' };

/** The capture's request script (README: FUNC_TIMEOUT=2 and busy 3; here 1 and 2). */
const SCRIPT: Array<{ name: string; method?: string; path: string; headers?: Record<string, string>; body?: string }> = [
  { name: 'healthz (waiting for the server)', path: '/healthz' },
  { name: 'metrics-initial', path: '/metrics' },
  { name: 'healthz', path: '/healthz' },
  { name: 'GET / (no body)', path: '/' },
  { name: 'POST / json', method: 'POST', path: '/', headers: JSON_EVENT, body: '{"name":"kubeless"}' },
  { name: 'POST / text', method: 'POST', path: '/', headers: { 'Content-Type': 'text/plain' }, body: 'abc' },
  { name: 'GET /some/path?x=1', path: '/some/path?x=1' },
  { name: 'POST / json fail -> sync TypeError', method: 'POST', path: '/', headers: JSON_TYPE, body: '{"fail":true}' },
  { name: 'POST / json reject -> async rejection', method: 'POST', path: '/', headers: JSON_TYPE, body: '{"reject":"boom"}' },
  { name: 'PUT /', method: 'PUT', path: '/', headers: { 'Content-Type': 'text/plain' }, body: 'x' },
  { name: 'DELETE /', method: 'DELETE', path: '/' },
  { name: 'OPTIONS / (CORS preflight)', method: 'OPTIONS', path: '/', headers: { 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } },
  { name: 'metrics-final', path: '/metrics' },
  { name: 'POST / json busy 3s > FUNC_TIMEOUT=2 (sync busy loop; runtime exits)', method: 'POST', path: '/', headers: JSON_TYPE, body: '{"busy":2}' },
];

/** Frames up to the runtime's request callback: the express frames after it differ (express 5 here). */
function throughRuntimeFrames(lines: string[]): string[] {
  const end = lines.findIndex((l) => l.includes('/kubeless_rt/kubeless.js:155:20'));
  assert.ok(end > 0, `no runtime callback frame in:\n${lines.join('\n')}`);
  return lines.slice(0, end + 1);
}

/** The stack traces on stderr, one array of lines each. */
function traces(lines: string[]): string[][] {
  const out: string[][] = [];
  for (const l of lines) {
    if (l.startsWith('Function failed to execute: ')) out.push([l]);
    else if (l.startsWith('    at ') && out.length > 0) out.at(-1)!.push(l);
  }
  return out;
}

describe('nodejs runtime compared with the real Kubeless Node.js runtime', () => {
  let kubelet: Kubelet;
  let pod: TestPod;
  let log: ContainerLog;
  const replies = new Map<string, Reply>();
  const lines = (stream: LogEntry['stream']): string[] => log.entries().filter((e) => e.stream === stream).map((e) => e.text);

  before(async () => {
    kubelet = testKubelet();
    pod = await startReadyPod(kubelet, { name: 'hello', runtime: 'nodejs14', handler: 'handler.hello', source: readTestdata('handlers/handler.js'), timeoutSeconds: 1 });
    log = pod.handle.log(false)!;
    for (const step of SCRIPT) replies.set(step.name, await call(pod.url + step.path, step));
    await waitFor('the container to end after the timeout', () => log.ended);
  });

  after(() => kubelet.shutdown());

  test('responses: status, headers in order and bodies as the real runtime answered', () => {
    const captured = parseTranscript(readTestdata('nodejs-requests.txt'));
    assert.equal(captured.length, 11);
    for (const exp of captured) {
      const got = replies.get(exp.title);
      assert.ok(got, `no reply for "${exp.title}"`);
      assert.equal(got.status, exp.status, exp.title);
      const values = (h: Array<[string, string]>): Array<[string, string]> => h.filter(([k]) => k !== 'Date');
      assert.deepEqual(values(got.headers), values(exp.headers), `${exp.title}: headers`);
      assert.equal(got.body, exp.body, `${exp.title}: body`);
    }
  });

  test('stdout: morgan "combined" access lines and the function output, none for the timed-out call', () => {
    const expected = captureLines(readTestdata('nodejs-stdout.txt')).map(normaliseLogLine);
    assert.deepEqual(withoutProbes(lines('stdout')).map(normaliseLogLine), expected);
  });

  test('stderr: "Function failed to execute:" with the V8 stack through the runtime, then CRITICAL on timeout', () => {
    const captured = captureLines(readTestdata('nodejs-stderr.txt'));
    const got = lines('stderr');
    const expTraces = traces(captured);
    const gotTraces = traces(got);
    assert.equal(gotTraces.length, 2);
    for (let i = 0; i < expTraces.length; i++) {
      assert.deepEqual(throughRuntimeFrames(gotTraces[i]!).map(normaliseLogLine), throughRuntimeFrames(expTraces[i]!).map(normaliseLogLine));
      assert.equal(gotTraces[i]!.length, 11, 'message and V8\'s ten frames');
    }
    assert.equal(got.at(-1), 'CRITICAL: Unable to stop spawned process. Exiting');
    assert.equal(got.at(-1), captured.at(-1));
  });

  test('metrics before any call: exactly the capture', () => {
    assert.equal(replies.get('metrics-initial')!.body, readTestdata('nodejs-metrics-initial.txt'));
  });

  test('metrics: method="<MOD_NAME>-<METHOD>", no process series, failures only where a call failed', () => {
    const captured = readTestdata('nodejs-metrics.txt');
    const body = replies.get('metrics-final')!.body;
    assert.deepEqual(metricShape(body), metricShape(captured));
    const got = metricValues(body);
    const exp = metricValues(captured);
    for (const prefix of ['function_calls_total', 'function_failures_total', 'function_duration_seconds_count']) {
      assert.deepEqual(seriesWithPrefix(got, prefix), seriesWithPrefix(exp, prefix), prefix);
    }
    const headers = captureLines(readTestdata('nodejs-metrics-headers.txt'));
    const type = headers.find((h) => h.startsWith('Content-Type:'))!.replace(/\r$/, '');
    assert.equal(`Content-Type: ${replies.get('metrics-final')!.headers.find(([k]) => k === 'Content-Type')![1]}`, type);
  });

  test('timeout: 408 with the error code, then the process exits with status 1', () => {
    const last = pod.statuses.find((s) => s.state.terminated)!;
    assert.equal(last.state.terminated!.exitCode, 1);
    assert.equal(last.state.terminated!.reason, 'Error');
  });
});

describe('nodejs runtime: broken functions', () => {
  let kubelet: Kubelet;
  before(() => {
    kubelet = testKubelet();
  });
  after(() => kubelet.shutdown());

  test('a handler name that does not exist fails every call as in the capture', async () => {
    const pod = await startReadyPod(kubelet, { name: 'hello', runtime: 'nodejs14', handler: 'handler.doesNotExist', source: readTestdata('handlers/handler.js') });
    const reply = await call(pod.url + '/');
    assert.equal(reply.status, 500);
    await waitFor('the stack trace', () => traces(pod.lines('stderr')).length > 0);
    const captured = traces(captureLines(readTestdata('nodejs-badhandler-logs.txt')))[0]!;
    assert.deepEqual(throughRuntimeFrames(traces(pod.lines('stderr'))[0]!).map(normaliseLogLine), throughRuntimeFrames(captured).map(normaliseLogLine));
    const metrics = await call(pod.url + '/metrics');
    assert.equal(metricValues(metrics.body).get('function_failures_total{method="handler-GET"}'), 1);
  });

  test('a module that throws while loading: the failure label is the label function\'s source, newlines and all', async () => {
    const pod = await startReadyPod(kubelet, { name: 'broken', runtime: 'nodejs14', handler: 'brokenmod.hello', source: 'throw new Error("cannot load config");\n' });
    assert.equal((await call(pod.url + '/', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } })).status, 500);
    assert.equal((await call(pod.url + '/', { method: 'POST', body: 'x', headers: { 'Content-Type': 'text/plain' } })).status, 500, 'loading is tried again');
    const metrics = (await call(pod.url + '/metrics')).body;
    assert.ok(metrics.includes('function_failures_total{method="function funcLabel(req) {\n    return modName + \'-\' + req.method;\n}"} 2'), metrics);
    const stderr = pod.lines('stderr');
    assert.ok(stderr.includes('Error: cannot load config'), stderr.join('\n'));
    assert.ok(stderr.includes('    at Object.<anonymous> (/kubeless/brokenmod.js:1:7)'), stderr.join('\n'));
  });
});

const INSPECT = `'use strict';
module.exports = {
  inspect(event, context) {
    const { data, extensions, ...fields } = event;
    return { data, fields, context, file: __filename, request: { method: extensions.request.method, path: extensions.request.path } };
  },
};
`;

describe('nodejs runtime: event and context', () => {
  const kubelet = testKubelet();
  after(() => kubelet.shutdown());

  test('the Kubeless event and context, with the module shown under /kubeless', async () => {
    const pod = await startReadyPod(kubelet, { name: 'inspect', runtime: 'nodejs14', handler: 'probe.inspect', source: INSPECT, timeoutSeconds: 7 });
    const reply = await call(`${pod.url}/orders?id=7`, { method: 'PATCH', headers: { ...JSON_EVENT, 'event-time': '2026-11-22T01:30:18Z' }, body: '{"n":1}' });
    assert.deepEqual(JSON.parse(reply.body), {
      data: { n: 1 },
      fields: { 'event-type': 'application/json', 'event-id': 'ev-1', 'event-time': '2026-11-22T01:30:18Z', 'event-namespace': 'test' },
      context: { 'function-name': 'inspect', timeout: 7, runtime: 'nodejs14', 'memory-limit': '0' },
      file: '/kubeless/probe.js',
      request: { method: 'PATCH', path: '/orders' },
    });
    const text = await call(pod.url + '/', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'abc' });
    assert.equal(JSON.parse(text.body).data, 'abc');
    const empty = await call(pod.url + '/');
    assert.deepEqual(JSON.parse(empty.body).data, {}, 'no body: the empty object');
  });
});
