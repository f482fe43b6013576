import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_FRAME_ROWS, TailStore } from '../../../../collector/src/ui/app/tail/store.ts';
import type { TailRecord } from '../../../../collector/src/ui/app/wire.ts';
import { exception, line } from '../../../support/records.ts';

const frames = (n: number, inApp = false) => Array.from({ length: n }, (_, i) => ({ file: `/app/f${i}.py`, line: i + 1, function: `fn${i}`, inApp }));
const kinds = (s: TailStore): string[] => Array.from({ length: s.length }, (_, i) => s.at(i)!.kind);
const texts = (s: TailStore): string[] => Array.from({ length: s.length }, (_, i) => {
  const r = s.at(i)!.rec;
  return r.kind === 'line' ? r.text : r.kind;
});

test('keeps rows in time order when records from different pods arrive late', () => {
  const s = new TailStore();
  const t = 1_900_000_000_000;
  s.add([line('b', { time: t + 20, pod: 'p1' }), line('d', { time: t + 40, pod: 'p2' })]);
  s.add([line('a', { time: t + 10, pod: 'p2' }), line('c', { time: t + 30, pod: 'p1' }), line('e', { time: t + 50, pod: 'p1' })]);
  assert.deepEqual(texts(s), ['a', 'b', 'c', 'd', 'e']);
});

test('an exception is one block: head, frames, causes; it folds to its head and unfolds again', () => {
  const s = new TailStore();
  s.add([line('before'), exception('KeyError', { frames: frames(3), causes: [{ type: 'ValueError', message: 'x' }] }), line('after')]);
  assert.deepEqual(kinds(s), ['line', 'head', 'frame', 'frame', 'frame', 'cause', 'line']);
  assert.equal(s.toggle(1), -4);
  assert.deepEqual(kinds(s), ['line', 'head', 'line']);
  assert.equal(s.isExpanded(s.at(1)!.rec), false);
  assert.equal(s.toggle(1), 4);
  assert.deepEqual(kinds(s), ['line', 'head', 'frame', 'frame', 'frame', 'cause', 'line']);
  assert.equal(s.toggle(0), 0, 'a line does not fold');
  assert.equal(s.headOf(4), 1);
});

test('long traces show their first frames and a count of the rest; frameless ones their raw lines', () => {
  const s = new TailStore();
  s.add([exception('RecursionError', { frames: frames(MAX_FRAME_ROWS + 12) })]);
  assert.equal(s.length, 1 + MAX_FRAME_ROWS + 1);
  assert.equal(s.at(s.length - 1)!.text, '… 12 more frames');
  const t = new TailStore();
  t.add([exception('KeyError', { frames: [], lines: ['Traceback (most recent call last):', '  File "x"', "KeyError: 'term'"] })]);
  assert.deepEqual(Array.from({ length: t.length }, (_, i) => t.at(i)!.text ?? t.at(i)!.kind), ['head', '  File "x"', "KeyError: 'term'"]);
});

test('memory is bounded: past maxRows the oldest rows go and are counted', () => {
  const s = new TailStore(50);
  const recs: TailRecord[] = Array.from({ length: 200 }, (_, i) => line(`l${i}`));
  for (let i = 0; i < 200; i += 7) s.add(recs.slice(i, i + 7));
  assert.equal(s.length, 50);
  assert.equal(s.evictedRows, 150);
  assert.deepEqual(texts(s).slice(0, 2), ['l150', 'l151']);
  assert.equal(texts(s).at(-1), 'l199');
  assert.equal(s.received, 200);
});

test('eviction drops whole blocks, never the head of a block without its frames', () => {
  const s = new TailStore(6);
  s.add([line('x'), exception('E', { frames: frames(4) })]);
  s.add([line('y'), line('z')]);
  // 1 + 5 + 2 = 8 rows > 6: the line and the whole 5-row block go together.
  assert.deepEqual(kinds(s), ['line', 'line']);
  assert.ok(['line', 'gap', 'head'].includes(kinds(s)[0]!));
});

test('clear empties the view', () => {
  const s = new TailStore();
  s.add([line('a')]);
  const v = s.version;
  s.clear();
  assert.equal(s.length, 0);
  assert.ok(s.version > v);
});
