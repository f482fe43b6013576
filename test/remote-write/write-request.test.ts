import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWriteRequest, encodeLabels, encodeWriteRequest } from '../../collector/src/remote-write/write-request.ts';
import { varintSize } from '../../collector/src/remote-write/proto-writer.ts';
import { withExternalLabels } from '../../collector/src/remote-write/queue.ts';

function cols(samples: Array<{ t: number; v: number; stale?: boolean }>) {
  return {
    t: Float64Array.from(samples.map((s) => s.t)),
    v: Float64Array.from(samples.map((s) => s.v)),
    stale: Uint8Array.from(samples.map((s) => (s.stale ? 1 : 0))),
  };
}

test('bytes of a one-sample WriteRequest, field by field from the prompb schema', () => {
  const buf = encodeWriteRequest([{ labels: encodeLabels(['__name__', 'up']), rows: [0] }], cols([{ t: 1000, v: 1 }]));
  const hex = Buffer.from(buf).toString('hex');
  const want = [
    '0a1e', //              WriteRequest.timeseries (1, len) = 30 bytes
    '0a0e', //                TimeSeries.labels (1, len) = 14 bytes
    '0a08', '5f5f6e616d655f5f', //  Label.name = "__name__"
    '1202', '7570', //              Label.value = "up"
    '120c', //                TimeSeries.samples (2, len) = 12 bytes
    '09', '000000000000f03f', //    Sample.value (1, fixed64) = 1.0
    '10', 'e807', //                Sample.timestamp (2, varint) = 1000
  ].join('');
  assert.equal(hex, want);
});

test('the staleness marker is written bit-exact', () => {
  const buf = encodeWriteRequest([{ labels: encodeLabels(['__name__', 'x']), rows: [0] }], cols([{ t: 5, v: 0, stale: true }]));
  assert.ok(Buffer.from(buf).toString('hex').includes('09' + '02000000' + '0000f07f'));
  assert.equal(decodeWriteRequest(buf)[0]!.samples[0]!.stale, true);
});

test('varint sizes', () => {
  const cases: Array<[number, number]> = [[0, 1], [127, 1], [128, 2], [16383, 2], [16384, 3], [2 ** 32, 5], [1_800_000_000_000, 6], [2 ** 53 - 1, 8], [-1, 10]];
  for (const [n, size] of cases) assert.equal(varintSize(n), size, String(n));
});

test('round trip: many series, special values, unicode, negative and large timestamps', () => {
  const series = [
    ['__name__', 'function_calls_total', 'function', 'bikesearch', 'namespace', 'default', 'pod', 'bikesearch-6d9f7-x2'],
    ['__name__', 'up', 'instance', '10.0.0.1:8080', 'note', 'ünïcödé ✓ 日本'],
    ['__name__', 'h_bucket', 'le', '+Inf'],
  ];
  const samples = [
    { t: 1_800_000_000_000, v: 1 },
    { t: 1_800_000_015_000, v: 2.5 },
    { t: 0, v: Number.POSITIVE_INFINITY },
    { t: 1, v: Number.NEGATIVE_INFINITY },
    { t: -5000, v: -0.125 },
    { t: 2 ** 50, v: Number.NaN },
    { t: 1_800_000_030_000, v: 0, stale: true },
    { t: 1_800_000_045_000, v: Number.MAX_VALUE },
    { t: 1_800_000_060_000, v: Number.MIN_VALUE },
  ];
  const rows = [[0, 1, 6], [2, 3, 4], [5, 7, 8]];
  const buf = encodeWriteRequest(series.map((l, i) => ({ labels: encodeLabels(l), rows: rows[i]! })), cols(samples));
  const got = decodeWriteRequest(buf);
  assert.equal(got.length, 3);
  for (let i = 0; i < 3; i++) {
    assert.deepEqual(got[i]!.labels, series[i]);
    assert.deepEqual(got[i]!.samples.map((s) => s.t), rows[i]!.map((r) => samples[r]!.t));
    for (let j = 0; j < rows[i]!.length; j++) {
      const want = samples[rows[i]![j]!]!;
      const s = got[i]!.samples[j]!;
      assert.equal(s.stale, want.stale === true);
      if (!want.stale) assert.ok(Object.is(s.v, want.v), `${s.v} vs ${want.v}`);
    }
  }
});

test('external labels are added unless the series has them, keeping the order by name', () => {
  const ext: Array<[string, string]> = [['cluster', 'prod'], ['zone', 'a'], ['job', 'ext']];
  assert.deepEqual(withExternalLabels(['__name__', 'up', 'job', 'fnscope'], ext), ['__name__', 'up', 'cluster', 'prod', 'job', 'fnscope', 'zone', 'a']);
  const l = ['__name__', 'up'];
  assert.equal(withExternalLabels(l, []), l);
});
