import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorGroups } from '../../collector/src/errors/error-groups.ts';
import { SqliteGroupPersistence } from '../../collector/src/errors/persistence.ts';
import { GROUP_LIMITS } from '../../collector/src/errors/group.ts';
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { silentLogger } from '../../collector/src/util/logger.ts';
import { exception } from '../support/records.ts';

const HOUR = 3_600_000;

test('occurrences with one fingerprint form one group with counts and spread', () => {
  const clock = new ManualClock();
  const g = new ErrorGroups({ clock, logger: silentLogger() });
  for (let i = 0; i < 7; i++) g.record(exception('KeyError', { time: clock.now() + i * 1000, pod: `bikesearch-${i % 2}`, fingerprint: 'k1' }));
  g.record(exception('ValueError', { time: clock.now(), fingerprint: 'v1', function: 'hello' }));
  const list = g.list();
  assert.equal(list.length, 2);
  const k = g.get('k1')!;
  assert.equal(k.count, 7);
  assert.deepEqual(k.pods, { 'bikesearch-0': 4, 'bikesearch-1': 3 });
  assert.deepEqual(k.functions, { 'default/bikesearch': 7 });
  assert.equal(k.samples!.length, GROUP_LIMITS.samples);
  assert.equal(k.samples![0]!.time, clock.now(), 'the first occurrence is kept');
  assert.deepEqual(g.list({ function: 'hello' }).map((x) => x.id), ['v1']);
});

test('status goes new → ongoing → regressed after a quiet period', () => {
  const clock = new ManualClock();
  const g = new ErrorGroups({ clock, logger: silentLogger(), quietMs: HOUR, newMs: HOUR });
  g.record(exception('KeyError', { time: clock.now(), fingerprint: 'k' }));
  assert.equal(g.get('k')!.status, 'new');
  clock.advance(2 * HOUR);
  assert.equal(g.get('k')!.status, 'ongoing');
  g.record(exception('KeyError', { time: clock.now(), fingerprint: 'k' }));
  assert.equal(g.get('k')!.status, 'regressed');
  assert.deepEqual(g.list({ status: 'regressed' }).map((x) => x.id), ['k']);
});

test('rate counts the last five minutes', () => {
  const clock = new ManualClock();
  const g = new ErrorGroups({ clock, logger: silentLogger() });
  for (let i = 0; i < 30; i++) g.record(exception('E', { time: clock.now() - 60_000, fingerprint: 'e' }));
  assert.equal(g.get('e')!.ratePerSecond, 30 / 300);
  clock.advance(10 * 60_000);
  assert.equal(g.get('e')!.ratePerSecond, 0);
});

test('groups persist across a restart (SQLite under the data dir)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fnscope-errors-'));
  try {
    const clock = new ManualClock();
    const path = join(dir, 'errors.db');
    const a = new ErrorGroups({ clock, logger: silentLogger(), persistence: new SqliteGroupPersistence(path) });
    a.record(exception('KeyError', { time: clock.now(), fingerprint: 'k' }));
    a.record(exception('KeyError', { time: clock.now(), fingerprint: 'k' }));
    clock.advance(5000); // the flush timer writes changed groups
    a.record(exception('OSError', { time: clock.now(), fingerprint: 'o' }));
    a.close(); // and close writes the rest
    const b = new ErrorGroups({ clock, logger: silentLogger(), persistence: new SqliteGroupPersistence(path) });
    assert.deepEqual(b.list().map((x) => [x.id, x.count]).sort(), [['k', 2], ['o', 1]]);
    b.record(exception('KeyError', { time: clock.now(), fingerprint: 'k' }));
    assert.equal(b.get('k')!.count, 3);
    b.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the group bound evicts the least recently seen', () => {
  const clock = new ManualClock();
  const g = new ErrorGroups({ clock, logger: silentLogger(), maxGroups: 2 });
  g.record(exception('A', { time: 1, fingerprint: 'a' }));
  g.record(exception('B', { time: 3, fingerprint: 'b' }));
  g.record(exception('C', { time: 2, fingerprint: 'c' }));
  assert.deepEqual(g.list().map((x) => x.id).sort(), ['b', 'c']);
});
