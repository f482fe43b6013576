import {
  ConstantVariableBuilder,
  DatasourceVariableBuilder,
  QueryVariableBuilder,
  TextBoxVariableBuilder,
  VariableRefresh,
  VariableSort,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { functionMatchers, type GenerateConfig } from '../config.ts';
import { COLLECTOR } from '../names.ts';
import { series } from '../promql/selectors.ts';
import { DATASOURCE, DATASOURCE_VARIABLE } from './defaults.ts';

/** Name of the text variable holding the collector's URL (links to error groups). */
export const FNSCOPE_URL_VARIABLE = 'fnscope';

export function datasourceVariable(): DatasourceVariableBuilder {
  return new DatasourceVariableBuilder(DATASOURCE_VARIABLE).label('Data source').type('prometheus');
}

function labelValues(cfg: GenerateConfig, label: string, extra: readonly string[]): QueryVariableBuilder {
  const q = `label_values(${series(COLLECTOR.functionInfo, [...functionMatchers(cfg), ...extra])}, ${label})`;
  return new QueryVariableBuilder(label)
    .datasource(DATASOURCE)
    .query(q)
    .refresh(VariableRefresh.OnTimeRangeChanged)
    .sort(VariableSort.AlphabeticalAsc);
}

/** Namespace and function pickers: `multi` adds multi-select and All (`.*`). */
export function namespaceVariable(cfg: GenerateConfig, multi: boolean): QueryVariableBuilder {
  const v = labelValues(cfg, 'namespace', []).label('Namespace');
  return multi ? v.multi(true).includeAll(true).allValue('.*') : v;
}

export function functionVariable(cfg: GenerateConfig, multi: boolean): QueryVariableBuilder {
  const v = labelValues(cfg, 'function', [multi ? 'namespace=~"$namespace"' : 'namespace="$namespace"']).label('Function');
  return multi ? v.multi(true).includeAll(true).allValue('.*') : v;
}

export function fnscopeUrlVariable(cfg: GenerateConfig): TextBoxVariableBuilder {
  return new TextBoxVariableBuilder(FNSCOPE_URL_VARIABLE)
    .label('fnscope URL')
    .description('Where the browser reaches the fnscope collector: error groups link there.')
    .defaultValue(cfg.fnscopeUrl)
    .current({ text: cfg.fnscopeUrl, value: cfg.fnscopeUrl });
}

/** A fixed value, hidden from the variable bar (per-function dashboards pin namespace and function). */
export function constantVariable(name: string, value: string): ConstantVariableBuilder {
  return new ConstantVariableBuilder(name).value(value);
}
