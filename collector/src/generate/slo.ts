import { ErrorCodes, FnscopeError, describeError } from '../util/errors.ts';
import type { LatencyObjective, SloDefaults } from './config.ts';
import { parseDuration, roundNumber } from './duration.ts';
import type { InventoryFunction } from './inventory.ts';
import { canonicalLe } from './promql/selectors.ts';

/** Function annotations that set a function's SLO targets. */
export const SLO_ANNOTATIONS = {
  /** Percentage of calls that must succeed, e.g. "99.9". */
  availability: 'fnscope.io/slo-availability',
  /** `<threshold>@<percentage>`: that share of calls must finish within the threshold, e.g. "0.5s@99". */
  latency: 'fnscope.io/slo-latency',
} as const;

/** Upper bounds shared by the default buckets of Python's, Go's and Node.js's Prometheus clients. */
export const COMMON_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function invalid(message: string): FnscopeError {
  return new FnscopeError(ErrorCodes.CONFIG_INVALID, message);
}

/** "99.9" or "99.9%" → 0.999. */
export function parseAvailability(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const pct = m ? Number(m[1]) : NaN;
  if (!(pct > 0 && pct < 100)) throw invalid(`availability objective "${text}" must be a percentage between 0 and 100, e.g. "99.9"`);
  return roundNumber(pct / 100);
}

/** "0.5s@99", "500ms @ 99.5", "2@95" (seconds) → threshold and target ratio. */
export function parseLatency(text: string): LatencyObjective {
  const parts = text.split('@');
  if (parts.length !== 2) throw invalid(`latency objective "${text}" must look like "0.5s@99" (threshold@percentage)`);
  const thresholdSeconds = parseDuration(parts[0] ?? '');
  const target = parseAvailability(parts[1] ?? '');
  return { thresholdSeconds, target };
}

export interface ResolvedSlo {
  availability: number;
  latency: LatencyObjective;
  /** True where the value came from the function's annotation rather than the defaults. */
  fromAnnotation: { availability: boolean; latency: boolean };
}

/** One function's SLO targets: its annotations where valid, the defaults otherwise (with a warning). */
export function resolveSlo(fn: InventoryFunction, defaults: SloDefaults, warn: (message: string) => void): ResolvedSlo {
  const id = `${fn.namespace}/${fn.name}`;
  const out: ResolvedSlo = {
    availability: defaults.availability,
    latency: defaults.latency,
    fromAnnotation: { availability: false, latency: false },
  };
  const a = fn.annotations[SLO_ANNOTATIONS.availability];
  if (a !== undefined) {
    try {
      out.availability = parseAvailability(a);
      out.fromAnnotation.availability = true;
    } catch (e) {
      warn(`${id}: ${SLO_ANNOTATIONS.availability}: ${describeError(e)}; using the default`);
    }
  }
  const l = fn.annotations[SLO_ANNOTATIONS.latency];
  if (l !== undefined) {
    try {
      out.latency = parseLatency(l);
      out.fromAnnotation.latency = true;
      if (!COMMON_BUCKETS.includes(out.latency.thresholdSeconds)) {
        warn(
          `${id}: latency threshold ${out.latency.thresholdSeconds}s is not one of the default histogram buckets ` +
            `(${COMMON_BUCKETS.join(', ')}): the latency SLO can only be measured if the function's histogram has that bucket`,
        );
      }
    } catch (e) {
      warn(`${id}: ${SLO_ANNOTATIONS.latency}: ${describeError(e)}; using the default`);
    }
  }
  return out;
}

/** One sample of `fnscope_function_slo_objective` (docs/metrics.md). */
export interface ObjectiveSample {
  labels: { namespace: string; function: string; slo: 'availability' | 'latency'; le?: string };
  value: number;
}

/**
 * What the collector exports as `fnscope_function_slo_objective` for one function: a sample per VALID
 * SLO annotation (availability: the ratio; latency: the target ratio, with the threshold as `le` in the
 * shortest decimal form). Functions without annotations export nothing; the rules apply the defaults.
 */
export function sloObjectiveSamples(fn: InventoryFunction, warn: (message: string) => void = () => {}): ObjectiveSample[] {
  const none: SloDefaults = { availability: 0, latency: { thresholdSeconds: 0, target: 0 } };
  const slo = resolveSlo(fn, none, warn);
  const base = { namespace: fn.namespace, function: fn.name };
  const out: ObjectiveSample[] = [];
  if (slo.fromAnnotation.availability) out.push({ labels: { ...base, slo: 'availability' }, value: slo.availability });
  if (slo.fromAnnotation.latency) {
    out.push({ labels: { ...base, slo: 'latency', le: canonicalLe(slo.latency.thresholdSeconds) }, value: slo.latency.target });
  }
  return out;
}
