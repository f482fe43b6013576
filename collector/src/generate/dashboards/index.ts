export { DATASOURCE, DATASOURCE_VARIABLE, FUNCTION_LEGEND } from './defaults.ts';
export { BUILT_IN_ANNOTATION, allPanels, finishDashboard, isRow } from './finish.ts';
export { DASHBOARD_TAG, DETAIL_UID, OVERVIEW_UID, detailUrl, overviewDashboard } from './overview.ts';
export { functionDashboard, functionDashboardUid } from './function.ts';
export type { PinnedFunction } from './function.ts';
export { BUILT_IN_VALUES, checkDashboard, dashboardQueries, expandVariables, variableReferences } from './inspect.ts';
export type { PanelQuery } from './inspect.ts';
export {
  DASHBOARDS_FORMATS,
  dashboardConfigMap,
  dashboardJson,
  generateDashboardFiles,
  generateDashboards,
  provisionedDashboardsPath,
} from './files.ts';
export type { DashboardsFormat, GeneratedDashboard } from './files.ts';
export { FNSCOPE_URL_VARIABLE } from './variables.ts';
