import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReorderBuffer } from '../../collector/src/cli/reorder.ts';
import type { TailRecord } from '../../collector/src/events/records.ts';
import { line } from '../support/records.ts';

const T = 1_900_000_000_000;
const WINDOW = 1000;

function harness(windowMs = WINDOW) {
  const out: string[] = [];
  const buf = new ReorderBuffer(windowMs, (r) => out.push((r as { text: string }).text));
  const at = (pod: string, time: number, text: string): TailRecord => line(text, { pod, time });
  return { out, buf, at };
}

test('within the first window only the window counts: backlogs of several pods merge in time order', () => {
  const { out, buf, at } = harness();
  buf.push(at('a', T + 1, 'a1'), 0);
  buf.push(at('a', T + 3, 'a3'), 0);
  buf.tick(10);
  assert.deepEqual(out, [], 'pod b may still send older lines');
  buf.push(at('b', T + 2, 'b2'), 20);
  buf.tick(WINDOW);
  assert.deepEqual(out, ['a1', 'b2', 'a3']);
});

test('after the first window, one sending pod: its lines go out at once', () => {
  const { out, buf, at } = harness();
  buf.push(at('a', T, 'a0'), 0);
  buf.tick(WINDOW);
  assert.deepEqual(out, ['a0']);
  buf.push(at('a', T + 1500, 'a1'), 1500);
  buf.tick(1500);
  assert.deepEqual(out, ['a0', 'a1'], 'no wait for the window');
});

test('two sending pods: a line waits until the other pod has passed its time, or for the window', () => {
  const { out, buf, at } = harness();
  buf.push(at('a', T, 'a0'), 0);
  buf.push(at('b', T, 'b0'), 500);
  buf.tick(WINDOW);
  assert.deepEqual(out, ['a0', 'b0']);
  buf.push(at('a', T + 1200, 'a1'), 1300);
  buf.tick(1300);
  assert.deepEqual(out, ['a0', 'b0'], 'b, heard from within the window, may still send something older');
  buf.push(at('b', T + 1100, 'b1'), 1350);
  buf.push(at('b', T + 1250, 'b2'), 1360);
  buf.tick(1360);
  assert.deepEqual(out, ['a0', 'b0', 'b1', 'a1'], 'b passed a1: a1 goes out in order, b2 waits for a');
  buf.tick(1360 + WINDOW);
  assert.deepEqual(out, ['a0', 'b0', 'b1', 'a1', 'b2'], 'the window bounds the wait');
});

test('a pod quiet for the window holds nobody back', () => {
  const { out, buf, at } = harness();
  buf.push(at('a', T, 'a0'), 0);
  buf.push(at('b', T, 'b0'), 0);
  buf.tick(WINDOW);
  buf.push(at('a', T + 2500, 'a1'), 2500);
  buf.tick(2500);
  assert.deepEqual(out, ['a0', 'b0', 'a1'], 'b last sent 2.5 s ago');
});

test('window 0 turns ordering off, an infinite window (no --follow) holds everything until flush', () => {
  const off = harness(0);
  off.buf.push(off.at('a', T + 5, 'late'), 0);
  off.buf.push(off.at('b', T + 1, 'early'), 0);
  assert.deepEqual(off.out, ['late', 'early']);

  const all = harness(Infinity);
  all.buf.push(all.at('a', T + 5, 'a5'), 0);
  all.buf.push(all.at('a', T + 6, 'a6'), 0);
  all.buf.tick(1e9);
  assert.deepEqual(all.out, []);
  all.buf.push(all.at('b', T + 1, 'b1'), 1e9);
  all.buf.flush();
  assert.deepEqual(all.out, ['b1', 'a5', 'a6']);
  assert.equal(all.buf.size, 0);
});
