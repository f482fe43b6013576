/**
 * Store benchmark: bytes per stored sample after compression on realistic moving Kubeless counters
 * and histograms, append CPU per sample, and resident bytes per active series, next to the figures
 * the issue quotes for Prometheus. Run: node bench/store.ts
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { ExpositionParser } from '../collector/src/scrape/parse/index.ts';
import { MemStore, labelsFromPairs, type SeriesRef } from '../collector/src/store/index.ts';
import { newTarget, render, tick } from './kubeless-payload.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TARGETS = 10;
const METHODS = 22; // 445 series per target
const TICKS = 480; // 2 h at 15 s
const INTERVAL = 15_000;
const T0 = Date.UTC(2026, 10, 22);
const PROM_BYTES_PER_SAMPLE = 1.6;
const PROM_BYTES_PER_SERIES = 3600;

/** Values per target per tick, in the target's series order, and each target's label sets. */
function scrapes(): { labels: string[][][]; values: Float64Array[][] } {
  const parser = new ExpositionParser();
  const labels: string[][][] = [];
  const values: Float64Array[][] = [];
  for (let tg = 0; tg < TARGETS; tg++) {
    const state = newTarget(METHODS, tg + 1);
    const target: Array<[string, string]> = [['namespace', 'default'], ['function', `fn-${tg}`], ['pod', `fn-${tg}-7d9c8b6f5-x${tg}k2p`], ['runtime', 'python3.8']];
    const perTick: Float64Array[] = [];
    for (let k = 0; k < TICKS; k++) {
      tick(state);
      parser.reset(render(state));
      const v: number[] = [];
      const first = k === 0;
      if (first) labels.push([]);
      while (parser.next()) {
        v.push(parser.value);
        if (first) labels[tg]!.push(labelsFromPairs([...parser.labels(), ...target], parser.name));
      }
      perTick.push(Float64Array.from(v));
    }
    values.push(perTick);
  }
  return { labels, values };
}

function ingest(data: ReturnType<typeof scrapes>, jitterMs: number): { store: MemStore; nsPerSample: number; samples: number } {
  const store = new MemStore();
  const app = store.appender();
  const refs: SeriesRef[][] = data.labels.map((ls) => ls.map((l) => app.ref(l)));
  app.commit();
  let seed = 1;
  const rand = (): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  let samples = 0;
  const start = process.hrtime.bigint();
  for (let k = 0; k < TICKS; k++) {
    for (let tg = 0; tg < TARGETS; tg++) {
      const t = T0 + k * INTERVAL + (jitterMs > 0 ? Math.floor(rand() * jitterMs) : 0);
      const r = refs[tg]!;
      const v = data.values[tg]![k]!;
      const a = store.appender();
      for (let i = 0; i < r.length; i++) r[i] = a.appendRef(r[i]!, t, v[i]!);
      samples += a.commit().appended;
    }
  }
  const ns = Number(process.hrtime.bigint() - start);
  return { store, nsPerSample: ns / samples, samples };
}

function residentPerSeries(n: number, samplesEach: number): { measured: number; accounted: number } {
  gc();
  const before = process.memoryUsage();
  const store = new MemStore();
  const app = store.appender();
  const refs: SeriesRef[] = [];
  for (let i = 0; i < n; i++) {
    const fn = `fn-${i % 200}`;
    refs.push(app.ref(labelsFromPairs([['le', ['0.005', '0.05', '0.5', '5.0', '+Inf'][i % 5]!], ['method', `handler-GET-${(i / 5) % 20 | 0}`], ['namespace', 'default'], ['function', fn], ['pod', `${fn}-7d9c8b6f5-${(i / 100) | 0}`], ['runtime', 'python3.8']], 'function_duration_seconds_bucket')));
  }
  app.commit();
  let v = 0;
  for (let k = 0; k < samplesEach; k++) {
    const a = store.appender();
    for (let i = 0; i < n; i++) a.appendRef(refs[i]!, T0 + k * INTERVAL, (v += i % 3));
    a.commit();
  }
  gc();
  const after = process.memoryUsage();
  const measured = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / n;
  const accounted = store.memory().totalBytes / n;
  if (store.seriesCount !== n) throw new Error('lost series');
  return { measured, accounted };
}

const data = scrapes();
const aligned = ingest(data, 0);
const jittered = ingest(data, 25);
const bpsAligned = aligned.store.memory().chunkBytes / aligned.store.stats().samples;
const bpsJitter = jittered.store.memory().chunkBytes / jittered.store.stats().samples;
const res = residentPerSeries(100_000, 8);

const series = data.labels.reduce((a, l) => a + l.length, 0);
console.log(`data: ${TARGETS} targets × ${series / TARGETS} series, ${TICKS} scrapes at 15 s (2 h), ${aligned.samples} samples`);
console.log('| measure | fnscope | reference | ratio |');
console.log('| --- | ---: | ---: | ---: |');
console.log(`| bytes per sample, scrape times on the interval | ${bpsAligned.toFixed(2)} | Prometheus ~${PROM_BYTES_PER_SAMPLE} (goal <= 2) | ${(bpsAligned / PROM_BYTES_PER_SAMPLE).toFixed(2)} |`);
console.log(`| bytes per sample, scrape times jittered 0-25 ms | ${bpsJitter.toFixed(2)} | Prometheus ~${PROM_BYTES_PER_SAMPLE} (goal <= 2) | ${(bpsJitter / PROM_BYTES_PER_SAMPLE).toFixed(2)} |`);
console.log(`| append CPU, ns per sample (appendRef + commit) | ${aligned.nsPerSample.toFixed(0)} | Prometheus ~2000 ns per sample scraped, all stages | ${(aligned.nsPerSample / 2000).toFixed(2)} |`);
console.log(`| resident bytes per active series (100k series, heap + buffers) | ${res.measured.toFixed(0)} | Prometheus ~${PROM_BYTES_PER_SERIES} | ${(res.measured / PROM_BYTES_PER_SERIES).toFixed(2)} |`);
console.log(`| the store's own accounting of the same, per series | ${res.accounted.toFixed(0)} | measured ${res.measured.toFixed(0)} | ${(res.accounted / res.measured).toFixed(2)} |`);
