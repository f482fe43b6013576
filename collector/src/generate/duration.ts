import { ErrorCodes, FnscopeError } from '../util/errors.ts';

const UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/**
 * A Prometheus duration for a number of seconds: 300 → "5m", 4320 → "1h12m", 0.5 → "500ms".
 * Rounded to whole milliseconds; at least 1ms.
 */
export function formatDuration(seconds: number): string {
  let ms = Math.max(1, Math.round(seconds * 1000));
  let out = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(ms / size);
    if (n > 0) {
      out += `${n}${unit}`;
      ms -= n * size;
    }
  }
  return out;
}

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };

/** Parse "500ms", "0.5s", "2m", or a bare number of seconds ("0.5"). */
export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text.trim());
  if (!m) throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `invalid duration "${text}" (examples: 500ms, 0.5s, 2m)`);
  const value = Number(m[1]) * (UNIT_SECONDS[m[2] ?? 's'] ?? 1);
  if (!(value > 0) || !Number.isFinite(value)) {
    throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `duration "${text}" must be greater than zero`);
  }
  return roundNumber(value);
}

/** Drop binary floating-point noise: 99.9 / 100 → 0.999, not 0.9990000000000001. */
export function roundNumber(n: number): number {
  return Number(n.toPrecision(12));
}
