import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerLogFollower } from '../../../../collector/src/logs/sources/pod-log/follower.ts';
import { PodLogHttpError, type PodLogOpener, type PodLogRequest } from '../../../../collector/src/logs/sources/pod-log/opener.ts';
import type { RawLogSink } from '../../../../collector/src/logs/sources/types.ts';
import type { StreamIdentity } from '../../../../collector/src/logs/types.ts';
import { silentLogger } from '../../../../collector/src/util/logger.ts';
import { InstantClock } from '../../../support/instant-clock.ts';

const id: StreamIdentity = { namespace: 'default', function: 'hello', pod: 'hello-1', container: 'hello' };
const ts = (s: number, frac = ''): string => `2026-11-22T01:00:${String(s).padStart(2, '0')}${frac}Z`;

/** A fake log endpoint: serves a container log honouring sinceTime at one-second precision, like a real API server. */
class FakeEndpoint implements PodLogOpener {
  current: string[] = [];
  previous: string[] | undefined;
  requests: PodLogRequest[] = [];
  /** Per call: how many lines to send before failing (undefined: send all and end). */
  script: Array<number | 'http400' | undefined> = [];

  stream(req: PodLogRequest, onChunk: (t: string) => void): Promise<void> {
    this.requests.push(req);
    const step = this.script.shift();
    if (step === 'http400') return Promise.reject(new PodLogHttpError(400, 'container "hello" in pod "hello-1" is waiting to start'));
    const src = req.previous ? this.previous : this.current;
    if (!src) return Promise.reject(new PodLogHttpError(400, 'previous terminated container "hello" in pod "hello-1" not found'));
    const since = req.sinceTime ? Date.parse(req.sinceTime.slice(0, 19) + 'Z') : -Infinity;
    let lines = src.filter((l) => Date.parse(l.split(' ')[0]!) >= since);
    if (req.tailLines !== undefined) lines = lines.slice(-req.tailLines);
    const n = step ?? lines.length;
    // Split chunks mid-line to exercise reassembly.
    const text = lines.slice(0, n).map((l) => l + '\n').join('');
    for (let i = 0; i < text.length; i += 7) onChunk(text.slice(i, i + 7));
    return step === undefined ? Promise.resolve() : Promise.reject(new Error('connection reset by peer'));
  }
}

function collector(): { sink: RawLogSink; lines: string[]; gaps: string[] } {
  const lines: string[] = [];
  const gaps: string[] = [];
  return { lines, gaps, sink: { lines: (_id, ls) => lines.push(...ls), gap: (_id, r) => gaps.push(r), end: () => undefined } };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), 'condition not reached');
}

test('a reconnect after a dropped connection neither loses nor repeats a line', async () => {
  const ep = new FakeEndpoint();
  ep.current = [`${ts(1, '.1')} a`, `${ts(1, '.2')} b`, `${ts(1, '.2')} b-again`, `${ts(2)} c`, `${ts(3, '.25')} d`];
  ep.script = [3, undefined];
  const c = collector();
  const clock = new InstantClock();
  const f = new ContainerLogFollower({ id, opener: ep, clock, sink: c.sink, logger: silentLogger(), initial: {}, random: () => 1 });
  f.start();
  await until(() => c.lines.length >= 5);
  await f.stop();
  assert.deepEqual(c.lines.map((l) => l.split(' ')[1]), ['a', 'b', 'b-again', 'c', 'd']);
  assert.equal(ep.requests[1]!.sinceTime, ts(1, '.2'), 'resumes from the last line seen');
  assert.deepEqual(c.gaps, ['log stream lost: connection reset by peer; resuming', 'log stream resumed after: connection reset by peer']);
});

test('after a restart the previous container is read once from the last line seen', async () => {
  const ep = new FakeEndpoint();
  ep.current = [`${ts(1)} one`];
  const c = collector();
  const f = new ContainerLogFollower({ id, opener: ep, clock: new InstantClock(), sink: c.sink, logger: silentLogger(), initial: {}, resumeDelayMs: 1 });
  f.start();
  await until(() => c.lines.length === 1);
  // The container crashed after writing two more lines we had not read, and a new one started.
  ep.previous = [`${ts(1)} one`, `${ts(2)} Traceback (most recent call last):`, `${ts(2, '.5')} KeyError: 'term'`];
  ep.current = [`${ts(5)} new container`];
  f.restarted();
  await until(() => c.lines.length >= 4);
  await f.stop();
  assert.deepEqual(c.lines.map((l) => l.slice(l.indexOf(' ') + 1)), ['one', 'Traceback (most recent call last):', "KeyError: 'term'", 'new container']);
  assert.equal(ep.requests.filter((r) => r.previous).length, 1);
});

test('a container not started yet is waited for with capped backoff, without gap markers', async () => {
  const ep = new FakeEndpoint();
  ep.script = ['http400', 'http400', 'http400'];
  ep.current = [`${ts(9)} finally`];
  const c = collector();
  const clock = new InstantClock();
  const f = new ContainerLogFollower({ id, opener: ep, clock, sink: c.sink, logger: silentLogger(), initial: { tailLines: 100 }, backoff: { initialMs: 100, maxMs: 250 }, random: () => 1 });
  f.start();
  await until(() => c.lines.length === 1);
  await f.stop();
  assert.deepEqual(clock.delays.slice(0, 3), [100, 200, 250]);
  assert.deepEqual(c.gaps, []);
  assert.equal(ep.requests[0]!.tailLines, 100, 'the first connection uses the initial position');
});
