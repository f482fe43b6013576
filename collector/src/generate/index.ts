export type { GenerateConfig, LatencyObjective, Profile, SloDefaults } from './config.ts';
export { DEFAULT_CONFIG, TEST_PROFILE_SCALE, collectorMatchers, functionMatchers, parseLabelFlags, resolveConfig, scaledDuration } from './config.ts';
export { formatDuration, parseDuration } from './duration.ts';
export type { Inventory, InventoryFunction, LoadInventoryOptions } from './inventory.ts';
export { EMPTY_INVENTORY, inventoryFromFunctionsResponse, loadInventory } from './inventory.ts';
export { COLLECTOR, LONG_WINDOWS, QUANTILES, REC, WINDOWS, errorRatio, slowRatio } from './names.ts';
export type { WindowName } from './names.ts';
export type { GeneratedFile } from './output.ts';
export { functionSlug, writeGeneratedFiles } from './output.ts';
export { COMMON_BUCKETS, SLO_ANNOTATIONS, parseAvailability, parseLatency, resolveSlo, sloObjectiveSamples } from './slo.ts';
export type { ObjectiveSample, ResolvedSlo } from './slo.ts';
export { ERROR_CODES_RE, METRICS, bucketRate, callsRate, canonicalLe, errorsRate, parseMatchers, timeoutsRate } from './promql/index.ts';
export type { ChainOptions } from './promql/index.ts';
export {
  BURN_RATE_WINDOWS,
  RULES_FORMATS,
  generateRuleFiles,
  genericRuleFile,
  inventoryRuleGroups,
  isAlertingRule,
  prometheusRuleYaml,
  ruleFileYaml,
} from './alerts/index.ts';
export type { AlertingRule, RecordingRule, Rule, RuleFile, RuleGroup, RulesFormat, Severity } from './alerts/index.ts';
export {
  DASHBOARDS_FORMATS,
  checkDashboard,
  dashboardQueries,
  expandVariables,
  functionDashboard,
  generateDashboardFiles,
  generateDashboards,
  overviewDashboard,
} from './dashboards/index.ts';
export type { DashboardsFormat, GeneratedDashboard, PanelQuery } from './dashboards/index.ts';
