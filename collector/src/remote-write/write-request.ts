/**
 * Prometheus remote-write 1.0 messages (prompb), hand-encoded:
 *
 *   message WriteRequest { repeated TimeSeries timeseries = 1; }
 *   message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   message Label        { string name = 1; string value = 2; }
 *   message Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: ms since the epoch
 *
 * (WriteRequest's metadata = 3 and TimeSeries' exemplars / histograms are not sent.)
 */
import type { Labels } from '../store/index.ts';
import { ProtoReader, ProtoWriter, varintSize } from './proto-writer.ts';

const LEN = 2;

/** A series' labels as the bytes of its repeated `Label` fields (encode once per series, reuse). */
export function encodeLabels(labels: Labels): Uint8Array {
  let size = 0;
  const lens = new Array<number>(labels.length);
  for (let i = 0; i < labels.length; i += 2) {
    const nl = (lens[i] = Buffer.byteLength(labels[i]!, 'utf8'));
    const vl = (lens[i + 1] = Buffer.byteLength(labels[i + 1]!, 'utf8'));
    const inner = 1 + varintSize(nl) + nl + 1 + varintSize(vl) + vl;
    size += 1 + varintSize(inner) + inner;
  }
  const w = new ProtoWriter(size);
  for (let i = 0; i < labels.length; i += 2) {
    const nl = lens[i]!;
    const vl = lens[i + 1]!;
    w.tag(1, LEN);
    w.varint(1 + varintSize(nl) + nl + 1 + varintSize(vl) + vl);
    w.tag(1, LEN);
    w.varint(nl);
    w.utf8(labels[i]!, nl);
    w.tag(2, LEN);
    w.varint(vl);
    w.utf8(labels[i + 1]!, vl);
  }
  return w.buf;
}

/** Samples in columns: time (ms), value, and whether the sample is a staleness marker. */
export interface SampleColumns {
  t: Float64Array;
  v: Float64Array;
  stale: Uint8Array;
}

/** One TimeSeries to write: its encoded labels and the indices of its samples in the columns, in order. */
export interface SeriesRows {
  labels: Uint8Array;
  rows: readonly number[];
}

function sampleSize(t: number): number {
  return 1 + 8 + 1 + varintSize(t);
}

/** A WriteRequest (uncompressed protobuf) for these series. */
export function encodeWriteRequest(series: readonly SeriesRows[], cols: SampleColumns): Uint8Array {
  let total = 0;
  const sizes = new Array<number>(series.length);
  for (let s = 0; s < series.length; s++) {
    const ser = series[s]!;
    let size = ser.labels.length;
    for (const r of ser.rows) {
      const ss = sampleSize(cols.t[r]!);
      size += 1 + varintSize(ss) + ss;
    }
    sizes[s] = size;
    total += 1 + varintSize(size) + size;
  }
  const w = new ProtoWriter(total);
  for (let s = 0; s < series.length; s++) {
    const ser = series[s]!;
    w.tag(1, LEN);
    w.varint(sizes[s]!);
    w.bytes(ser.labels);
    for (const r of ser.rows) {
      const t = cols.t[r]!;
      w.tag(2, LEN);
      w.varint(sampleSize(t));
      w.tag(1, 1);
      if (cols.stale[r] === 1) w.staleNaN();
      else w.double(cols.v[r]!);
      w.tag(2, 0);
      w.varint(t);
    }
  }
  return w.buf;
}

/** A decoded sample; `stale` is true for the staleness marker's exact bits. */
export interface DecodedSample {
  t: number;
  v: number;
  stale: boolean;
}

export interface DecodedSeries {
  /** Flat [name, value, …] in the order sent. */
  labels: string[];
  samples: DecodedSample[];
}

/** Decodes a WriteRequest (for tests and receivers); unknown fields are skipped. */
export function decodeWriteRequest(buf: Uint8Array): DecodedSeries[] {
  const out: DecodedSeries[] = [];
  const r = new ProtoReader(buf);
  while (!r.done) {
    const [f, wt] = r.tag();
    if (f !== 1 || wt !== LEN) {
      r.skip(wt);
      continue;
    }
    const [s, e] = r.span();
    out.push(decodeTimeSeries(new ProtoReader(buf, s, e), buf));
  }
  return out;
}

function decodeTimeSeries(r: ProtoReader, buf: Uint8Array): DecodedSeries {
  const ts: DecodedSeries = { labels: [], samples: [] };
  while (!r.done) {
    const [f, wt] = r.tag();
    if (f === 1 && wt === LEN) {
      const [s, e] = r.span();
      const lr = new ProtoReader(buf, s, e);
      let name = '';
      let value = '';
      while (!lr.done) {
        const [lf, lwt] = lr.tag();
        if (lf === 1 && lwt === LEN) name = lr.string();
        else if (lf === 2 && lwt === LEN) value = lr.string();
        else lr.skip(lwt);
      }
      ts.labels.push(name, value);
    } else if (f === 2 && wt === LEN) {
      const [s, e] = r.span();
      const sr = new ProtoReader(buf, s, e);
      const sample: DecodedSample = { t: 0, v: 0, stale: false };
      while (!sr.done) {
        const [sf, swt] = sr.tag();
        if (sf === 1 && swt === 1) {
          const at = sr.pos;
          const [lo, hi] = sr.fixed64Words();
          sample.stale = hi === 0x7ff00000 && lo === 0x00000002;
          sr.pos = at;
          sample.v = sr.double();
        } else if (sf === 2 && swt === 0) sample.t = sr.varint();
        else sr.skip(swt);
      }
      ts.samples.push(sample);
    } else r.skip(wt);
  }
  return ts;
}
