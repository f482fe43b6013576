/**
 * The web UI's live tail at 1,000 lines/s, measured in Debian chromium: frame times and JS heap
 * while lines stream in, next to the same page idle (the reference), in the same run.
 *
 *   node bench/ui-tail.ts [--rate 1000] [--seconds 10] [--max-rows 5000]
 *
 * The feed goes through the real path from the hub onward: an in-process collector HTTP server (the
 * UI routes, the tail WebSocket endpoint, a TailHub with its batching and per-subscriber queue), and
 * records published into the hub at the given rate. Discovery, scraping and log sources are left out
 * (they are benchmarked elsewhere) so the browser is the only thing measured. The records are real
 * runtime output: lines from testdata/access-logs/python-logs.txt and, as 1 % of records, the
 * traceback of testdata/stacktraces/python/attr-py311 with its parsed frames.
 * The page is the Logs page with a bound of --max-rows rows, so the second half of the run also shows
 * that memory stays flat once the oldest rows start to go.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApiApp } from '../collector/src/api/app.ts';
import { uiRoutes } from '../collector/src/api/routes/ui.ts';
import { listen } from '../collector/src/api/server.ts';
import type { ExceptionRecord, LineRecord, TailRecord } from '../collector/src/events/records.ts';
import { LogBuffer, TailHub, attachTailEndpoint } from '../collector/src/live/index.ts';
import type { Frame } from '../collector/src/stacktrace/types.ts';
import { systemClock } from '../collector/src/util/clock.ts';
import { silentLogger } from '../collector/src/util/logger.ts';
import { buildUi, launchBrowser } from '../test/support/browser.ts';
import { fakeBackend } from '../test/support/fake-backend.ts';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '1000' }, seconds: { type: 'string', default: '10' }, 'max-rows': { type: 'string', default: '5000' } } });
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const MAX_ROWS = Number(values['max-rows']);
const ROOT = join(import.meta.dirname, '..');

// ---- the records ----------------------------------------------------------------------------------
const lines = readFileSync(join(ROOT, 'testdata/access-logs/python-logs.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '');
const traceLines = readFileSync(join(ROOT, 'testdata/stacktraces/python/attr-py311.log'), 'utf8').split('\n').filter((l) => l !== '');
const golden = (JSON.parse(readFileSync(join(ROOT, 'testdata/stacktraces/python/attr-py311.json'), 'utf8')) as Array<{ type: string; message: string; frames: Frame[]; fingerprint: string }>)[0]!;
const PODS = ['bench-7d9c8b6f5-a1b2c', 'bench-7d9c8b6f5-d3e4f', 'bench-7d9c8b6f5-g5h6i', 'bench-7d9c8b6f5-j7k8l'];
let seq = 0;
function record(now: number): TailRecord {
  seq++;
  const base = { seq, time: now, ts: new Date(now).toISOString(), namespace: 'bench', function: 'bench', pod: PODS[seq % PODS.length]!, container: 'bench', stream: 'combined' as const };
  if (seq % 100 === 0) {
    const e: ExceptionRecord = { ...base, kind: 'exception', language: 'python', type: golden.type, message: golden.message, frames: golden.frames, causes: [], fingerprint: golden.fingerprint, lines: traceLines };
    return e;
  }
  const l: LineRecord = { ...base, kind: 'line', text: lines[seq % lines.length]! };
  return l;
}

// ---- the server -----------------------------------------------------------------------------------
await buildUi();
const hub = new TailHub({ clock: systemClock });
const buffer = new LogBuffer();
const app = createApiApp({ backend: fakeBackend([]), logger: silentLogger(), extra: [uiRoutes()] });
const server = await listen(app, { host: '127.0.0.1', port: 0 });
const tail = attachTailEndpoint(server.server, { hub, buffer, clock: systemClock, logger: silentLogger() });
const browser = await launchBrowser();
const page = await browser.context.newPage();
const cdp = await browser.context.newCDPSession(page);
await cdp.send('Performance.enable');

/** Main-thread time (s) the renderer spent on tasks and on script, so far. */
async function busyTime(): Promise<{ task: number; script: number; layout: number }> {
  const m = await cdp.send('Performance.getMetrics');
  const v = (n: string): number => m.metrics.find((x) => x.name === n)?.value ?? NaN;
  return { task: v('TaskDuration'), script: v('ScriptDuration'), layout: v('LayoutDuration') + v('RecalcStyleDuration') };
}

async function heapUsed(gc: boolean): Promise<number> {
  if (gc) await cdp.send('HeapProfiler.collectGarbage');
  const m = await cdp.send('Performance.getMetrics');
  return m.metrics.find((x) => x.name === 'JSHeapUsedSize')?.value ?? NaN;
}

interface FrameLog {
  /** [frame time, interval since the previous frame], page clock (ms). */
  frames: Array<[number, number]>;
  /** [start, duration] of long tasks (> 50 ms), page clock. */
  long: Array<[number, number]>;
}

/** Frame intervals from a requestAnimationFrame loop in the page, and long tasks, over `ms`. */
async function frames(ms: number, during?: () => Promise<void>): Promise<FrameLog> {
  await page.evaluate(() => {
    const f: FrameLog & { last: number; run: boolean } = { frames: [], long: [], last: performance.now(), run: true };
    (window as unknown as { __f: typeof f }).__f = f;
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) f.long.push([e.startTime, e.duration]);
    });
    obs.observe({ type: 'longtask' });
    const tick = (t: number): void => {
      f.frames.push([t, t - f.last]);
      f.last = t;
      if (f.run) requestAnimationFrame(tick);
      else obs.disconnect();
    };
    requestAnimationFrame(tick);
  });
  await Promise.all([new Promise((r) => setTimeout(r, ms)), during?.()]);
  return page.evaluate(() => {
    const f = (window as unknown as { __f: FrameLog & { run: boolean } }).__f;
    f.run = false;
    return { frames: f.frames.slice(1), long: f.long };
  });
}

/** Frame intervals and long tasks outside the given windows (the forced GC of a heap sample). */
function outside(log: FrameLog, skip: Array<[number, number]>): { deltas: number[]; longTasks: number; longTaskMs: number } {
  const hit = (t0: number, t1: number): boolean => skip.some(([a, b]) => t1 >= a && t0 <= b);
  const deltas = log.frames.filter(([t, d]) => !hit(t - d, t)).map(([, d]) => d);
  const long = log.long.filter(([t, d]) => !hit(t, t + d));
  return { deltas, longTasks: long.length, longTaskMs: long.reduce((n, [, d]) => n + d, 0) };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function feed(): Promise<void> {
  const start = Date.now();
  let sent = 0;
  const total = RATE * SECONDS;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - start) / 1000) * RATE));
    const now = Date.now();
    while (sent < due) {
      const r = record(now);
      buffer.add(r);
      hub.publish(r);
      sent++;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}

try {
  await page.goto(`${server.url}/#/logs?namespace=bench&function=bench&scrapes=true&max=${MAX_ROWS}`);
  await page.locator('.tail-status[data-state="live"]').waitFor({ timeout: 15_000 });
  await new Promise((r) => setTimeout(r, 1000));

  // Reference: the same page, connected and idle.
  const idleHeap = await heapUsed(true);
  const idleT0 = await busyTime();
  const idle = outside(await frames(3000), []);
  const idleT1 = await busyTime();

  // Measurement: RATE lines/s for SECONDS s; heap (after a GC) at 60 % of the run, once the bound
  // of MAX_ROWS rows has been reached at the default settings, and at the end.
  // Frames during that forced GC are left out of the statistics (the page's own work is measured).
  let midHeap = NaN;
  const gcWindow: Array<[number, number]> = [];
  const busyT0 = await busyTime();
  const busyLog = await frames(SECONDS * 1000 + 500, async () => {
    const mid = async (): Promise<void> => {
      await new Promise((r) => setTimeout(r, SECONDS * 600));
      const t0 = await page.evaluate(() => performance.now());
      midHeap = await heapUsed(true);
      const t1 = await page.evaluate(() => performance.now());
      gcWindow.push([t0, t1 + 20]);
    };
    await Promise.all([feed(), mid()]);
  });
  const busy = outside(busyLog, gcWindow);
  const busyT1 = await busyTime();
  const endHeap = await heapUsed(false);
  const endHeapGc = await heapUsed(true);
  const status = (await page.locator('.tail-status').textContent()) ?? '';
  const dom = await page.evaluate(() => ({ rowsInDom: document.querySelectorAll('.tail-viewport .tr').length, nodes: document.getElementsByTagName('*').length }));
  const gaps = await page.locator('.tail-viewport .tr.k-gap').count();
  const hubStats = hub.stats();

  const fmt = (n: number): string => n.toFixed(1).padStart(7);
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  console.log(`UI live tail: ${RATE} lines/s for ${SECONDS} s (1 % exceptions), Logs page, bound ${MAX_ROWS} rows, chromium headless 1440x900`);
  console.log('');
  console.log('frame interval (ms)     p50      p95      p99      max   frames  long tasks');
  const row = (name: string, f: ReturnType<typeof outside>): string =>
    `${name.padEnd(20)}${fmt(pct(f.deltas, 50))}  ${fmt(pct(f.deltas, 95))}  ${fmt(pct(f.deltas, 99))}  ${fmt(Math.max(...f.deltas))}  ${String(f.deltas.length).padStart(7)}  ${f.longTasks} (${Math.round(f.longTaskMs)} ms)`;
  console.log(row('idle (reference)', idle));
  console.log(row(`${RATE} lines/s`, busy));
  console.log(`ratio p95 busy/idle: ${(pct(busy.deltas, 95) / pct(idle.deltas, 95)).toFixed(2)}   ratio p99: ${(pct(busy.deltas, 99) / pct(idle.deltas, 99)).toFixed(2)}   frames/s idle ${(idle.deltas.length / 3).toFixed(0)}, busy ${(busy.deltas.length / (SECONDS + 0.5)).toFixed(0)}`);
  const share = (a: { task: number; script: number; layout: number }, b: typeof a, secs: number): string =>
    `${((100 * (b.task - a.task)) / secs).toFixed(1)} % of the main thread (script ${((100 * (b.script - a.script)) / secs).toFixed(1)} %, style+layout ${((100 * (b.layout - a.layout)) / secs).toFixed(1)} %)`;
  console.log(`(${busyLog.frames.length - busy.deltas.length} frames during the forced GC of the 60 % heap sample left out)`);
  console.log(`renderer busy: idle ${share(idleT0, idleT1, 3)} · ${RATE} lines/s ${share(busyT0, busyT1, SECONDS + 0.5)}`);
  console.log('');
  console.log(`JS heap after GC: idle ${mb(idleHeap)} · at 60 % ${mb(midHeap)} · end ${mb(endHeapGc)} (before GC ${mb(endHeap)}) · ratio end/idle ${(endHeapGc / idleHeap).toFixed(2)} · end/60 % ${(endHeapGc / midHeap).toFixed(2)}`);
  console.log(`tail: "${status.trim()}" · ${dom.rowsInDom} row elements in the DOM, ${dom.nodes} elements on the page · ${gaps} gap markers in view`);
  console.log(`hub: delivered ${hubStats.delivered} records in ${hubStats.frames} frames, dropped ${hubStats.dropped}`);
  console.log('');
  console.log('Goal: smooth at 1,000 lines/s: p95 frame interval within 2x of idle, no growth of the heap once the row bound is reached.');
} finally {
  tail.close();
  hub.closeAll(1001, 'bench done');
  await browser.close();
  await server.close();
}
