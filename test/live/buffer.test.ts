import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogBuffer } from '../../collector/src/live/buffer.ts';
import { TailFilter } from '../../collector/src/live/filter.ts';
import { line } from '../support/records.ts';

test('the buffer keeps the newest records within its count bound', () => {
  const b = new LogBuffer({ maxRecords: 3 });
  const rs = [line('a'), line('b'), line('c'), line('d')];
  rs.forEach((r) => b.add(r));
  assert.deepEqual(b.query({ filter: new TailFilter({}), limit: 10 }).map((r) => r.kind === 'line' && r.text), ['b', 'c', 'd']);
  assert.equal(b.stats().evicted, 1);
});

test('the byte bound evicts the oldest', () => {
  const b = new LogBuffer({ maxRecords: 100, maxBytes: 2000 });
  for (let i = 0; i < 20; i++) b.add(line('x'.repeat(200)));
  assert.ok(b.stats().bytes <= 2000);
  assert.ok(b.stats().records < 20 && b.stats().records > 0);
});

test('query applies filter, time range, limit (newest kept), and afterSeq', () => {
  const b = new LogBuffer();
  const rs = Array.from({ length: 10 }, (_, i) => line(`m${i}`, { function: i % 2 ? 'odd' : 'even' }));
  rs.forEach((r) => b.add(r));
  const odd = new TailFilter({ function: 'odd' });
  assert.deepEqual(b.query({ filter: odd, limit: 2 }).map((r) => r.kind === 'line' && r.text), ['m7', 'm9']);
  assert.deepEqual(b.query({ filter: new TailFilter({}), from: rs[3]!.time, to: rs[5]!.time, limit: 100 }).map((r) => r.seq), [rs[3]!.seq, rs[4]!.seq, rs[5]!.seq]);
  assert.deepEqual(b.query({ filter: new TailFilter({}), afterSeq: rs[7]!.seq, limit: 100 }).map((r) => r.seq), [rs[8]!.seq, rs[9]!.seq]);
});
