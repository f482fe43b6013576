/**
 * Exposition parser throughput on realistic Kubeless payloads, against a plain scan that only splits
 * the same payload into lines, in the same run. Run: node bench/exposition-parser.ts
 */
import { ExpositionParser } from '../collector/src/scrape/parse/index.ts';
import { newTarget, render, tick } from './kubeless-payload.ts';

const METHODS = 22; // ~500 series per body, as in the 200 targets × 500 series
const BODIES = 50;
const RUN_MS = 4000;
const TRIALS = 8;

const bodies: string[] = [];
const target = newTarget(METHODS, 7);
for (let i = 0; i < BODIES; i++) {
  tick(target);
  // As the scrape loop gets it: decoded from the response bytes.
  bodies.push(Buffer.from(render(target), 'utf8').toString('utf8'));
}
const bytesPerRound = bodies.reduce((a, b) => a + Buffer.byteLength(b), 0);
const samplesPerBody = bodies[0]!.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;

interface Result {
  name: string;
  mbps: number;
  nsPerSample: number;
}

/** Best of several short trials, the methods interleaved, so a busy machine hurts all alike. */
function measureAll(methods: Array<[string, (body: string) => number]>): Result[] {
  let sink = 0;
  for (const [, fn] of methods) for (let i = 0; i < 20; i++) for (const b of bodies) sink += fn(b);
  const best = methods.map(() => Infinity);
  for (let trial = 0; trial < TRIALS; trial++) {
    methods.forEach(([, fn], m) => {
      let rounds = 0;
      const start = process.hrtime.bigint();
      let elapsed = 0;
      while (elapsed < RUN_MS / TRIALS) {
        for (const b of bodies) sink += fn(b);
        rounds++;
        elapsed = Number(process.hrtime.bigint() - start) / 1e6;
      }
      best[m] = Math.min(best[m]!, elapsed / rounds);
    });
  }
  if (sink === -1) console.log('');
  return methods.map(([name], m) => ({
    name,
    mbps: bytesPerRound / 1e6 / (best[m]! / 1000),
    nsPerSample: (best[m]! * 1e6) / (BODIES * samplesPerBody),
  }));
}

const splitLines = (b: string): number => b.split('\n').length;
const scanLines = (b: string): number => {
  let n = 0;
  let i = b.indexOf('\n');
  while (i !== -1) {
    n++;
    i = b.indexOf('\n', i + 1);
  }
  return n;
};
const parser = new ExpositionParser();
const parseHot = (b: string): number => {
  parser.reset(b);
  let n = 0;
  while (parser.next()) n += parser.series.length + (parser.timestampMs ?? 0) + (parser.value > 0 ? 1 : 0);
  return n;
};
const parseLabels = (b: string): number => {
  parser.reset(b);
  let n = 0;
  while (parser.next()) n += parser.name.length + parser.labelsFlat().length;
  return n;
};

const results = measureAll([
  ['split into lines (String.split)', splitLines],
  ['scan lines (indexOf loop)', scanLines],
  ['parse: value + series key (scrape loop path)', parseHot],
  ['parse: + name and labels for every sample', parseLabels],
]);
const ref = results[0]!;
console.log(`payload: ${BODIES} bodies, ${(bytesPerRound / BODIES / 1024).toFixed(1)} KiB and ${samplesPerBody} samples each`);
console.log('| method | MB/s | ns/sample | ratio to split |');
console.log('| --- | ---: | ---: | ---: |');
for (const r of results) console.log(`| ${r.name} | ${r.mbps.toFixed(0)} | ${r.nsPerSample.toFixed(0)} | ${(r.mbps / ref.mbps).toFixed(2)} |`);
