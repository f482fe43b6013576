/** The Prometheus rule file format, as far as fnscope writes it. */

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  /** A Prometheus duration; omitted when the alert fires on the first evaluation. */
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  name: string;
  /** Evaluation interval (a Prometheus duration); the global one when omitted. */
  interval?: string;
  rules: Rule[];
}

export interface RuleFile {
  groups: RuleGroup[];
}

export function isAlertingRule(r: Rule): r is AlertingRule {
  return 'alert' in r;
}

/** Severities the generated alerts use; route on them in Alertmanager. */
export type Severity = 'critical' | 'warning' | 'info';
