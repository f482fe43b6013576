/**
 * The scrape loop's ingest path without the network: ScrapeLoop.scrapeNow() on Python-runtime-shaped
 * bodies served by an in-memory fetch (parse, series cache, store append and commit, per-function
 * totals, staleness bookkeeping), against the parser alone and a plain line split of the same bodies,
 * in the same run. Run: node bench/scrape-loop.ts [--targets 50 --series 500 --scrapes 60]
 */
import { parseArgs } from 'node:util';
import { FunctionStats } from '../collector/src/aggregate/index.ts';
import { ExpositionParser } from '../collector/src/scrape/parse/index.ts';
import { DEFAULT_SCRAPE_LIMITS } from '../collector/src/scrape/limits.ts';
import { ScrapeLoop } from '../collector/src/scrape/loop.ts';
import { Semaphore } from '../collector/src/scrape/semaphore.ts';
import { MemStore } from '../collector/src/store/index.ts';
import { ManualClock } from '../collector/src/util/manual-clock.ts';
import { methodsFor, newPythonTarget, renderPython, seriesFor, tickPython } from './support/python-payload.ts';

const { values: a } = parseArgs({ options: { targets: { type: 'string' }, series: { type: 'string' }, scrapes: { type: 'string' } } });
const TARGETS = Number(a.targets ?? 50);
const METHODS = methodsFor(Number(a.series ?? 500));
const SCRAPES = Number(a.scrapes ?? 60);
const INTERVAL = 1000;

// Bodies rendered up front: scrape k of target i gets bodies[i][k].
const bodies: string[][] = [];
for (let i = 0; i < TARGETS; i++) {
  const s = newPythonTarget(METHODS, i + 1);
  const list: string[] = [];
  for (let k = 0; k < SCRAPES; k++) {
    tickPython(s);
    list.push(renderPython(s));
  }
  bodies.push(list);
}
const bytesPerRound = bodies.reduce((n, l) => n + Buffer.byteLength(l[0]!), 0);

interface Setup {
  store: MemStore;
  loops: ScrapeLoop[];
  clock: ManualClock;
  round: { k: number };
}

function setup(): Setup {
  const clock = new ManualClock();
  const store = new MemStore();
  const stats = new FunctionStats();
  const semaphore = new Semaphore(64);
  const round = { k: 0 };
  const loops = bodies.map((list, i) => {
    const fetch = (): Promise<Response> => Promise.resolve(new Response(list[round.k], { headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' } }));
    return new ScrapeLoop({
      target: { key: `file:t:${i}`, url: `http://127.0.0.1:${9000 + i}/metrics`, labels: [['function', `fn-${i >> 2}`], ['namespace', 'default'], ['pod', `fn-${i >> 2}-7d9c8b6f5-x${i}`], ['runtime', 'python3.8']], namespace: 'default', function: `fn-${i >> 2}`, podStartMs: null, terminating: false },
      intervalMs: INTERVAL, timeoutMs: INTERVAL, fetch, clock, store, stats, limits: DEFAULT_SCRAPE_LIMITS, semaphore,
      metrics: { scrape: () => undefined, badLines: () => undefined }, watchStart: clock.now(),
    });
  });
  return { store, loops, clock, round };
}

async function measureLoop(): Promise<{ nsPerSample: number; samples: number; store: MemStore }> {
  const ctx = setup();
  // First round creates every series: not what a steady scrape costs.
  for (const l of ctx.loops) await l.scrapeNow();
  const appended0 = ctx.store.stats().appendedSamples;
  const t0 = process.hrtime.bigint();
  for (let k = 1; k < SCRAPES; k++) {
    ctx.round.k = k;
    ctx.clock.advance(INTERVAL);
    for (const l of ctx.loops) await l.scrapeNow();
  }
  const ns = Number(process.hrtime.bigint() - t0);
  const samples = ctx.store.stats().appendedSamples - appended0;
  return { nsPerSample: ns / samples, samples, store: ctx.store };
}

function measureParse(): { nsPerSample: number; mbps: number } {
  const p = new ExpositionParser();
  let n = 0;
  const t0 = process.hrtime.bigint();
  for (let k = 1; k < SCRAPES; k++) {
    for (const list of bodies) {
      p.reset(list[k]!);
      while (p.next()) n++;
    }
  }
  const ns = Number(process.hrtime.bigint() - t0);
  return { nsPerSample: ns / n, mbps: (bytesPerRound * (SCRAPES - 1)) / 1e6 / (ns / 1e9) };
}

function measureSplit(): { mbps: number } {
  let n = 0;
  const t0 = process.hrtime.bigint();
  for (let k = 1; k < SCRAPES; k++) for (const list of bodies) n += list[k]!.split('\n').length;
  const ns = Number(process.hrtime.bigint() - t0);
  if (n < 0) console.log(n);
  return { mbps: (bytesPerRound * (SCRAPES - 1)) / 1e6 / (ns / 1e9) };
}

console.log(`scrape loop: ${TARGETS} targets × ${seriesFor(METHODS)} series, ${SCRAPES} scrapes each (best of 3)`);
let best = { loop: Infinity, parse: Infinity, parseMbps: 0, splitMbps: 0 };
for (let trial = 0; trial < 3; trial++) {
  const l = await measureLoop();
  const p = measureParse();
  const s = measureSplit();
  best = { loop: Math.min(best.loop, l.nsPerSample), parse: Math.min(best.parse, p.nsPerSample), parseMbps: Math.max(best.parseMbps, p.mbps), splitMbps: Math.max(best.splitMbps, s.mbps) };
}
console.log(`line split only        ${best.splitMbps.toFixed(0).padStart(6)} MB/s`);
console.log(`parser only            ${best.parseMbps.toFixed(0).padStart(6)} MB/s  ${best.parse.toFixed(0).padStart(5)} ns/sample  (${(best.parseMbps / best.splitMbps).toFixed(2)} × split)`);
console.log(`scrape loop (no HTTP)                ${best.loop.toFixed(0).padStart(5)} ns/sample  (${(best.loop / best.parse).toFixed(2)} × parser)`);
