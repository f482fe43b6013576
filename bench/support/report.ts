/** Tables of bench/side-by-side.ts: both sides, their ratio and the goals, in one place. */
import type { CrossCheck, Latency, RunResult, SideResult } from './measure.ts';

export function bytes(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const units = ['B', 'KB', 'MB', 'GB'];
  let u = 0;
  while (Math.abs(n) >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return `${n.toFixed(n >= 100 || u === 0 ? 0 : 1)} ${units[u]}`;
}

function num(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}

function int(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

const perSeries = (s: SideResult): number => s.rss / s.series;
const marginal = (s: SideResult): number => (s.rss - s.idleRss) / s.series;
const perSample = (s: SideResult): number => s.storage.bytes / s.storage.samples;

/** The main table: one row per side, then fnscope / Prometheus, then the goals. */
export function sidesTable(r: RunResult): string {
  const rows = r.sides.map((s) => [
    s.name,
    `${s.targetsUp}/${r.targets}`,
    int(s.series),
    int(s.samplesPerSecond),
    num(s.cpuSeconds, 1),
    num(s.usPerSample),
    bytes(s.rss),
    bytes(s.peakRss),
    bytes(perSeries(s)),
    bytes(marginal(s)),
    num(perSample(s)),
  ]);
  const [f, p] = r.sides;
  if (f && p) {
    const ratio = (a: number, b: number): string => num(a / b);
    rows.push([
      'fnscope/Prometheus',
      '',
      ratio(f.series, p.series),
      ratio(f.samplesPerSecond, p.samplesPerSecond),
      ratio(f.cpuSeconds, p.cpuSeconds),
      ratio(f.usPerSample, p.usPerSample),
      ratio(f.rss, p.rss),
      ratio(f.peakRss, p.peakRss),
      ratio(perSeries(f), perSeries(p)),
      ratio(marginal(f), marginal(p)),
      ratio(perSample(f), perSample(p)),
    ]);
    rows.push(['goal (fnscope)', '', '', '', '', `≤ ${num(p.usPerSample)}`, '', '', `≤ ${bytes(perSeries(p))}`, '', '≤ 2.00']);
  }
  return table(['', 'targets up', 'series', 'samples/s', 'CPU s', 'CPU s/1M samples', 'RSS mean', 'RSS peak', 'RSS/series', '(RSS-idle)/series', 'bytes/sample'], rows);
}

export function latencyTable(l: Latency[]): string {
  const f = l[0]!;
  const rows = l.map((x) => [x.name, String(x.count), num(x.p50, 1), num(x.p99, 1), x === f ? '' : num(f.p50 / x.p50, 4)]);
  return table(['query (instant)', 'requests', 'p50 ms', 'p99 ms', 'fnscope p50 / this p50'], rows);
}

export function crossCheckLine(c: CrossCheck): string {
  const pct = (a: number, b: number): string => (b === 0 ? (a === 0 ? '0.0%' : 'n/a') : `${(((a - b) / b) * 100).toFixed(1)}%`);
  return [
    `cross-check ${c.fn}: calls/s fnscope ${num(c.fnscope.calls)} Prometheus ${num(c.prometheus.calls)} (${pct(c.fnscope.calls, c.prometheus.calls)});`,
    `errors/s fnscope ${num(c.fnscope.errors, 3)} Prometheus ${num(c.prometheus.errors, 3)} (${pct(c.fnscope.errors, c.prometheus.errors)})`,
  ].join(' ');
}

/** Scale mode: how each side's cost moves with the number of series. */
export function growthTable(runs: RunResult[]): string {
  const rows: string[][] = [];
  for (const r of runs) {
    for (const s of r.sides) {
      rows.push([s.name, int(s.series), int(r.targets), int(s.samplesPerSecond), num(s.usPerSample), bytes(s.rss), bytes(s.peakRss), bytes(perSeries(s)), bytes(marginal(s)), num(perSample(s))]);
    }
  }
  return table(['', 'series', 'targets', 'samples/s', 'CPU s/1M samples', 'RSS mean', 'RSS peak', 'RSS/series', '(RSS-idle)/series', 'bytes/sample'], rows);
}
