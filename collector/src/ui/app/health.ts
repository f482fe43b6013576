import { percent } from './format.ts';
import type { FunctionView } from './wire.ts';

export interface Problem {
  text: string;
  tone: 'bad' | 'warn';
}

/** Errors above this share of calls make a function stand out. */
export const ERROR_RATIO_ALERT = 0.05;

/** The recent error rate is rising: the last points average well above the ones before. */
export function rising(errorsPerSecond: ReadonlyArray<number | null>): boolean {
  const ys = errorsPerSecond.map((v) => v ?? 0);
  if (ys.length < 6) return false;
  const recent = ys.slice(-3);
  const before = ys.slice(0, -3);
  const r = recent.reduce((a, b) => a + b, 0) / recent.length;
  const b = before.reduce((a, c) => a + c, 0) / before.length;
  return r > 0 && r > b * 1.5 + 1e-9;
}

/**
 * What is wrong with a function right now, worst first: targets down, errors, pods not ready,
 * timeouts, restarts since the page was opened.
 */
export function problemsOf(f: FunctionView, errorsHistory: ReadonlyArray<number | null> | undefined, restartsSeen: number | undefined): Problem[] {
  const out: Problem[] = [];
  const down = f.targets.total - f.targets.up;
  if (down > 0) out.push({ text: `${down} of ${f.targets.total} target${f.targets.total === 1 ? '' : 's'} down`, tone: 'bad' });
  if (f.pods.total === 0) out.push({ text: 'no pods', tone: 'bad' });
  if ((f.rates.errorRatio ?? 0) >= ERROR_RATIO_ALERT) out.push({ text: `${percent(f.rates.errorRatio)} errors`, tone: 'bad' });
  else if (errorsHistory && rising(errorsHistory)) out.push({ text: 'errors rising', tone: 'warn' });
  else if (f.rates.errorsPerSecond > 0 || f.rates.exceptionsPerSecond > 0) out.push({ text: 'some errors', tone: 'warn' });
  if (f.pods.total > 0 && f.pods.ready < f.pods.total) out.push({ text: `${f.pods.total - f.pods.ready} pod${f.pods.total - f.pods.ready === 1 ? '' : 's'} not ready`, tone: 'warn' });
  if (f.rates.timeoutsPerSecond > 0) out.push({ text: 'timeouts', tone: 'warn' });
  if (restartsSeen !== undefined && f.pods.restarts > restartsSeen) out.push({ text: 'restarting', tone: 'warn' });
  return out;
}

/** A sort key: higher is worse. */
export function severityScore(ps: readonly Problem[]): number {
  return ps.reduce((n, p) => n + (p.tone === 'bad' ? 10 : 1), 0);
}
