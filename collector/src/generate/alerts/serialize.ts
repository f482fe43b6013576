import { stringify } from 'yaml';
import type { GenerateConfig } from '../config.ts';
import { isAlertingRule, type Rule, type RuleFile, type RuleGroup } from './model.ts';

const YAML_OPTIONS = { lineWidth: 0, blockQuote: 'literal', indent: 2 } as const;

/** Keys in the order Prometheus documents them, optional ones dropped when empty. */
function plainRule(r: Rule): Record<string, unknown> {
  if (isAlertingRule(r)) {
    const out: Record<string, unknown> = { alert: r.alert, expr: r.expr };
    if (r.for !== undefined) out['for'] = r.for;
    out['labels'] = r.labels;
    out['annotations'] = r.annotations;
    return out;
  }
  const out: Record<string, unknown> = { record: r.record, expr: r.expr };
  if (r.labels && Object.keys(r.labels).length > 0) out['labels'] = r.labels;
  return out;
}

function plainGroup(g: RuleGroup): Record<string, unknown> {
  const out: Record<string, unknown> = { name: g.name };
  if (g.interval !== undefined) out['interval'] = g.interval;
  out['rules'] = g.rules.map(plainRule);
  return out;
}

function header(lines: readonly string[]): string {
  return lines.map((l) => `# ${l}`.trimEnd()).join('\n') + '\n';
}

/** A rule file as Prometheus's `rule_files` loads it. */
export function ruleFileYaml(file: RuleFile, comment: readonly string[]): string {
  return header(comment) + stringify({ groups: file.groups.map(plainGroup) }, YAML_OPTIONS);
}

/** The same groups as a prometheus-operator PrometheusRule object. */
export function prometheusRuleYaml(name: string, file: RuleFile, cfg: GenerateConfig, comment: readonly string[]): string {
  const metadata: Record<string, unknown> = { name };
  if (cfg.namespace !== '') metadata['namespace'] = cfg.namespace;
  metadata['labels'] = { 'app.kubernetes.io/name': 'fnscope', 'app.kubernetes.io/component': 'rules', ...cfg.objectLabels };
  const obj = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata,
    spec: { groups: file.groups.map(plainGroup) },
  };
  return header(comment) + stringify(obj, YAML_OPTIONS);
}
