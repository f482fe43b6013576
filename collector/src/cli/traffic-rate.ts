import { UsageError } from '../util/errors.ts';

/** The sandbox's traffic rate flag (`fnscope sandbox --rate`, `fnscope serve --sandbox-rate`). */
export function rateFlag(v: unknown, name = 'rate'): number | undefined {
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1000) throw new UsageError(`--${name} must be a number of calls per second above 0 (at most 1000; --no-traffic for none), got "${v}"`);
  return n;
}
