// The sandbox kubelet with real function processes: status, restarts with back-off, logs of the
// current and previous container, stop and shutdown.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { findOnPath } from '../../../collector/src/sandbox/runtimes/index.ts';
import type { ContainerStatusReport } from '../../../collector/src/sandbox/kubelet/index.ts';
import { call, processGroup, startPod, startReadyPod, testKubelet, waitFor } from '../runtimes/pod-helpers.ts';

const python = findOnPath('python3', process.env['PATH']);

const CRASHER = `'use strict';
const { spawn } = require('child_process');
module.exports = {
  handle(event) {
    const d = event.data;
    if (d.exit !== undefined) {
      setTimeout(() => {
        process.stdout.write('about to exit without a newline');
        process.exit(d.exit);
      }, 10);
    }
    if (d.crash) setTimeout(() => { throw new Error('background job failed'); }, 10);
    if (d.ignoreTerm) process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
    if (d.spawnSleep) spawn('sleep', ['300'], { stdio: 'ignore' });
    console.log('handled ' + JSON.stringify(d));
    return String(process.pid);
  },
};
`;

const crasher = { name: 'crasher', runtime: 'nodejs14', handler: 'crasher.handle', source: CRASHER };
const post = (url: string, data: unknown) => call(url + '/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(data) });
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/;

// A long ceiling keeps the back-off from being forgotten (after 2 x maxMs) on a slow machine.
const SMALL_BACKOFF = { initialMs: 200, maxMs: 10_000 };

describe('kubelet', () => {
  const kubelet = testKubelet({ restartBackoff: SMALL_BACKOFF });
  after(() => kubelet.shutdown());

  test('a pod goes Pending, then Running, then ready once /healthz answers', async () => {
    const pod = await startReadyPod(kubelet, crasher);
    const [first, second] = pod.statuses;
    assert.deepEqual(first!.state, { waiting: { reason: 'ContainerCreating' } });
    assert.equal(first!.phase, 'Pending');
    assert.ok(second!.state.running?.startedAt);
    assert.equal(second!.phase, 'Running');
    assert.equal(second!.ready, false);
    assert.equal(pod.statuses.at(-1)!.ready, true);
    assert.equal(pod.handle.status().restartCount, 0);
    assert.equal(pod.handle.log(true), undefined, 'no previous container yet');
    await waitFor('the probe\'s access line', () => pod.lines('stdout').some((l) => l.includes('"GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.32"')));
    await pod.handle.stop(1_000);
  });

  test('a crash restarts the container at once, then with back-off; previous logs survive', async () => {
    const pod = await startReadyPod(kubelet, crasher);
    const seenInBackoff: Array<{ status: ContainerStatusReport; sameLog: boolean; ended: boolean | undefined }> = [];
    const statuses = pod.statuses;
    const push = statuses.push.bind(statuses);
    statuses.push = (...items: ContainerStatusReport[]): number => {
      for (const s of items) {
        if (s.state.waiting?.reason === 'CrashLoopBackOff') {
          seenInBackoff.push({ status: s, sameLog: pod.handle.log(false) === pod.handle.log(true), ended: pod.handle.log(false)?.ended });
        }
      }
      return push(...items);
    };

    assert.equal((await post(pod.url, { crash: true })).status, 200);
    await waitFor('the first restart', () => pod.handle.status().restartCount === 1 && pod.handle.status().ready);
    const first = pod.handle.status();
    assert.equal(first.lastState.terminated?.exitCode, 1);
    assert.equal(first.lastState.terminated?.reason, 'Error');
    assert.equal(seenInBackoff.length, 0, 'the first restart does not wait');
    const previous = pod.handle.log(true)!.entries().map((e) => e.text);
    assert.ok(previous.includes('handled {"crash":true}'));
    assert.ok(previous.includes('Error: background job failed'), previous.join('\n'));
    assert.ok(pod.handle.log(true)!.ended);
    assert.ok(!pod.lines('stdout').includes('handled {"crash":true}'), 'the new container starts a new log');

    assert.equal((await post(pod.url, { crash: true })).status, 200);
    await waitFor('the second restart', () => pod.handle.status().restartCount === 2 && pod.handle.status().ready);
    assert.equal(seenInBackoff.length, 1);
    const backoff = seenInBackoff[0]!;
    assert.equal(backoff.status.state.waiting!.message, 'back-off 200ms restarting failed container=crasher pod=crasher-7d4b9c-x2x9q_default(0b7c6a2e-5f1d-4c1e-9d53-3c2f0f0e6a11)');
    assert.equal(backoff.status.lastState.terminated?.exitCode, 1);
    assert.equal(backoff.status.restartCount, 1);
    assert.equal(backoff.status.phase, 'Running');
    assert.ok(backoff.sameLog && backoff.ended, 'while waiting, both logs are the terminated container\'s');
    const terminated = statuses.filter((s) => s.state.terminated);
    assert.equal(terminated.length, 2);
    await pod.handle.stop(1_000);
  });

  test('an unterminated last line is kept when the process exits; timestamps increase strictly', async () => {
    const pod = await startReadyPod(kubelet, crasher);
    await post(pod.url, { exit: 3 });
    await waitFor('the restart', () => pod.handle.status().restartCount === 1);
    const prev = pod.handle.log(true)!.entries();
    assert.equal(prev.filter((e) => e.stream === 'stdout').at(-1)!.text, 'about to exit without a newline');
    assert.equal(pod.handle.status().lastState.terminated?.exitCode, 3);
    for (const e of prev) assert.match(e.time, TIME);
    for (let i = 1; i < prev.length; i++) assert.ok(prev[i]!.time > prev[i - 1]!.time, `${prev[i]!.time} after ${prev[i - 1]!.time}`);
    await pod.handle.stop(1_000);
  });

  test('stop() sends SIGTERM and kills after the grace period a process that ignores it', async () => {
    const polite = await startReadyPod(kubelet, crasher);
    await polite.handle.stop(5_000);
    const politeEnd = polite.handle.status();
    assert.deepEqual([politeEnd.state.terminated?.exitCode, politeEnd.state.terminated?.signal, politeEnd.phase], [143, 15, 'Failed']);

    const stubborn = await startReadyPod(kubelet, crasher);
    await post(stubborn.url, { ignoreTerm: true });
    await stubborn.handle.stop(300);
    const end = stubborn.handle.status();
    assert.deepEqual([end.state.terminated?.exitCode, end.state.terminated?.signal, end.ready], [137, 9, false]);
    assert.ok(stubborn.lines('stdout').includes('ignoring SIGTERM'));
    assert.equal(stubborn.handle.status().restartCount, 0, 'a stopped container is not restarted');
  });

  test('runtimes that cannot run here leave the pod Pending with CreateContainerError', async () => {
    const noPython = testKubelet({ pathEnv: '/nonexistent' });
    assert.deepEqual(noPython.availableRuntimes(), ['nodejs10', 'nodejs12', 'nodejs14']);
    const py = await startPod(noPython, { name: 'hello', runtime: 'python3.8', handler: 'hello.hello', source: 'def hello(e, c):\n    return 1\n' });
    const go = await startPod(noPython, { name: 'gohello', runtime: 'go1.14', handler: 'hello.Hello', source: 'package kubeless' });
    for (const pod of [py, go]) {
      const s = pod.handle.status();
      assert.equal(s.state.waiting?.reason, 'CreateContainerError');
      assert.match(s.state.waiting?.message ?? '', /is not available here/);
      assert.equal(s.phase, 'Pending');
      assert.equal(pod.handle.log(false), undefined);
    }
    await noPython.shutdown();
    if (python) assert.ok(kubelet.availableRuntimes().includes('python3.8'));
  });
});

describe('kubelet: a python function that cannot start crash-loops with growing back-off', { skip: python ? false : 'no python3 on PATH' }, () => {
  const kubelet = testKubelet({ restartBackoff: SMALL_BACKOFF });
  after(() => kubelet.shutdown());

  test('restartCount grows, the waiting message shows 200ms then 400ms, previous log has the traceback', async () => {
    const pod = await startPod(kubelet, { name: 'typo', runtime: 'python3.8', handler: 'typo.nope', source: 'def hello(event, context):\n    return "hi"\n' });
    await waitFor('three restarts', () => pod.handle.status().restartCount >= 3, 20_000);
    const messages = pod.statuses.map((s) => s.state.waiting?.message).filter((m): m is string => m?.startsWith('back-off') ?? false);
    assert.deepEqual(messages.slice(0, 2).map((m) => m.split(' ')[1]), ['200ms', '400ms']);
    assert.equal(pod.handle.status().phase, 'Running');
    const prev = pod.handle.log(true)!.entries().map((e) => e.text);
    assert.equal(prev.at(-1), "AttributeError: module 'typo' has no attribute 'nope'");
    assert.ok(pod.statuses.every((s) => !s.ready));
  });
});

describe('kubelet shutdown', () => {
  test('leaves no process of any pod behind, children and grandchildren included', { skip: python ? false : 'no python3 on PATH' }, async () => {
    const kubelet = testKubelet();
    const node = await startReadyPod(kubelet, crasher);
    const nodePgid = Number((await post(node.url, { spawnSleep: true })).body);
    const py = await startReadyPod(kubelet, { name: 'pgid', runtime: 'python3.8', handler: 'pgid.pgid', source: 'import os\n\ndef pgid(event, context):\n    return str(os.getpgid(0))\n' });
    const pyPgid = Number((await call(py.url + '/')).body);
    await waitFor('the sleep child', () => processGroup(nodePgid).length >= 2);
    assert.ok(processGroup(pyPgid).length >= 2, 'the python runtime has its forkserver beside it');
    await kubelet.shutdown();
    // shutdown() has sent SIGKILL to every process of each pod's group; the kernel ends them a moment later
    await waitFor('the node pod\'s process group gone', () => processGroup(nodePgid).length === 0, 5000);
    await waitFor('the python pod\'s process group gone', () => processGroup(pyPgid).length === 0, 5000);
    assert.equal(node.handle.status().phase, 'Failed');
  });
});
