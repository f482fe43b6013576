import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BitReader } from '../../collector/src/store/bit-reader.ts';
import { BitWriter } from '../../collector/src/store/bit-writer.ts';
import { STALE_HI, STALE_LO } from '../../collector/src/store/float-bits.ts';
import { decodeChunk, HeadChunk } from '../../collector/src/store/xor-chunk.ts';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

test('bit writer and reader agree on random field widths', () => {
  const rand = rng(1);
  const w = new BitWriter();
  const fields: Array<[number, number]> = [];
  for (let i = 0; i < 5000; i++) {
    const n = Math.floor(rand() * 33);
    const v = n === 0 ? 0 : Math.floor(rand() * 2 ** n) >>> 0;
    fields.push([v, n]);
    if (n === 1 && rand() < 0.5) w.writeBit(v);
    else w.writeBits(v, n);
  }
  const r = new BitReader(new Uint8Array(0));
  r.reset(w.buf, w.byteLength, w.base);
  for (const [v, n] of fields) assert.equal(r.readBits(n), v);
  assert.ok(r.remaining < 8);
});

/** Encode (t, [hi, lo]) samples in one head chunk, decode, compare bits exactly. */
function roundTrip(samples: Array<[number, number, number]>): void {
  const h = new HeadChunk();
  for (const [t, hi, lo] of samples) h.append(t, hi >>> 0, lo >>> 0);
  const t = new Float64Array(samples.length);
  const vw = new Uint32Array(samples.length * 2);
  const n = decodeChunk(new BitReader(new Uint8Array(0)), h.buf, h.base, h.byteLength, h.count, h.mint, -Infinity, Infinity, t, vw, 0);
  assert.equal(n, samples.length);
  samples.forEach(([ts, hi, lo], i) => {
    assert.equal(t[i], ts, `t[${i}]`);
    assert.equal(vw[2 * i + 1], hi >>> 0, `hi[${i}]`);
    assert.equal(vw[2 * i], lo >>> 0, `lo[${i}]`);
  });
  // And through the one-byte-string form closed chunks use.
  const s = h.toLatin1();
  const bytes = Buffer.from(s, 'latin1');
  const t2 = new Float64Array(samples.length);
  const vw2 = new Uint32Array(samples.length * 2);
  decodeChunk(new BitReader(new Uint8Array(0)), bytes, 0, bytes.length, h.count, h.mint, -Infinity, Infinity, t2, vw2, 0);
  assert.deepEqual(t2, t);
  assert.deepEqual(vw2, vw);
}

const words = (v: number): [number, number] => {
  const f = new Float64Array([v]);
  const u = new Uint32Array(f.buffer);
  return [u[1]!, u[0]!];
};

test('round trip: random bit patterns and random timestamps', () => {
  const rand = rng(2);
  for (let round = 0; round < 50; round++) {
    let t = Math.floor(rand() * 2e12);
    const s: Array<[number, number, number]> = [];
    for (let i = 0; i < 120; i++) {
      s.push([t, Math.floor(rand() * 2 ** 32), Math.floor(rand() * 2 ** 32)]);
      t += 1 + Math.floor(rand() * (round % 2 === 0 ? 100 : 2 ** 40));
    }
    roundTrip(s);
  }
});

test('round trip: adversarial values (NaN payloads, staleness marker, ±Inf, -0, extremes)', () => {
  const specials: Array<[number, number]> = [
    words(NaN), [STALE_HI, STALE_LO], [0x7ff00000, 1], [0xfff80000, 0], words(Infinity), words(-Infinity), words(-0), words(0),
    words(Number.MAX_VALUE), words(-Number.MAX_VALUE), words(Number.MIN_VALUE), words(1), words(-1), [0xffffffff, 0xffffffff], [0, 1], [0x80000000, 0],
  ];
  const rand = rng(3);
  const s: Array<[number, number, number]> = [];
  let t = 0;
  for (let i = 0; i < 500; i++) {
    const [hi, lo] = specials[Math.floor(rand() * specials.length)]!;
    s.push([t, hi, lo]);
    t += [15000, 15001, 14999, 1, 2 ** 33, 86_400_000][Math.floor(rand() * 6)]!;
  }
  roundTrip(s);
});

test('round trip: big timestamp jumps in both directions of the delta-of-delta', () => {
  const ts = [0, 1, 2 ** 40, 2 ** 40 + 1, 2 ** 41, 2 ** 41 + 15000, 2 ** 41 + 30000, 2 ** 52, 2 ** 52 + 1, 2 ** 52 + 2 ** 20, 2 ** 53 - 1];
  roundTrip(ts.map((t, i) => [t, ...words(i * 1.5)] as [number, number, number]));
  // Negative timestamps (before the epoch) and every dod bucket edge.
  let t = -1e12;
  const s: Array<[number, number, number]> = [[t, ...words(1)]];
  let delta = 0;
  for (const dod of [0, 8192, -8191, 8193, -8192, 65536, -65535, 65537, 524288, -524287, 524289, -524288, 2 ** 35, -(2 ** 34)]) {
    delta += dod;
    if (delta <= 0) delta = 1 + Math.abs(dod);
    t += delta;
    s.push([t, ...words(dod)]);
  }
  roundTrip(s);
});

test('compression: a steady counter scraped on time costs about 1-2 bits per timestamp', () => {
  const h = new HeadChunk();
  let v = 0;
  for (let i = 0; i < 120; i++) {
    v += (i * 7) % 5;
    h.append(1_700_000_000_000 + i * 15000, ...words(v));
  }
  // 120 samples: 8 bytes for the first value, then ~1 bit of dod and a few bits of XOR each.
  assert.ok(h.byteLength < 120 * 2, `${h.byteLength} bytes`);
});

test('decode honours the [from, to] window', () => {
  const h = new HeadChunk();
  for (let i = 0; i < 10; i++) h.append(i * 1000, ...words(i));
  const t = new Float64Array(10);
  const vw = new Uint32Array(20);
  const n = decodeChunk(new BitReader(new Uint8Array(0)), h.buf, h.base, h.byteLength, h.count, h.mint, 3000, 6000, t, vw, 0);
  assert.deepEqual([...t.slice(0, n)], [3000, 4000, 5000, 6000]);
});
