import type express from 'express';
import { parse } from 'yaml';
import { dashboardConfigMap, dashboardJson } from '../../generate/dashboards/index.ts';
import {
  DASHBOARDS_FORMATS,
  RULES_FORMATS,
  generateDashboards,
  generateRuleFiles,
  genericRuleFile,
  inventoryRuleGroups,
  resolveConfig,
  ruleFileYaml,
  type DashboardsFormat,
  type GenerateConfig,
  type GeneratedFile,
  type Inventory,
  type Profile,
  type RulesFormat,
} from '../../generate/index.ts';
import { isFnscopeError } from '../../util/errors.ts';
import { ApiError, sendData } from '../envelope.ts';
import { oneParam } from '../params.ts';

export interface GeneratedRoutesOptions {
  /** The functions the collector knows now. */
  inventory: () => Inventory;
  /** Generation settings (selector, SLO defaults, runbook base...); profile and the fnscope URL come from the request when unset. */
  config?: Partial<GenerateConfig>;
}

/** One dashboard of GET /api/v1/dashboards. */
export interface DashboardItem {
  uid: string;
  title: string;
  /** The file `fnscope dashboards --format FORMAT` writes for it. */
  path: string;
  /** Set for a dashboard pinned to one function. */
  function?: { namespace: string; name: string };
  /** format=json: the dashboard JSON, ready to import. */
  dashboard?: unknown;
  /** format=configmap: the ConfigMap object for the Grafana sidecar. */
  configMap?: unknown;
}

/** The answer of GET /api/v1/rules. */
export interface RulesData {
  format: RulesFormat;
  profile: Profile;
  /** The files `fnscope alerts --format FORMAT` writes: the generic set, then one per annotated function. */
  files: GeneratedFile[];
}

const PROFILES: readonly Profile[] = ['production', 'test'];
const YAML_TYPE = 'application/yaml';

function choice<T extends string>(req: express.Request, name: string, allowed: readonly T[], fallback: T): T {
  const v = oneParam(req.query[name], name) ?? fallback;
  if (!(allowed as readonly string[]).includes(v)) throw new ApiError('bad_data', `${name} must be one of ${allowed.join(', ')}`);
  return v as T;
}

/** `?raw=1`, or an Accept header that prefers YAML (or JSON for dashboards) to the envelope. */
function wantsRaw(req: express.Request): boolean {
  const raw = oneParam(req.query['raw'], 'raw');
  if (raw !== undefined) return raw === '1' || raw === 'true';
  const accept = req.headers.accept ?? '';
  return /\b(application|text)\/(x-)?yaml\b/.test(accept) && req.accepts(['application/json', YAML_TYPE, 'text/yaml']) !== 'application/json';
}

function configFor(req: express.Request, opts: GeneratedRoutesOptions, profile?: Profile): GenerateConfig {
  const base = opts.config ?? {};
  const fnscopeUrl = base.fnscopeUrl ?? `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
  try {
    return resolveConfig({ ...base, fnscopeUrl, ...(profile ? { profile } : {}) });
  } catch (e) {
    if (isFnscopeError(e)) throw new ApiError('internal', `generation settings are invalid: ${e.message}`);
    throw e;
  }
}

function dashboardItems(inventory: Inventory, cfg: GenerateConfig, format: DashboardsFormat, warn: (m: string) => void): Array<DashboardItem & { content: string }> {
  return generateDashboards(inventory, cfg, warn).map((g) => {
    const uid = g.dashboard.uid ?? 'fnscope';
    const content = format === 'configmap' ? dashboardConfigMap(g.dashboard, cfg) : dashboardJson(g.dashboard);
    const item: DashboardItem & { content: string } = {
      uid,
      title: g.dashboard.title ?? '',
      path: format === 'configmap' ? `${uid}.configmap.yaml` : `${uid}.json`,
      ...(g.function ? { function: g.function } : {}),
      content,
    };
    if (format === 'configmap') item.configMap = parse(content) as unknown;
    else item.dashboard = g.dashboard;
    return item;
  });
}

function publicItem(i: DashboardItem & { content: string }): DashboardItem {
  const { content: _content, ...rest } = i;
  return rest;
}

/** Multi-document YAML, for `kubectl apply -f -`. */
function yamlDocuments(contents: readonly string[]): string {
  return contents.map((c) => (c.endsWith('\n') ? c : `${c}\n`)).join('---\n');
}

/** One Prometheus rule file holding every group: the generic set and the inventory's SLO groups. */
function singleRuleFile(inventory: Inventory, cfg: GenerateConfig, warn: (m: string) => void): string {
  const file = genericRuleFile(cfg);
  const groups = [...file.groups, ...inventoryRuleGroups(inventory, cfg, warn).map((g) => g.group)];
  return ruleFileYaml({ groups }, [
    `fnscope recording and alerting rules for the current inventory, served by the collector (profile ${cfg.profile}).`,
    'Regenerate rather than edit; docs/alerts.md describes every rule.',
  ]);
}

/**
 * GET /api/v1/dashboards[?format=json|configmap][&raw=1], GET /api/v1/dashboards/{uid} and
 * GET /api/v1/rules[?format=rules|prometheusrule][&profile=production|test][&raw=1]: what
 * `fnscope dashboards` and `fnscope alerts --server` generate for the current inventory (docs/api.md).
 */
export function generatedRoutes(opts: GeneratedRoutesOptions): (app: express.Express) => void {
  return (app) => {
    app.get('/api/v1/dashboards', (req, res) => {
      const format = choice<DashboardsFormat>(req, 'format', DASHBOARDS_FORMATS.filter((f) => f !== 'provisioning'), 'json');
      const warnings: string[] = [];
      const items = dashboardItems(opts.inventory(), configFor(req, opts), format, (m) => warnings.push(m));
      if (!wantsRaw(req)) return sendData(res, items.map(publicItem), [...new Set(warnings)]);
      if (format === 'configmap') return void res.type(YAML_TYPE).send(yamlDocuments(items.map((i) => i.content)));
      res.type('application/json').send(`${JSON.stringify(items.map((i) => i.dashboard), null, 2)}\n`);
    });

    app.get('/api/v1/dashboards/:uid', (req, res) => {
      const format = choice<DashboardsFormat>(req, 'format', DASHBOARDS_FORMATS.filter((f) => f !== 'provisioning'), 'json');
      const uid = String(req.params['uid']);
      const warnings: string[] = [];
      const item = dashboardItems(opts.inventory(), configFor(req, opts), format, (m) => warnings.push(m)).find((i) => i.uid === uid);
      if (!item) throw new ApiError('not_found', `no dashboard with uid "${uid}"`);
      if (!wantsRaw(req)) return sendData(res, publicItem(item), [...new Set(warnings)]);
      res.type(format === 'configmap' ? YAML_TYPE : 'application/json').send(item.content);
    });

    app.get('/api/v1/rules', (req, res) => {
      const format = choice<RulesFormat>(req, 'format', RULES_FORMATS, 'rules');
      const profile = choice<Profile>(req, 'profile', PROFILES, opts.config?.profile ?? 'production');
      const cfg = configFor(req, opts, profile);
      const warnings: string[] = [];
      const warn = (m: string): void => void warnings.push(m);
      const inventory = opts.inventory();
      if (wantsRaw(req)) {
        const body = format === 'rules' ? singleRuleFile(inventory, cfg, warn) : yamlDocuments(generateRuleFiles(inventory, cfg, format, warn).map((f) => f.content));
        return void res.type(YAML_TYPE).send(body);
      }
      const data: RulesData = { format, profile, files: generateRuleFiles(inventory, cfg, format, warn) };
      sendData(res, data, [...new Set(warnings)]);
    });
  };
}
