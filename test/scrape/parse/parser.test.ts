import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { ExpositionParser, escapeLabelValue, parseExposition, type ExpositionFormat, type ParsedSample } from '../../../collector/src/scrape/parse/index.ts';

const EDGE = new URL('../../../testdata/exposition/edge/', import.meta.url);
const RUNTIMES = new URL('../../../testdata/exposition/runtimes/', import.meta.url);

interface GoldenSample {
  name: string;
  labels: Array<[string, string]>;
  value: number | string;
  timestampMs?: number;
  type?: string;
  family?: string;
  role?: string;
  line: number;
}
interface Golden {
  format: ExpositionFormat;
  samples: GoldenSample[];
  errors: Array<{ line: number; reason: string; recovered: boolean }>;
  metadata?: Record<string, { type: string; help: string; unit: string }>;
}

function goldenValue(v: number | string): number {
  if (typeof v === 'number') return v;
  return { NaN: NaN, '+Inf': Infinity, '-Inf': -Infinity, '-0': -0 }[v] ?? Number.NaN;
}

function checkSample(got: ParsedSample | undefined, want: GoldenSample, where: string): void {
  assert.ok(got, `${where}: missing sample`);
  assert.equal(got.name, want.name, `${where}: name`);
  assert.deepEqual(got.labels, want.labels, `${where}: labels`);
  assert.ok(Object.is(got.value, goldenValue(want.value)), `${where}: value ${got.value} != ${want.value}`);
  assert.equal(got.timestampMs, want.timestampMs, `${where}: timestamp`);
  assert.equal(got.line, want.line, `${where}: line`);
  if (want.type !== undefined) assert.equal(got.type, want.type, `${where}: type`);
  if (want.family !== undefined) assert.equal(got.family, want.family, `${where}: family`);
  if (want.role !== undefined) assert.equal(got.role, want.role, `${where}: role`);
}

const goldenFiles = readdirSync(EDGE).filter((f) => f.endsWith('.golden.json'));

test('edge-case fixtures match their golden expectations', async (t) => {
  assert.ok(goldenFiles.length >= 10);
  for (const g of goldenFiles) {
    await t.test(g, () => {
      const golden = JSON.parse(readFileSync(new URL(g, EDGE), 'utf8')) as Golden;
      const ext = golden.format === 'openmetrics' ? '.om.txt' : '.prom.txt';
      const body = readFileSync(new URL(g.replace(/\.(om|prom)\.golden\.json$/, ext), EDGE), 'utf8');
      const res = parseExposition(body, { format: golden.format });
      assert.equal(res.samples.length, golden.samples.length, `sample count: ${JSON.stringify(res.samples.map((s) => s.line))}`);
      golden.samples.forEach((want, i) => checkSample(res.samples[i], want, `${g} sample ${i}`));
      assert.deepEqual(
        res.errors.map((e) => [e.line, e.recovered]),
        golden.errors.map((e) => [e.line, e.recovered]),
        `errors: ${JSON.stringify(res.errors)}`,
      );
      golden.errors.forEach((e, i) => assert.ok(res.errors[i]!.reason.includes(e.reason), `${res.errors[i]!.reason} should mention ${e.reason}`));
      if (golden.metadata) assert.deepEqual(Object.fromEntries(res.metadata), golden.metadata);
    });
  }
});

/** An independent, slow reference for well-formed single-line samples. */
function referenceParse(body: string): Array<{ name: string; labels: Array<[string, string]>; value: number; line: number }> {
  const out: Array<{ name: string; labels: Array<[string, string]>; value: number; line: number }> = [];
  body.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    assert.ok(m, `reference cannot read line ${i + 1}: ${line}`);
    const labels: Array<[string, string]> = [];
    for (const lm of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels.push([lm[1]!, lm[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c))]);
    }
    const v = m[3]!;
    const value = v === '+Inf' ? Infinity : v === '-Inf' ? -Infinity : v === 'NaN' ? NaN : Number(v);
    out.push({ name: m[1]!, labels, value, line: i + 1 });
  });
  return out;
}

test('real Kubeless runtime captures parse completely and agree with a reference reading', async (t) => {
  const files = readdirSync(RUNTIMES).filter((f) => f.endsWith('-metrics.txt') || f.endsWith('-metrics-initial.txt'));
  assert.ok(files.length >= 6, files.join(','));
  for (const f of files) {
    await t.test(f, () => {
      const body = readFileSync(new URL(f, RUNTIMES), 'utf8');
      const res = parseExposition(body);
      assert.deepEqual(res.errors, []);
      const ref = referenceParse(body);
      assert.equal(res.samples.length, ref.length);
      res.samples.forEach((s, i) => {
        const r = ref[i]!;
        assert.equal(s.name, r.name);
        assert.deepEqual(s.labels, r.labels);
        assert.ok(Object.is(s.value, r.value), `${s.name} ${s.value} != ${r.value}`);
        assert.equal(s.line, r.line);
        // Every runtime announces TYPE for what it serves.
        assert.notEqual(s.type, 'unknown', `${s.name} has no family`);
      });
      for (const s of res.samples.filter((x) => x.name.startsWith('function_duration_seconds_') && x.role !== 'created')) {
        assert.equal(s.type, 'histogram');
        assert.equal(s.family, 'function_duration_seconds');
      }
    });
  }
});

test('python runtime creation-time gauges are reported as created samples', () => {
  const res = parseExposition(readFileSync(new URL('python-metrics.txt', RUNTIMES), 'utf8'));
  const created = res.samples.filter((s) => s.role === 'created');
  assert.ok(created.length > 0);
  for (const s of created) assert.match(s.name, /_created$/);
  assert.equal(res.samples.filter((s) => s.name.endsWith('_created')).length, created.length);
});

test('a parser is reusable: reset clears errors, metadata and family state', () => {
  const p = new ExpositionParser();
  p.reset('# TYPE a histogram\na_bucket{le="1"} 1\nbroken\n');
  while (p.next());
  assert.equal(p.errors.length, 1);
  p.reset('a_bucket{le="1"} 2\n');
  assert.ok(p.next());
  assert.equal(p.type, 'unknown');
  assert.equal(p.family, 'a_bucket');
  assert.deepEqual(p.errors, []);
  assert.equal(p.metadata.size, 0);
});

test('series text is the raw name{labels} and flat labels match pairs', () => {
  const p = new ExpositionParser().reset('m{b="2",a="x\\"y"} 1 123\n');
  assert.ok(p.next());
  assert.equal(p.series, 'm{b="2",a="x\\"y"}');
  assert.equal(p.name, 'm');
  assert.deepEqual(p.labelsFlat(), ['b', '2', 'a', 'x"y']);
  assert.deepEqual(p.labels(), [['b', '2'], ['a', 'x"y']]);
  assert.equal(p.timestampMs, 123);
  assert.equal(p.next(), false);
});

/** Deterministic PRNG for the randomized test. */
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

test('randomized bodies: every good line is kept exactly, every bad line costs one error at its line', () => {
  const rand = rng(42);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rand() * a.length)]!;
  const garbage = ['x{a="1"} abc', '9x 1', 'x{a=1} 1', 'x{a="1" 1', 'x 1 2 3', 'x{a="1",a="2"} 1', 'x{a="1"}', '{a="1"} 1', 'x 1 ts'];
  const chars = ['a', 'Z', '_', '0', ' ', '\\', '"', '\n', 'é', '{', '}', ',', '=', '#'];
  for (let round = 0; round < 20; round++) {
    const lines: string[] = [];
    const want: Array<{ line: number; name: string; labels: Array<[string, string]>; value: number; ts: number | undefined }> = [];
    const bad: number[] = [];
    for (let i = 0; i < 200; i++) {
      if (rand() < 0.15) {
        lines.push(pick(garbage));
        bad.push(lines.length);
        continue;
      }
      const name = `m_${Math.floor(rand() * 5)}`;
      const labels: Array<[string, string]> = [];
      const nl = Math.floor(rand() * 4);
      for (let k = 0; k < nl; k++) {
        let v = '';
        const len = Math.floor(rand() * 8);
        for (let c = 0; c < len; c++) v += pick(chars);
        labels.push([`l${k}`, v]);
      }
      const value = pick([0, 1, -1.5, 1e300, 2 ** 53, 0.1, rand() * 1e6, NaN, Infinity, -Infinity]);
      const ts = rand() < 0.3 ? Math.floor(rand() * 2e12) : undefined;
      const vs = Number.isNaN(value) ? 'NaN' : value === Infinity ? '+Inf' : value === -Infinity ? '-Inf' : String(value);
      const ls = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
      lines.push(`${name}${ls} ${vs}${ts === undefined ? '' : ` ${ts}`}`);
      want.push({ line: lines.length, name, labels, value, ts });
    }
    const res = parseExposition(lines.join('\n') + '\n');
    assert.deepEqual(res.errors.map((e) => e.line), bad, `round ${round}`);
    assert.equal(res.samples.length, want.length);
    res.samples.forEach((s, i) => {
      const w = want[i]!;
      assert.equal(s.line, w.line);
      assert.equal(s.name, w.name);
      assert.deepEqual(s.labels, w.labels);
      assert.ok(Object.is(s.value, w.value), `${s.value} vs ${w.value}`);
      assert.equal(s.timestampMs, w.ts);
    });
  }
});
