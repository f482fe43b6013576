import { formatDuration } from '../duration.ts';
import { scaledDuration, type GenerateConfig } from '../config.ts';
import { REC, SLO_PERIOD, WINDOWS, errorRatio, slowRatio, type WindowName } from '../names.ts';
import { FN, FN_ID, alertRule } from './alert.ts';
import type { AlertingRule, RuleGroup, Severity } from './model.ts';

/**
 * The multi-window, multi-burn-rate scheme of the SRE workbook for a 30-day SLO: an alert fires when
 * both the long and the short window burn the error budget `factor` times faster than sustainable.
 */
export const BURN_RATE_WINDOWS: ReadonlyArray<{
  severity: Severity;
  long: WindowName;
  short: WindowName;
  factor: number;
  /** Production seconds. */
  for: number;
}> = [
  { severity: 'critical', long: '1h', short: '5m', factor: 14.4, for: 120 },
  { severity: 'critical', long: '6h', short: '30m', factor: 6, for: 900 },
  { severity: 'warning', long: '1d', short: '2h', factor: 3, for: 3600 },
  { severity: 'warning', long: '3d', short: '6h', factor: 1, for: 10_800 },
];

interface SloKind {
  alert: string;
  slo: 'availability' | 'latency';
  ratio: (w: WindowName) => string;
  /** Allowed bad share: 1 - objective, one series per function. */
  budget: string;
  what: string;
}

const KINDS: readonly SloKind[] = [
  {
    alert: 'FunctionErrorBudgetBurn',
    slo: 'availability',
    ratio: errorRatio,
    budget: `(1 - ${REC.availabilityObjective})`,
    what: 'failed (5xx or timeout)',
  },
  {
    alert: 'FunctionLatencyBudgetBurn',
    slo: 'latency',
    ratio: slowRatio,
    budget: `(1 - max by (namespace, function) (${REC.latencyObjective}))`,
    what: 'were slower than the latency SLO threshold',
  },
];

function burnRule(cfg: GenerateConfig, k: SloKind, w: (typeof BURN_RATE_WINDOWS)[number]): AlertingRule {
  const long = scaledDuration(cfg, WINDOWS[w.long]);
  const short = scaledDuration(cfg, WINDOWS[w.short]);
  const threshold = `on (namespace, function) (${w.factor} * ${k.budget})`;
  // Time until the budget is spent at this burn rate, to the (scaled) hour.
  const hour = 3600 * cfg.windowScale;
  const exhaust = formatDuration(Math.round((WINDOWS[SLO_PERIOD] * cfg.windowScale) / w.factor / hour) * hour);
  return alertRule(cfg, k.alert, {
    expr: `${k.ratio(w.long)} > ${threshold}\nand on (namespace, function)\n${k.ratio(w.short)} > ${threshold}`,
    for: scaledDuration(cfg, w.for),
    severity: w.severity,
    labels: { slo: k.slo, long, short },
    summary: `${FN_ID} is burning its ${k.slo} error budget at ${w.factor}x the sustainable rate`,
    description:
      `{{ $value | humanizePercentage }} of the calls to ${FN} ${k.what} over the last ${long} ` +
      `(and over the last ${short}). At this rate the ${k.slo} SLO's ` +
      `${scaledDuration(cfg, WINDOWS[SLO_PERIOD])} error budget is gone in about ${exhaust}.`,
  });
}

export function sloAlertGroup(cfg: GenerateConfig): RuleGroup {
  return {
    name: 'fnscope-slo-alerts',
    interval: scaledDuration(cfg, 60),
    rules: KINDS.flatMap((k) => BURN_RATE_WINDOWS.map((w) => burnRule(cfg, k, w))),
  };
}
