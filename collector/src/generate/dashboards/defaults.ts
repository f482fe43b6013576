/**
 * House defaults for every generated panel, so the dashboards only say what differs: the Prometheus
 * datasource variable, legends as tables sorted by value, multi-series tooltips, no points, thin lines.
 */
import type { Builder, Dataquery } from '@grafana/grafana-foundation-sdk/cog';
import {
  BarGaugeDisplayMode,
  BigValueColorMode,
  BigValueGraphMode,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  TableCellDisplayMode,
  TooltipDisplayMode,
  VisibilityMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { DashboardLinkBuilder, RowBuilder, ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';
import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as BarGaugePanel } from '@grafana/grafana-foundation-sdk/bargauge';
import { DataqueryBuilder, PromQueryFormat } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';

/** Name of the datasource variable every panel and query points at. */
export const DATASOURCE_VARIABLE = 'datasource';
export const DATASOURCE: DataSourceRef = { type: 'prometheus', uid: `\${${DATASOURCE_VARIABLE}}` };

/** Legend text naming a function. */
export const FUNCTION_LEGEND = '{{namespace}}/{{function}}';

export interface QueryOptions {
  /** One value per series at the end of the range (tables, bar gauges, stats of "now"). */
  instant?: boolean;
  /** Table format: one row per series, labels as columns. */
  table?: boolean;
}

/** A PromQL query against the dashboard's datasource. refIds are assigned when the dashboard is finished. */
export function query(expr: string, legend?: string, opts: QueryOptions = {}): DataqueryBuilder {
  const q = new DataqueryBuilder().datasource(DATASOURCE).expr(expr);
  if (legend !== undefined) q.legendFormat(legend);
  if (opts.instant) q.instant();
  else q.range();
  if (opts.table) q.format(PromQueryFormat.Table);
  return q;
}

/** Thresholds: base colour, then [value, colour] steps. */
export function thresholds(base: string, steps: ReadonlyArray<[number, string]> = []): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder()
    .mode(ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);
}

interface Common {
  title: string;
  description: string;
  unit: string;
  targets: ReadonlyArray<Builder<Dataquery>>;
  width: number;
  height?: number;
}

export function timeseries(p: Common & { min?: number; max?: number }): TimeseriesPanel {
  const b = new TimeseriesPanel()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .unit(p.unit)
    .targets([...p.targets])
    .span(p.width)
    .height(p.height ?? 8)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(VisibilityMode.Never)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Bottom)
        .calcs(['mean', 'max', 'lastNotNull'])
        .sortBy('Max')
        .sortDesc(true),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
  if (p.min !== undefined) b.min(p.min);
  if (p.max !== undefined) b.max(p.max);
  return b;
}

export function stat(p: Common & { thresholds?: ThresholdsConfigBuilder }): StatPanel {
  return new StatPanel()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .unit(p.unit)
    .targets([...p.targets])
    .span(p.width)
    .height(p.height ?? 4)
    .graphMode(BigValueGraphMode.Area)
    .colorMode(BigValueColorMode.Value)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(p.thresholds ?? thresholds('text'));
}

export function barGauge(p: Common & { min?: number; max?: number; thresholds?: ThresholdsConfigBuilder }): BarGaugePanel {
  const b = new BarGaugePanel()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .unit(p.unit)
    .targets([...p.targets])
    .span(p.width)
    .height(p.height ?? 8)
    .displayMode(BarGaugeDisplayMode.Gradient)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false))
    .thresholds(p.thresholds ?? thresholds('green'));
  if (p.min !== undefined) b.min(p.min);
  if (p.max !== undefined) b.max(p.max);
  return b;
}

export function table(p: Omit<Common, 'unit'>): TablePanel {
  return new TablePanel()
    .title(p.title)
    .description(p.description)
    .datasource(DATASOURCE)
    .targets([...p.targets])
    .span(p.width)
    .height(p.height ?? 8)
    .cellOptions({ type: TableCellDisplayMode.Auto });
}

export function row(title: string): RowBuilder {
  return new RowBuilder(title);
}

/** A link shown on a panel or a data point. */
export function link(title: string, url: string, targetBlank = false): DashboardLinkBuilder {
  return new DashboardLinkBuilder(title).url(url).targetBlank(targetBlank);
}
