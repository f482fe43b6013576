import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Evaluator, MemStore, STALE_NAN, eq, getLabel, labelsFromRecord, re, type SeriesRef } from '../../collector/src/store/index.ts';

const T0 = Date.UTC(2026, 10, 22);
const MIN = 60_000;
const calls = (rec: Record<string, string>): string[] => labelsFromRecord(rec, 'function_calls_total');

test('append, commit, select and read back; label order does not matter', () => {
  const store = new MemStore();
  const app = store.appender();
  const a = app.append(['method', 'GET', '__name__', 'function_calls_total', 'pod', 'p1'], T0, 1);
  const b = app.append(calls({ pod: 'p1', method: 'GET' }), T0 + 15000, 2);
  assert.equal(a, b);
  const r = app.commit();
  assert.deepEqual(r, { appended: 2, outOfOrder: 0, duplicates: 0, seriesAdded: 1 });
  const q = store.querier();
  const [s] = q.select([eq('__name__', 'function_calls_total'), eq('pod', 'p1')]);
  assert.ok(s);
  assert.deepEqual(s.labels, ['__name__', 'function_calls_total', 'method', 'GET', 'pod', 'p1']);
  assert.deepEqual(q.samples(s, 0, Infinity).toArray(), [[T0, 1], [T0 + 15000, 2]]);
  assert.deepEqual(q.samples(s, T0 + 1, Infinity).toArray(), [[T0 + 15000, 2]]);
});

test('an empty label value is the same as no label', () => {
  const store = new MemStore();
  const app = store.appender();
  const a = app.ref(calls({ pod: 'p1', extra: '' }));
  const b = app.ref(calls({ pod: 'p1' }));
  assert.equal(a, b);
});

test('nothing is visible before commit, and rollback drops the batch', () => {
  const store = new MemStore();
  const app = store.appender();
  const ref = app.append(calls({ pod: 'p' }), T0, 1);
  const q = store.querier();
  assert.equal(q.samples(ref, 0, Infinity).length, 0);
  app.rollback();
  assert.equal(app.commit().appended, 0);
  assert.equal(q.samples(ref, 0, Infinity).length, 0);
  app.appendRef(ref, T0, 5);
  app.commit();
  assert.deepEqual(q.samples(ref, 0, Infinity).toArray(), [[T0, 5]]);
});

test('out-of-order samples are rejected; a repeated timestamp with the same value is ignored, another value counted', () => {
  const store = new MemStore();
  const app = store.appender();
  const ref = app.append(calls({ pod: 'p' }), T0 + 1000, 1);
  app.commit();
  app.appendRef(ref, T0, 0); // older
  app.appendRef(ref, T0 + 1000, 1); // same t, same value
  app.appendRef(ref, T0 + 1000, 2); // same t, other value
  app.appendRef(ref, T0 + 2000, 3);
  app.appendRef(ref, T0 + 1500, 4); // older than the previous one in the same batch
  const r = app.commit();
  assert.deepEqual(r, { appended: 1, outOfOrder: 2, duplicates: 1, seriesAdded: 0 });
  assert.deepEqual(store.querier().samples(ref, 0, Infinity).toArray(), [[T0 + 1000, 1], [T0 + 2000, 3]]);
  const st = store.stats();
  assert.equal(st.outOfOrder, 2);
  assert.equal(st.duplicates, 1);
});

test('chunks are cut every 120 samples and samples survive the cut', () => {
  const store = new MemStore();
  const app = store.appender();
  let ref: SeriesRef = app.ref(calls({ pod: 'p' }));
  for (let i = 0; i < 1000; i++) ref = app.appendRef(ref, T0 + i * 1000, i * 3);
  app.commit();
  const st = store.stats();
  assert.equal(st.samples, 1000);
  assert.equal(st.chunks, Math.ceil(1000 / 120));
  const got = store.querier().samples(ref, 0, Infinity);
  assert.equal(got.length, 1000);
  for (let i = 0; i < 1000; i++) assert.equal(got.v[i], i * 3);
  assert.ok(st.memory.chunkBytes < 1000 * 2, `${st.memory.chunkBytes} bytes for 1000 samples`);
});

test('staleness markers are kept as such and end a series for instant queries', () => {
  const store = new MemStore();
  const app = store.appender();
  const ref = app.append(calls({ pod: 'p' }), T0, 1);
  app.appendRef(ref, T0 + 15000, NaN); // an ordinary NaN is a value
  app.appendStale(ref, T0 + 30000);
  app.appendRef(app.ref(calls({ pod: 'q' })), T0 + 30000, STALE_NAN); // the marker through append
  app.commit();
  const q = store.querier();
  const all = q.samples(ref, 0, Infinity, { includeStale: true });
  assert.equal(all.length, 3);
  assert.deepEqual([0, 1, 2].map((i) => all.isStale(i)), [false, false, true]);
  assert.ok(Number.isNaN(all.v[1]));
  assert.equal(q.samples(ref, 0, Infinity).length, 2);
  const ev = new Evaluator(q);
  assert.equal(ev.instant([eq('pod', 'p')], T0 + 20000).length, 1);
  assert.equal(ev.instant([eq('pod', 'p')], T0 + 30000).length, 0);
  assert.equal(ev.instant([eq('pod', 'q')], T0 + 30000).length, 0);
});

test('retention: gc drops old chunks, idle series, and their index entries', () => {
  const store = new MemStore({ retentionMs: 60 * MIN, maxChunkSpanMs: 10 * MIN });
  const app = store.appender();
  let busy: SeriesRef = app.ref(calls({ pod: 'busy' }));
  let idle: SeriesRef = app.ref(calls({ pod: 'idle' }));
  for (let i = 0; i <= 120; i++) {
    const t = T0 + i * MIN;
    busy = app.appendRef(busy, t, i);
    if (i < 30) idle = app.appendRef(idle, t, i);
  }
  app.commit();
  const before = store.stats();
  const res = store.gc(T0 + 120 * MIN);
  const after = store.stats();
  assert.equal(res.seriesRemoved, 1);
  assert.equal(after.series, 1);
  assert.equal(after.seriesRemoved, 1);
  assert.ok(res.expiredChunks > 0 && res.expiredSamples > 0);
  assert.equal(after.samples, before.samples - res.expiredSamples);
  const q = store.querier();
  assert.deepEqual(q.select([re('pod', '.+')]).map((s) => getLabel(s.labels, 'pod')), ['busy']);
  assert.deepEqual(q.labelValues('pod'), ['busy']);
  const left = q.samples(busy, 0, Infinity);
  // Whole chunks go: nothing newer than the cutoff is lost, nothing older than one chunk span stays.
  assert.ok(left.t[0]! >= T0 + 60 * MIN - 10 * MIN && left.t[0]! <= T0 + 60 * MIN, `${(left.t[0]! - T0) / MIN}`);
  assert.equal(left.t[left.length - 1], T0 + 120 * MIN);
  assert.ok(after.memory.totalBytes < before.memory.totalBytes);
  // Writing through a ref of a collected series brings it back.
  const again = app.appendRef(idle, T0 + 121 * MIN, 7);
  assert.notEqual(again, idle);
  assert.equal(app.commit().seriesAdded, 1);
  assert.deepEqual(q.samples(again, 0, Infinity).toArray(), [[T0 + 121 * MIN, 7]]);
});

test('memory bound: the oldest chunks go first, counted, and the total stays under the bound', () => {
  const store = new MemStore({ maxBytes: 200_000 });
  const app = store.appender();
  const refs: SeriesRef[] = [];
  for (let s = 0; s < 50; s++) refs.push(app.ref(calls({ pod: `p${s}` })));
  let v = 0;
  for (let i = 0; i < 2000; i++) {
    for (let s = 0; s < refs.length; s++) refs[s] = app.appendRef(refs[s]!, T0 + i * 1000, (v += 1 + (i % 7) * 0.25));
    if (i % 50 === 49) app.commit();
  }
  app.commit();
  const st = store.stats();
  assert.ok(st.droppedChunks > 0);
  assert.ok(st.droppedSamples >= st.droppedChunks);
  assert.ok(st.memory.totalBytes <= 200_000, `${st.memory.totalBytes}`);
  assert.equal(st.samples, st.appendedSamples - st.droppedSamples);
  const q = store.querier();
  for (const r of refs) {
    const got = q.samples(r, 0, Infinity);
    assert.equal(got.t[got.length - 1], T0 + 1999 * 1000, 'newest kept');
    assert.ok(got.t[0]! > T0, 'oldest dropped');
    // What is left is contiguous: only a prefix was dropped.
    for (let i = 1; i < got.length; i++) assert.equal(got.t[i]! - got.t[i - 1]!, 1000);
  }
});

test('memory accounting grows with data and reports compressed bytes', () => {
  const store = new MemStore();
  const empty = store.memory().totalBytes;
  const app = store.appender();
  let ref: SeriesRef = app.ref(calls({ pod: 'p' }));
  const m1 = store.memory();
  assert.ok(m1.indexBytes > 0 && m1.totalBytes > empty);
  for (let i = 0; i < 600; i++) ref = app.appendRef(ref, T0 + i * 15000, i);
  app.commit();
  const m2 = store.memory();
  assert.ok(m2.chunkBytes > 0 && m2.totalBytes > m1.totalBytes);
  assert.equal(m2.totalBytes, m2.chunkBytes + m2.chunkOverheadBytes + m2.indexBytes);
});

test('a query range keeps only the series with samples in it', () => {
  const store = new MemStore();
  const app = store.appender();
  app.append(calls({ pod: 'early' }), T0, 1);
  app.append(calls({ pod: 'late' }), T0 + 10 * MIN, 1);
  app.commit();
  const q = store.querier();
  assert.equal(q.select([eq('__name__', 'function_calls_total')]).length, 2);
  assert.equal(q.select([eq('__name__', 'function_calls_total')], T0 + MIN, T0 + 20 * MIN).length, 1);
});

test('latest() gives the newest sample without decoding, staleness included', () => {
  const store = new MemStore({ samplesPerChunk: 4 });
  const app = store.appender();
  let ref: SeriesRef = app.ref(calls({ pod: 'p' }));
  const q = store.querier();
  assert.equal(q.latest(ref), undefined);
  for (let i = 0; i < 8; i++) ref = app.appendRef(ref, T0 + i * 1000, i * 1.5);
  app.commit();
  assert.deepEqual(q.latest(ref), { t: T0 + 7000, v: 10.5, stale: false });
  app.appendStale(ref, T0 + 8000);
  app.commit();
  const last = q.latest(ref)!;
  assert.equal(last.t, T0 + 8000);
  assert.ok(last.stale && Number.isNaN(last.v));
});
