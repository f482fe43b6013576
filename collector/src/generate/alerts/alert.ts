import type { GenerateConfig } from '../config.ts';
import type { AlertingRule, Severity } from './model.ts';

export interface AlertText {
  summary: string;
  description: string;
}

/** Runbook page of an alert: `<runbookBase>/<AlertName>.md` (docs/runbooks/ in this repository). */
export function runbookUrl(cfg: GenerateConfig, alert: string): string {
  return `${cfg.runbookBase}/${alert}.md`;
}

/** An alerting rule with the house annotations: summary, description, runbook_url. */
export function alertRule(
  cfg: GenerateConfig,
  alert: string,
  spec: { expr: string; for?: string; severity: Severity; labels?: Record<string, string> } & AlertText,
): AlertingRule {
  const rule: AlertingRule = {
    alert,
    expr: spec.expr,
    labels: { severity: spec.severity, ...spec.labels },
    annotations: { summary: spec.summary, description: spec.description, runbook_url: runbookUrl(cfg, alert) },
  };
  if (spec.for !== undefined) rule.for = spec.for;
  return rule;
}

/** Template text naming the function of the alert's series (FN_START begins a sentence). */
export const FN = 'function {{ $labels.function }} in namespace {{ $labels.namespace }}';
export const FN_START = 'Function {{ $labels.function }} in namespace {{ $labels.namespace }}';
export const FN_ID = '{{ $labels.namespace }}/{{ $labels.function }}';
