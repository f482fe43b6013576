import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReorderBuffer } from '../../collector/src/cli/reorder.ts';
import { line } from '../support/records.ts';

/** One clock for record times and arrivals: T is when the test starts. */
const T = 1_900_000_000_000;
const WINDOW = 1000;

function harness(windowMs = WINDOW, warmupMs?: number) {
  const out: string[] = [];
  const buf = new ReorderBuffer(windowMs, (r) => out.push((r as { text: string }).text), warmupMs);
  /** A record of `pod` written at T + time, arriving at T + arrival. */
  const push = (pod: string, time: number, arrival: number, text: string): void => buf.push(line(text, { pod, time: T + time }), T + arrival);
  const tick = (at: number): void => buf.tick(T + at);
  return { out, buf, push, tick };
}

/** Past the first window, with pods a and b both heard from and delivering within `delay` ms. */
function warmed(delayA: number, delayB: number) {
  const h = harness();
  h.push('a', 0, delayA, 'a0');
  h.push('b', 0, delayB, 'b0');
  h.tick(WINDOW + Math.max(delayA, delayB));
  assert.deepEqual(h.out, ['a0', 'b0']);
  return h;
}

test('within the first window only the window counts: backlogs of several pods merge in time order', () => {
  const h = harness();
  h.push('a', -500, 0, 'a1');
  h.push('a', -300, 0, 'a3');
  h.tick(10);
  assert.deepEqual(h.out, [], 'pod b may still send older lines');
  h.push('b', -400, 20, 'b2');
  h.tick(WINDOW);
  assert.deepEqual(h.out, ['a1', 'b2', 'a3']);
});

test('with no warm-up (a collector sends its history merged) the rules apply from the first record', () => {
  const h = harness(WINDOW, 0);
  h.push('a', -500, 0, 'a-history');
  h.push('b', -400, 0, 'b-history');
  h.tick(0);
  assert.deepEqual(h.out, ['a-history'], 'b passed a-history; b-history waits for a or the window');
  h.push('a', 20, 40, 'a-live');
  h.tick(40);
  assert.deepEqual(h.out, ['a-history', 'b-history'], "a passed b-history; a-live waits for b, whose lines came 400 ms late");
  h.tick(419);
  assert.deepEqual(h.out, ['a-history', 'b-history']);
  h.tick(420);
  assert.deepEqual(h.out, ['a-history', 'b-history', 'a-live']);
});

test('after the first window, one sending pod: its lines go out at once', () => {
  const h = harness();
  h.push('a', 0, 30, 'a0');
  h.tick(WINDOW + 30);
  assert.deepEqual(h.out, ['a0']);
  h.push('a', 1500, 1530, 'a1');
  h.tick(1530);
  assert.deepEqual(h.out, ['a0', 'a1'], 'no wait for the window');
});

test('two prompt pods: a line waits only as long as the other pod takes to deliver', () => {
  const h = warmed(30, 40);
  h.push('b', 1200, 1240, 'b1');
  h.push('a', 1500, 1530, 'a1');
  h.tick(1530);
  assert.deepEqual(h.out, ['a0', 'b0', 'b1'], 'b delivers up to 40 ms late: it may still send a line older than a1');
  h.tick(1539);
  assert.deepEqual(h.out, ['a0', 'b0', 'b1']);
  h.tick(1540);
  assert.deepEqual(h.out, ['a0', 'b0', 'b1', 'a1'], 'by 40 ms after a1 was written nothing older can come from b');
});

test('a pod that delivers late (a trace its assembler held) holds the others back by that much, or until it passes their time', () => {
  const h = warmed(30, 600);
  h.push('b', 1100, 1150, 'b1');
  h.push('a', 1500, 1530, 'a1');
  h.tick(1530);
  assert.deepEqual(h.out, ['a0', 'b0', 'b1']);
  h.tick(2099);
  assert.deepEqual(h.out, ['a0', 'b0', 'b1'], 'b may deliver up to 600 ms late');
  h.tick(2100);
  assert.deepEqual(h.out, ['a0', 'b0', 'b1', 'a1']);

  const passed = warmed(30, 600);
  passed.push('b', 1100, 1150, 'b1');
  passed.push('a', 1500, 1530, 'a1');
  passed.push('b', 1520, 1560, 'b2');
  passed.tick(1560);
  assert.deepEqual(passed.out, ['a0', 'b0', 'b1', 'a1', 'b2'], 'b passed a1, and a (30 ms) cannot precede b2 any more');
});

test('a late delivery counts for five to ten seconds, then the pod is trusted to be prompt again', () => {
  const h = warmed(30, 700);
  // b keeps sending, promptly now, for long enough that the 700 ms delay ages out
  for (let t = 1000; t <= 12_000; t += 500) h.push('b', t, t + 20, `b@${t}`);
  h.tick(12_020);
  const before = h.out.length;
  h.push('a', 12_125, 12_130, 'a-late');
  h.tick(12_144);
  assert.equal(h.out.length, before, 'b may still deliver something older within 20 ms of writing it');
  h.tick(12_145);
  assert.equal(h.out.at(-1), 'a-late', 'not 700 ms: that delay is ten seconds old');
});

test('lines later than the window (a new pod\'s start-up backlog) do not make the others wait', () => {
  const h = warmed(30, 40);
  h.push('c', -2000, 1200, 'c-backlog'); // written 3.2 s before it arrived
  h.push('c', 1150, 1210, 'c1');
  h.push('a', 1500, 1530, 'a1');
  h.push('b', 1490, 1530, 'b1');
  h.tick(1570);
  assert.deepEqual(h.out.slice(2), ['c-backlog', 'c1', 'b1', 'a1'], 'c delivers within 60 ms otherwise: a1 waits 60 ms at most, not the window');
});

test('a pod whose clock runs behind makes the others wait for the window, as without the delays', () => {
  const h = harness();
  h.push('a', 0, 30, 'a0');
  h.push('b', -5000, 40, 'b0'); // b's clock is 5 s behind: its lines look 5 s older than a's
  h.tick(WINDOW + 40);
  assert.deepEqual(h.out, ['b0', 'a0']);
  h.push('b', -3700, 1340, 'b1');
  h.push('a', 1500, 1530, 'a1');
  h.tick(1530);
  assert.deepEqual(h.out, ['b0', 'a0', 'b1'], "b's lines go out in its order");
  h.push('b', -3240, 1800, 'b2');
  h.push('b', -2840, 2200, 'b3');
  h.tick(1530 + WINDOW - 1);
  assert.deepEqual(h.out, ['b0', 'a0', 'b1', 'b2', 'b3'], 'by the clocks b, still sending, is always behind a1');
  h.tick(1530 + WINDOW);
  assert.deepEqual(h.out, ['b0', 'a0', 'b1', 'b2', 'b3', 'a1']);
});

test('a pod quiet for the window holds nobody back', () => {
  const h = warmed(30, 600);
  h.push('a', 2500, 2530, 'a1');
  h.tick(2530);
  assert.deepEqual(h.out, ['a0', 'b0', 'a1'], 'b last sent 1.9 s ago');
});

test('window 0 turns ordering off, an infinite window (no --follow) holds everything until flush', () => {
  const off = harness(0);
  off.push('a', 5, 10, 'late');
  off.push('b', 1, 10, 'early');
  assert.deepEqual(off.out, ['late', 'early']);

  const all = harness(Infinity);
  all.push('a', 5, 10, 'a5');
  all.push('a', 6, 10, 'a6');
  all.tick(1e9);
  assert.deepEqual(all.out, []);
  all.push('b', 1, 1e9, 'b1');
  all.buf.flush();
  assert.deepEqual(all.out, ['b1', 'a5', 'a6']);
  assert.equal(all.buf.size, 0);
});
