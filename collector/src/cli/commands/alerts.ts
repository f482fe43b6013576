import type { Command } from '../command.ts';
import { readTokenFlag } from '../token.ts';
import { UsageError, describeError, isFnscopeError } from '../../util/errors.ts';
import { EMPTY_INVENTORY, loadInventory, type Inventory } from '../../generate/inventory.ts';
import { parseLabelFlags, resolveConfig, type GenerateConfig, type Profile } from '../../generate/config.ts';
import { parseAvailability, parseLatency } from '../../generate/slo.ts';
import { RULES_FORMATS, generateRuleFiles, type RulesFormat } from '../../generate/alerts/rules.ts';
import { writeGeneratedFiles } from '../../generate/output.ts';

function oneOf<T extends string>(flag: string, value: unknown, allowed: readonly T[]): T {
  const v = String(value);
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** Turn an invalid flag value (FNS_CONFIG_INVALID) into bad usage (exit 2). */
function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (isFnscopeError(e)) throw new UsageError(e.message);
    throw e;
  }
}

export const alertsCommand: Command = {
  usage: 'fnscope alerts --out DIR [--format rules|prometheusrule] [--server URL] [--profile production|test]',
  help: `Writes fnscope's Prometheus rules: per-function RED recording rules that work for every Kubeless
runtime shape, multi-window multi-burn-rate SLO alerts (availability and latency), and alerts on pods,
scrapes, timeouts, new exception types and the collector itself. See docs/alerts.md.

Without --server the generic set is written: every function is selected by label, and per-function
SLO targets come from the collector's fnscope_function_slo_objective series (the Function annotations
fnscope.io/slo-availability and fnscope.io/slo-latency). With --server, one more file per annotated
function pins its targets from that collector's current inventory.

Flags:
      --out DIR                   directory to write into (created when missing)
      --format F                  rules (default): Prometheus rule files;
                                  prometheusrule: PrometheusRule objects (monitoring.coreos.com/v1)
      --server URL                read the inventory of this running collector (GET /api/v1/functions)
      --token-file F              bearer token for --server ($FNSCOPE_TOKEN)
      --profile P                 production (default) or test: every window and "for" divided by 60
                                  (minutes become seconds) so an end-to-end test sees alerts quickly
      --selector M                extra label matchers on every function series, e.g. 'job="fnscope"'
      --collector-selector M      extra label matchers on the collector's own series
      --slo-availability PCT      default availability objective (default 99.9)
      --slo-latency SPEC          default latency objective, threshold@percent (default 1s@99)
      --runbook-base URL          runbook links are URL/<AlertName>.md (default docs/runbooks)
      --namespace NS              namespace of the PrometheusRule objects
      --label K=V                 extra label on the PrometheusRule objects (repeatable), e.g. release=prometheus

Examples:
  fnscope alerts --out alerts
  fnscope alerts --out /etc/prometheus/rules --server http://fnscope.monitoring:9464
  fnscope alerts --out rules --format prometheusrule --namespace monitoring --label release=prometheus
  fnscope alerts --out /tmp/rules --profile test
`,
  options: {
    out: { type: 'string' },
    format: { type: 'string', default: 'rules' },
    server: { type: 'string' },
    'token-file': { type: 'string' },
    profile: { type: 'string', default: 'production' },
    selector: { type: 'string' },
    'collector-selector': { type: 'string' },
    'slo-availability': { type: 'string' },
    'slo-latency': { type: 'string' },
    'runbook-base': { type: 'string' },
    namespace: { type: 'string' },
    label: { type: 'string', multiple: true },
  },
  async run(args, ctx) {
    const v = args.values;
    const out = v['out'];
    if (typeof out !== 'string' || out === '') throw new UsageError('--out DIR is required');
    const format = oneOf<RulesFormat>('--format', v['format'], RULES_FORMATS);
    const profile = oneOf<Profile>('--profile', v['profile'], ['production', 'test']);
    const cfg = asUsage((): GenerateConfig => {
      const partial: Partial<GenerateConfig> = { profile, objectLabels: parseLabelFlags((v['label'] as string[] | undefined) ?? []) };
      if (typeof v['selector'] === 'string') partial.selector = v['selector'];
      if (typeof v['collector-selector'] === 'string') partial.collectorSelector = v['collector-selector'];
      if (typeof v['runbook-base'] === 'string') partial.runbookBase = v['runbook-base'];
      if (typeof v['namespace'] === 'string') partial.namespace = v['namespace'];
      const slo = { ...resolveConfig().slo };
      if (typeof v['slo-availability'] === 'string') slo.availability = parseAvailability(v['slo-availability']);
      if (typeof v['slo-latency'] === 'string') slo.latency = parseLatency(v['slo-latency']);
      partial.slo = slo;
      return resolveConfig(partial);
    });
    let inventory: Inventory = EMPTY_INVENTORY;
    if (typeof v['server'] === 'string') {
      inventory = await loadInventory(v['server'], { token: await readTokenFlag(v['token-file'], ctx.env) });
    }
    const warn = (m: string): void => void ctx.stderr.write(`fnscope: warning: ${m}\n`);
    const files = generateRuleFiles(inventory, cfg, format, warn);
    try {
      for (const path of await writeGeneratedFiles(out, files)) ctx.stdout.write(`wrote ${path}\n`);
    } catch (e) {
      ctx.stderr.write(`fnscope: cannot write to ${out}: ${describeError(e)}\n`);
      return 1;
    }
    return 0;
  },
};
