import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GuardedWatch, type WatchHooks } from '../../../collector/src/discovery/kubernetes/guarded-watch.ts';
import type { WatchFn, WatchQuery } from '../../../collector/src/discovery/kubernetes/client.ts';

interface Opened {
  query: WatchQuery;
  onEvent: (type: string, obj: unknown) => void;
  onDone: (err: unknown) => void;
  controller: AbortController;
}

function setup(inner?: WatchFn) {
  const opened: Opened[] = [];
  const log: string[] = [];
  const hooks: WatchHooks = {
    beforeWatch: () => log.push('before'),
    connected: () => log.push('connected'),
    event: (type) => log.push(`event ${type}`),
    problem: (err) => log.push(`problem ${(err as Error).message}`),
  };
  const fn: WatchFn = inner ?? ((_path, query, onEvent, onDone) => {
    const controller = new AbortController();
    opened.push({ query, onEvent, onDone, controller });
    return Promise.resolve(controller);
  });
  const w = new GuardedWatch(fn, hooks, () => 321);
  return { w, opened, log };
}

const pod = (name: string) => ({ metadata: { name, namespace: 'default', resourceVersion: '5' } });

test('asks for bookmarks and a server-side timeout', async () => {
  const { w, opened, log } = setup();
  await w.watch('/api/v1/pods', { resourceVersion: '5', labelSelector: 'a=b' }, () => undefined, () => undefined);
  assert.deepEqual(opened[0]!.query, { resourceVersion: '5', labelSelector: 'a=b', allowWatchBookmarks: true, timeoutSeconds: 321 });
  assert.deepEqual(log, ['before', 'connected']);
});

test('a newer watch silences and aborts the older one', async () => {
  const { w, opened } = setup();
  const seen: string[] = [];
  await w.watch('/p', {}, (t, o) => seen.push(`1 ${t} ${(o as ReturnType<typeof pod>).metadata.name}`), (e) => seen.push(`1 done ${String(e)}`));
  await w.watch('/p', {}, (t, o) => seen.push(`2 ${t} ${(o as ReturnType<typeof pod>).metadata.name}`), (e) => seen.push(`2 done ${String(e)}`));
  assert.equal(opened[0]!.controller.signal.aborted, true);
  opened[0]!.onEvent('ADDED', pod('late'));
  opened[0]!.onDone(new Error('aborted'));
  opened[1]!.onEvent('ADDED', pod('x'));
  opened[1]!.onDone(null);
  opened[1]!.onDone(new Error('twice'));
  assert.deepEqual(seen, ['2 ADDED x', '2 done null']);
});

test('an inner watch that throws ends in done(err), never a rejection', async () => {
  const { w, log } = setup(() => Promise.reject(new Error('exec plugin failed')));
  const done: unknown[] = [];
  const c = await w.watch('/p', {}, () => undefined, (e) => done.push(e));
  assert.equal(c.signal.aborted, true);
  assert.match(String(done[0]), /exec plugin failed/);
  assert.ok(!log.includes('connected'));
});

test('once closed it opens nothing and delivers nothing', async () => {
  const { w, opened } = setup();
  const seen: string[] = [];
  await w.watch('/p', {}, (t) => seen.push(t), () => seen.push('done'));
  w.close();
  assert.equal(opened[0]!.controller.signal.aborted, true);
  opened[0]!.onEvent('ADDED', pod('a'));
  opened[0]!.onDone(null);
  const c = await w.watch('/p', {}, (t) => seen.push(t), () => seen.push('done'));
  assert.equal(c.signal.aborted, true);
  assert.equal(opened.length, 1);
  assert.deepEqual(seen, []);
});

test('a handler that throws or rejects is reported, not thrown', async () => {
  const { w, opened, log } = setup();
  let n = 0;
  await w.watch('/p', {}, () => {
    n++;
    if (n === 1) throw new Error('sync boom');
    return Promise.reject(new Error('async boom')) as unknown as void;
  }, () => undefined);
  opened[0]!.onEvent('ADDED', pod('a'));
  opened[0]!.onEvent('MODIFIED', pod('a'));
  await new Promise((r) => setImmediate(r));
  assert.ok(log.includes('problem sync boom'));
  assert.ok(log.includes('problem async boom'));
});
