/** Plain-text tables for CLI output, kubectl style: upper-case headers, columns padded by two spaces. */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** A rate with sensible precision: 0, 0.05, 1.25, 12.3, 1234. */
export function fmtRate(v: number): string {
  if (v === 0) return '0';
  if (v < 0.01) return v.toExponential(1);
  if (v < 10) return v.toFixed(2);
  if (v < 100) return v.toFixed(1);
  return v.toFixed(0);
}

/** Seconds as a compact latency: 850µs, 12ms, 1.25s, or "-" when unknown. */
export function fmtSeconds(v: number | null): string {
  if (v === null) return '-';
  if (v < 0.001) return `${Math.round(v * 1e6)}µs`;
  if (v < 1) return `${(v * 1000).toFixed(v < 0.01 ? 1 : 0)}ms`;
  return `${v.toFixed(2)}s`;
}

export function fmtPercent(v: number | null): string {
  if (v === null) return '-';
  if (v === 0) return '0%';
  return v < 0.001 ? '<0.1%' : `${(v * 100).toFixed(1)}%`;
}
