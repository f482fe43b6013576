import { ErrorCodes, FnscopeError } from '../util/errors.ts';
import { formatDuration } from './duration.ts';
import { parseMatchers } from './promql/selectors.ts';

/** A latency objective: `target` (ratio, e.g. 0.99) of calls finish within `thresholdSeconds`. */
export interface LatencyObjective {
  thresholdSeconds: number;
  target: number;
}

/** SLO targets used for functions without (valid) annotations. Ratios, not percentages. */
export interface SloDefaults {
  availability: number;
  latency: LatencyObjective;
}

/**
 * `production` uses the real windows (5m … 30d). `test` divides every window and `for` duration by 60
 * (minutes become seconds) so an end-to-end test sees alerts fire and resolve within a minute or two;
 * the rules are otherwise identical.
 */
export type Profile = 'production' | 'test';

export interface GenerateConfig {
  /** Extra label matchers on every function series, e.g. `job="fnscope"` (no braces). */
  selector: string;
  /** Extra label matchers on the collector's own series. */
  collectorSelector: string;
  slo: SloDefaults;
  profile: Profile;
  /** Multiplies every window, offset and `for` duration: 1 in production, 1/60 in the test profile. */
  windowScale: number;
  /** Base of runbook links: `<runbookBase>/<AlertName>.md`. */
  runbookBase: string;
  /** FunctionTimeoutsRising fires above this share of calls timing out (ratio). */
  timeoutRatio: number;
  /** FnscopeScrapesFailing fires above this share of failed scrapes (ratio). */
  scrapeFailureRatio: number;
  /** FnscopeDiscoveryStalled fires when discovery has not confirmed its view for this long (not scaled). */
  discoveryStallSeconds: number;
  /** Where dashboards link for error groups: the collector's HTTP address as the browser reaches it. */
  fnscopeUrl: string;
  /** Grafana folder for the dashboards (provisioning provider, sidecar annotation). */
  folder: string;
  /** Namespace of generated Kubernetes objects (ConfigMaps, PrometheusRule); none when empty. */
  namespace: string;
  /** Extra labels on generated Kubernetes objects, e.g. the label a prometheus-operator ruleSelector wants. */
  objectLabels: Record<string, string>;
  /** Prometheus URL written into the Grafana datasource provisioning file. */
  prometheusUrl: string;
}

export const DEFAULT_CONFIG: Readonly<GenerateConfig> = Object.freeze({
  selector: '',
  collectorSelector: '',
  slo: { availability: 0.999, latency: { thresholdSeconds: 1, target: 0.99 } },
  profile: 'production',
  windowScale: 1,
  runbookBase: 'docs/runbooks',
  timeoutRatio: 0.01,
  scrapeFailureRatio: 0.1,
  discoveryStallSeconds: 600,
  fnscopeUrl: 'http://127.0.0.1:9464',
  folder: 'fnscope',
  namespace: '',
  objectLabels: {},
  prometheusUrl: 'http://127.0.0.1:9090',
});

export const TEST_PROFILE_SCALE = 1 / 60;

function invalid(message: string): FnscopeError {
  return new FnscopeError(ErrorCodes.CONFIG_INVALID, message);
}

function checkRatio(name: string, v: number): void {
  if (!(v > 0 && v < 1)) throw invalid(`${name} must be between 0 and 1 (exclusive), got ${v}`);
}

/** Fill in defaults and validate. The profile sets windowScale unless one is given explicitly. */
export function resolveConfig(partial: Partial<GenerateConfig> = {}): GenerateConfig {
  const profile = partial.profile ?? DEFAULT_CONFIG.profile;
  if (profile !== 'production' && profile !== 'test') throw invalid(`unknown profile "${String(profile)}" (production or test)`);
  const cfg: GenerateConfig = {
    ...DEFAULT_CONFIG,
    ...partial,
    slo: { ...DEFAULT_CONFIG.slo, ...partial.slo },
    objectLabels: { ...partial.objectLabels },
    profile,
    windowScale: partial.windowScale ?? (profile === 'test' ? TEST_PROFILE_SCALE : 1),
  };
  parseMatchers(cfg.selector);
  parseMatchers(cfg.collectorSelector);
  checkRatio('default availability objective', cfg.slo.availability);
  checkRatio('default latency target', cfg.slo.latency.target);
  if (!(cfg.slo.latency.thresholdSeconds > 0)) throw invalid('default latency threshold must be greater than zero');
  checkRatio('timeout ratio', cfg.timeoutRatio);
  checkRatio('scrape failure ratio', cfg.scrapeFailureRatio);
  if (!(cfg.windowScale > 0) || cfg.windowScale > 1) throw invalid(`window scale must be in (0, 1], got ${cfg.windowScale}`);
  if (!(cfg.discoveryStallSeconds > 0)) throw invalid('discovery stall threshold must be greater than zero');
  cfg.runbookBase = cfg.runbookBase.replace(/\/+$/, '');
  return cfg;
}

/** A window or `for` duration (given in production seconds) as the profile's PromQL duration. */
export function scaledDuration(cfg: GenerateConfig, seconds: number): string {
  return formatDuration(Math.max(1, seconds * cfg.windowScale));
}

/** Matchers that select every function series: fnscope's `function` label plus the configured selector. */
export function functionMatchers(cfg: GenerateConfig): string[] {
  return ['function!=""', ...parseMatchers(cfg.selector)];
}

export function collectorMatchers(cfg: GenerateConfig): string[] {
  return parseMatchers(cfg.collectorSelector);
}

/** `--label key=value` flags as a label map (Kubernetes label keys and values). */
export function parseLabelFlags(flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of flags) {
    const i = f.indexOf('=');
    const key = i > 0 ? f.slice(0, i) : '';
    if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$/.test(key)) {
      throw invalid(`invalid label "${f}" (expected key=value, e.g. release=prometheus)`);
    }
    out[key] = f.slice(i + 1);
  }
  return out;
}
