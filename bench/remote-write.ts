/**
 * Remote-write encoding throughput: samples per second through the queue's per-batch work (grouping
 * by series, protobuf WriteRequest encoding, snappy compression), next to JSON.stringify of the same
 * samples as an in-run reference, on one core.
 *
 *   node bench/remote-write.ts [--series 5000] [--scrapes 40] [--batch 2000] [--rounds 5]
 *
 * The samples: `--series` series shaped like scraped function metrics (7 labels, fnscope's target
 * labels included), `--scrapes` samples each 15 s apart, in scrape order, cut into batches of
 * `--batch` like the queue does. "warm" reuses each series' encoded labels (the steady state: a series
 * is encoded once); "cold" encodes every series' labels again for each batch.
 */
import { parseArgs } from 'node:util';
import { compress } from 'snappyjs';
import { Batch, type SeriesInfo } from '../collector/src/remote-write/batch.ts';
import { encodeLabels, encodeWriteRequest } from '../collector/src/remote-write/write-request.ts';

const { values } = parseArgs({ options: { series: { type: 'string', default: '5000' }, scrapes: { type: 'string', default: '40' }, batch: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '5' } } });
const nSeries = Number(values.series);
const nScrapes = Number(values.scrapes);
const batchSize = Number(values.batch);
const rounds = Number(values.rounds);

const names = ['function_calls_total', 'function_failures_total', 'function_duration_seconds_bucket', 'process_resident_memory_bytes', 'up'];
const infos: SeriesInfo[] = [];
for (let i = 0; i < nSeries; i++) {
  const fn = `fn-${i % 97}`;
  const labels = [
    '__name__', names[i % names.length]!,
    'function', fn,
    'le', String([0.005, 0.01, 0.05, 0.1, 0.5, 1, 5][i % 7]),
    'method', i % 3 === 0 ? 'POST' : 'GET',
    'namespace', `team-${i % 11}`,
    'pod', `${fn}-7d9f8b6c5-${(i * 7919).toString(36).slice(-5)}`,
    'runtime', ['python3.8', 'nodejs14', 'go1.14', 'ruby2.6'][i % 4]!,
  ];
  infos.push({ labels, key: labels.join('\xff'), shard: 0, bytes: undefined });
}
const t0 = 1_800_000_000_000;
const batches: Batch[] = [];
let cur = new Batch(batchSize, 0);
for (let s = 0; s < nScrapes; s++) {
  for (let i = 0; i < nSeries; i++) {
    cur.push(infos[i]!, t0 + s * 15_000, i % 5 === 0 ? s * 3 + i : (i * 0.37 + s) * 1.5, 0);
    if (cur.full) {
      batches.push(cur);
      cur = new Batch(batchSize, 0);
    }
  }
}
if (cur.n > 0) batches.push(cur);
const total = nSeries * nScrapes;

function json(): number {
  let bytes = 0;
  for (const b of batches) {
    const rows = [];
    for (let i = 0; i < b.n; i++) {
      const l = b.info[i]!.labels;
      const rec: Record<string, string> = {};
      for (let k = 0; k < l.length; k += 2) rec[l[k]!] = l[k + 1]!;
      rows.push({ labels: rec, t: b.t[i], v: b.v[i] });
    }
    bytes += JSON.stringify(rows).length;
  }
  return bytes;
}

function remoteWrite(warm: boolean): { raw: number; compressed: number } {
  let raw = 0;
  let compressed = 0;
  const encode = warm ? (info: SeriesInfo): Uint8Array => (info.bytes ??= encodeLabels(info.labels)) : (info: SeriesInfo): Uint8Array => encodeLabels(info.labels);
  for (const b of batches) {
    const body = encodeWriteRequest(b.series(encode), b);
    raw += body.length;
    compressed += compress(body).length;
  }
  return { raw, compressed };
}

function measure<T>(fn: () => T): { sec: number; out: T } {
  fn();
  const times: number[] = [];
  let out!: T;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    out = fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return { sec: times[Math.floor(times.length / 2)]!, out };
}

console.log(`remote write: ${nSeries} series x ${nScrapes} samples = ${total} samples in ${batches.length} batches of <= ${batchSize}; median of ${rounds} rounds`);
const ref = measure(json);
const warm = measure(() => remoteWrite(true));
const cold = measure(() => remoteWrite(false));
const rate = (sec: number): string => `${(total / sec / 1e6).toFixed(2)} M samples/s`;
console.log(`  reference JSON.stringify            ${rate(ref.sec).padStart(18)}   ${(ref.out / total).toFixed(1)} bytes/sample`);
console.log(`  protobuf + snappy, labels cached    ${rate(warm.sec).padStart(18)}   ${(warm.out.raw / total).toFixed(1)} bytes/sample raw, ${(warm.out.compressed / total).toFixed(1)} compressed`);
console.log(`  protobuf + snappy, labels each time ${rate(cold.sec).padStart(18)}`);
console.log(`  ratio warm/JSON: ${(ref.sec / warm.sec).toFixed(2)}x the reference's throughput; cold/JSON: ${(ref.sec / cold.sec).toFixed(2)}x`);
console.log(`  request bytes vs JSON: ${((warm.out.compressed / ref.out) * 100).toFixed(1)} %`);
