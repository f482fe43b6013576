import type { FunctionView } from '../../api/types.ts';
import { fmtPercent, fmtRate, fmtSeconds, renderTable } from './table.ts';

export type SortKey = 'name' | 'calls' | 'errors' | 'ratio' | 'p50' | 'p95' | 'p99' | 'restarts';
export const SORT_KEYS: readonly SortKey[] = ['name', 'calls', 'errors', 'ratio', 'p50', 'p95', 'p99', 'restarts'];

const num = (v: number | null): number => (v === null ? -1 : v);

export function sortFunctions(fns: readonly FunctionView[], key: SortKey): FunctionView[] {
  const byName = (a: FunctionView, b: FunctionView): number => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);
  const desc = (f: (x: FunctionView) => number) => (a: FunctionView, b: FunctionView) => f(b) - f(a) || byName(a, b);
  const cmp: Record<SortKey, (a: FunctionView, b: FunctionView) => number> = {
    name: byName,
    calls: desc((f) => f.rates.callsPerSecond),
    errors: desc((f) => f.rates.errorsPerSecond),
    ratio: desc((f) => num(f.rates.errorRatio)),
    p50: desc((f) => num(f.rates.p50)),
    p95: desc((f) => num(f.rates.p95)),
    p99: desc((f) => num(f.rates.p99)),
    restarts: desc((f) => f.pods.restarts),
  };
  return [...fns].sort(cmp[key]);
}

/** `fnscope top` table; wide adds handler, targets up, exception rate and where numbers come from. */
export function renderFunctionsTable(fns: readonly FunctionView[], wide: boolean): string {
  const headers = ['NAMESPACE', 'NAME', 'RUNTIME', 'PODS', 'CALLS/S', 'ERRORS/S', 'ERROR%', 'TIMEOUTS/S', 'P50', 'P95', 'P99', 'RESTARTS'];
  if (wide) headers.push('TARGETS', 'EXCEPTIONS/S', 'SOURCE', 'HANDLER');
  const rows = fns.map((f) => {
    const r = f.rates;
    const row = [
      f.namespace,
      f.hasFunctionObject ? f.name : `${f.name} (no Function)`,
      f.runtime || '-',
      `${f.pods.ready}/${f.pods.total}`,
      fmtRate(r.callsPerSecond),
      fmtRate(r.errorsPerSecond),
      fmtPercent(r.errorRatio),
      fmtRate(r.timeoutsPerSecond),
      fmtSeconds(r.p50),
      fmtSeconds(r.p95),
      fmtSeconds(r.p99),
      String(f.pods.restarts),
    ];
    if (wide) row.push(`${f.targets.up}/${f.targets.total}`, fmtRate(r.exceptionsPerSecond), r.source, f.handler || '-');
    return row;
  });
  if (rows.length === 0) return 'No functions found.\n';
  return renderTable(headers, rows);
}
