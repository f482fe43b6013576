import { collectorMatchers, functionMatchers, scaledDuration, type GenerateConfig } from '../config.ts';
import { COLLECTOR, LONG_WINDOWS, QUANTILES, REC, WINDOWS, errorRatio, slowRatio } from '../names.ts';
import { canonicalLe, series } from '../promql/selectors.ts';
import { bucketRate, callsRate, errorsRate, timeoutsRate, type ChainOptions } from '../promql/sources.ts';
import type { RecordingRule, RuleGroup } from './model.ts';

const BY_FUNCTION = ['namespace', 'function'] as const;

function rec(record: string, expr: string, labels?: Record<string, string>): RecordingRule {
  return labels ? { record, expr, labels } : { record, expr };
}

function num(n: number): string {
  return String(Number(n.toPrecision(12)));
}

/** Per-function RED at 5m from whichever source each function has (promql/sources.ts). */
export function rateGroup(cfg: GenerateConfig): RuleGroup {
  const o: ChainOptions = { window: scaledDuration(cfg, WINDOWS['5m']), by: BY_FUNCTION, matchers: functionMatchers(cfg) };
  return {
    name: 'fnscope-function-rates',
    interval: scaledDuration(cfg, 60),
    rules: [
      rec(REC.calls, callsRate(o)),
      rec(REC.errors, errorsRate(o)),
      rec(REC.timeouts, timeoutsRate(o)),
      rec(errorRatio('5m'), `${REC.errors}\n/\n${REC.calls}`),
      rec(REC.timeoutRatio, `${REC.timeouts}\n/\n${REC.calls}`),
      rec(REC.buckets, bucketRate(o)),
      ...QUANTILES.map((q) => rec(REC.quantile, `histogram_quantile(${q}, ${REC.buckets})`, { quantile: q })),
    ],
  };
}

/** Every function seen (in the inventory, with calls or with a latency histogram), value 1. */
function knownFunctions(cfg: GenerateConfig): string {
  const info = series(COLLECTOR.functionInfo, functionMatchers(cfg));
  return `group by (namespace, function) (${info} or ${REC.calls} or ${REC.buckets})`;
}

/**
 * Each function's SLO targets as series, in precedence order: the collector's live view of the Function
 * annotations (`fnscope_function_slo_objective`), the inventory snapshot written with `--server`
 * (`...:inventory`), then the defaults.
 */
export function objectiveGroup(cfg: GenerateConfig): RuleGroup {
  const base = functionMatchers(cfg);
  const lat = cfg.slo.latency;
  return {
    name: 'fnscope-slo-objectives',
    interval: scaledDuration(cfg, 60),
    rules: [
      rec(
        REC.availabilityObjective,
        [
          `max by (namespace, function) (${series(COLLECTOR.sloObjective, [...base, 'slo="availability"'])})`,
          `max by (namespace, function) (${REC.availabilityObjectiveInventory})`,
          `0 * ${knownFunctions(cfg)} + ${num(cfg.slo.availability)}`,
        ].join('\nor on (namespace, function)\n'),
      ),
      rec(
        REC.latencyObjective,
        [
          `max by (namespace, function, le) (label_replace(${series(COLLECTOR.sloObjective, [...base, 'slo="latency"'])}, "le", "$1", "le", "(.+)\\\\.0"))`,
          `max by (namespace, function, le) (${REC.latencyObjectiveInventory})`,
          `label_replace(0 * ${knownFunctions(cfg)} + ${num(lat.target)}, "le", "${canonicalLe(lat.thresholdSeconds)}", "namespace", ".*")`,
        ].join('\nor on (namespace, function)\n'),
      ),
    ],
  };
}

/** SLI ratios per SLO window and the error budgets left over the SLO period. */
export function sliGroup(cfg: GenerateConfig): RuleGroup {
  const rules: RecordingRule[] = [
    rec(
      REC.latencyGood,
      `sum by (namespace, function) (\n  ${REC.buckets}\n  and on (namespace, function, le)\n  ${REC.latencyObjective}\n)`,
    ),
    rec(REC.latencyTotal, `sum by (namespace, function) (${REC.buckets}{le="+Inf"})`),
    rec(slowRatio('5m'), `1 - ${REC.latencyGood} / ${REC.latencyTotal}`),
  ];
  for (const w of LONG_WINDOWS) {
    const range = scaledDuration(cfg, WINDOWS[w]);
    rules.push(
      rec(errorRatio(w), `sum_over_time(${REC.errors}[${range}])\n/\nsum_over_time(${REC.calls}[${range}])`),
      rec(slowRatio(w), `1 - sum_over_time(${REC.latencyGood}[${range}]) / sum_over_time(${REC.latencyTotal}[${range}])`),
    );
  }
  rules.push(
    rec(
      REC.budgetRemaining,
      `1 - ${errorRatio('30d')} / on (namespace, function) (1 - ${REC.availabilityObjective})`,
      { slo: 'availability' },
    ),
    rec(
      REC.budgetRemaining,
      `1 - ${slowRatio('30d')} / on (namespace, function) (1 - max by (namespace, function) (${REC.latencyObjective}))`,
      { slo: 'latency' },
    ),
  );
  return { name: 'fnscope-slo-ratios', interval: scaledDuration(cfg, 60), rules };
}

/** Matchers for the collector's own series (used by the collector alerts). */
export function collectorSeries(cfg: GenerateConfig, metric: string): string {
  return series(metric, collectorMatchers(cfg));
}
