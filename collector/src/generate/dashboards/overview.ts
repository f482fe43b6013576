import { DashboardBuilder, DashboardLinkBuilder, DashboardLinkType } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { GenerateConfig } from '../config.ts';
import { COLLECTOR, QUANTILES, REC, errorRatio, slowRatio } from '../names.ts';
import { FUNCTION_LEGEND, barGauge, link, query, row, table, thresholds, timeseries } from './defaults.ts';
import { finishDashboard } from './finish.ts';
import { multiScope, raw, rec } from './scope.ts';
import { datasourceVariable, functionVariable, namespaceVariable } from './variables.ts';

export const OVERVIEW_UID = 'fnscope-overview';
export const DETAIL_UID = 'fnscope-function';
export const DASHBOARD_TAG = 'fnscope';

/** URL of the function detail dashboard for the function of a series (timeseries) or a table row. */
export function detailUrl(from: 'series' | 'row'): string {
  const v = (label: string): string => (from === 'series' ? `\${__field.labels.${label}}` : `\${__data.fields.${label}}`);
  return `/d/${DETAIL_UID}/fnscope-function?var-namespace=${v('namespace')}&var-function=${v('function')}&\${datasource:queryparam}&\${__url_time_range}`;
}

/** Dashboard links: every fnscope dashboard, as a drop-down keeping time range and variables. */
export function dashboardLinks(): DashboardLinkBuilder[] {
  return [
    new DashboardLinkBuilder('fnscope')
      .type(DashboardLinkType.Dashboards)
      .tags([DASHBOARD_TAG])
      .asDropdown(true)
      .includeVars(true)
      .keepTime(true),
  ];
}

const quantileTitle = (q: string): string => `p${Math.round(Number(q) * 100)}`;

/** Every function on one page: RED, pods, scrapes, top lists, exceptions and SLOs. */
export function overviewDashboard(cfg: GenerateConfig): Dashboard {
  const s = multiScope(cfg);
  const toDetail = [link('Function detail', detailUrl('series'))];
  const d = new DashboardBuilder('fnscope / Functions')
    .uid(OVERVIEW_UID)
    .description('Every function fnscope watches: calls, errors, latency, pods, scrapes, exceptions and SLOs.')
    .tags([DASHBOARD_TAG])
    .editable()
    .time({ from: 'now-3h', to: 'now' })
    .refresh('1m')
    .links(dashboardLinks())
    .withVariable(datasourceVariable())
    .withVariable(namespaceVariable(cfg, true))
    .withVariable(functionVariable(cfg, true));

  d.withRow(row('Functions')).withPanel(
    table({
      title: 'Functions',
      description: 'Now, per function: calls/s and error ratio over 5m, p99 latency, ready pods, availability error budget left over 30d. Click a function for its dashboard.',
      targets: [
        query(rec(REC.calls, s), '', { instant: true, table: true }).refId('calls'),
        query(rec(errorRatio('5m'), s), '', { instant: true, table: true }).refId('errors'),
        query(rec(REC.quantile, s, ['quantile="0.99"']), '', { instant: true, table: true }).refId('p99'),
        query(`max by (namespace, function) (${raw(COLLECTOR.podsReady, s)})`, '', { instant: true, table: true }).refId('ready'),
        query(rec(REC.budgetRemaining, s, ['slo="availability"']), '', { instant: true, table: true }).refId('budget'),
      ],
      width: 24,
    })
      .withTransformation({ id: 'merge', options: {} })
      .withTransformation({
        id: 'organize',
        options: {
          excludeByName: { Time: true, quantile: true, slo: true },
          indexByName: { namespace: 0, function: 1 },
          renameByName: {
            'Value #calls': 'Calls/s',
            'Value #errors': 'Error ratio',
            'Value #p99': 'p99',
            'Value #ready': 'Pods ready',
            'Value #budget': 'Error budget left',
          },
        },
      })
      .overrideByName('function', [{ id: 'links', value: [{ title: 'Function detail', url: detailUrl('row') }] }])
      .overrideByName('Calls/s', [{ id: 'unit', value: 'reqps' }])
      .overrideByName('Error ratio', [{ id: 'unit', value: 'percentunit' }])
      .overrideByName('p99', [{ id: 'unit', value: 's' }])
      .overrideByName('Error budget left', [{ id: 'unit', value: 'percentunit' }]),
  );

  d.withRow(row('Calls and errors'))
    .withPanel(
      timeseries({ title: 'Calls/s', description: 'Calls per second over 5m, every pod of the function summed.', unit: 'reqps', width: 8, min: 0, targets: [query(rec(REC.calls, s), FUNCTION_LEGEND)] })
        .dataLinks(toDetail),
    )
    .withPanel(
      timeseries({
        title: 'Error ratio',
        description: 'Share of calls that failed over 5m: 5xx and 408 from the access lines where the function has them, else the runtime failure counters.',
        unit: 'percentunit',
        width: 8,
        min: 0,
        targets: [query(rec(errorRatio('5m'), s), FUNCTION_LEGEND)],
      }).dataLinks(toDetail),
    )
    .withPanel(
      timeseries({
        title: 'Timeouts/s',
        description: 'Calls answered 408 per second over 5m (from access lines, or dotnet status codes).',
        unit: 'reqps',
        width: 8,
        min: 0,
        targets: [query(rec(REC.timeouts, s), FUNCTION_LEGEND)],
      }).dataLinks(toDetail),
    );

  d.withRow(row('Latency'));
  for (const q of QUANTILES) {
    d.withPanel(
      timeseries({
        title: `Latency ${quantileTitle(q)}`,
        description: `${quantileTitle(q)} of call duration over 5m, from the runtime histogram (function_duration_seconds).`,
        unit: 's',
        width: 8,
        min: 0,
        targets: [query(rec(REC.quantile, s, [`quantile="${q}"`]), FUNCTION_LEGEND)],
      }).dataLinks(toDetail),
    );
  }

  d.withRow(row('Pods and scrapes'))
    .withPanel(
      timeseries({
        title: 'Pods ready',
        description: 'Ready pods and all pods of each function.',
        unit: 'short',
        width: 6,
        min: 0,
        targets: [
          query(`max by (namespace, function) (${raw(COLLECTOR.podsReady, s)})`, `${FUNCTION_LEGEND} ready`),
          query(`max by (namespace, function) (${raw(COLLECTOR.pods, s)})`, `${FUNCTION_LEGEND} total`),
        ],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Container restarts',
        description: 'Restarts of the function containers, summed over pods, per hour.',
        unit: 'short',
        width: 6,
        min: 0,
        targets: [query(`sum by (namespace, function) (increase(${raw(COLLECTOR.restarts, s)}[1h]))`, FUNCTION_LEGEND)],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Scrape targets up',
        description: 'Share of the function pods whose metrics endpoint answered the last scrape.',
        unit: 'percentunit',
        width: 6,
        min: 0,
        targets: [query(`avg by (namespace, function) (${raw(COLLECTOR.up, s)})`, FUNCTION_LEGEND)],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Scrape duration',
        description: 'Slowest scrape of any pod of the function.',
        unit: 's',
        width: 6,
        min: 0,
        targets: [query(`max by (namespace, function) (${raw(COLLECTOR.scrapeDuration, s)})`, FUNCTION_LEGEND)],
      }),
    );

  d.withRow(row('Top functions'))
    .withPanel(
      barGauge({
        title: 'Top 10 by errors/s',
        description: 'Failed calls per second over 5m, now.',
        unit: 'reqps',
        width: 12,
        min: 0,
        thresholds: thresholds('green', [[0.01, 'orange'], [1, 'red']]),
        targets: [query(`topk(10, ${rec(REC.errors, s)})`, FUNCTION_LEGEND, { instant: true })],
      }).dataLinks(toDetail),
    )
    .withPanel(
      barGauge({
        title: 'Top 10 by p99 latency',
        description: 'p99 call duration over 5m, now.',
        unit: 's',
        width: 12,
        min: 0,
        thresholds: thresholds('green', [[0.5, 'orange'], [2, 'red']]),
        targets: [query(`topk(10, ${rec(REC.quantile, s, ['quantile="0.99"'])})`, FUNCTION_LEGEND, { instant: true })],
      }).dataLinks(toDetail),
    );

  d.withRow(row('Exceptions')).withPanel(
    timeseries({
      title: 'Exceptions/s by type',
      description: 'Exceptions fnscope parsed from the function logs, per second, by exception type.',
      unit: 'short',
      width: 24,
      min: 0,
      targets: [
        query(
          `sum by (namespace, function, type) (rate(${raw(COLLECTOR.exceptions, s)}[$__rate_interval]))`,
          `${FUNCTION_LEGEND} {{type}}`,
        ),
      ],
    }).dataLinks(toDetail),
  );

  const burn = (ratio: string, objective: string): string => `${ratio} / on (namespace, function) (1 - ${objective})`;
  d.withRow(row('SLOs'))
    .withPanel(
      timeseries({
        title: 'Availability burn rate (1h)',
        description: 'How many times faster than sustainable the availability error budget burns: 1 spends exactly the 30d budget; 14.4 over 1h pages.',
        unit: 'short',
        width: 6,
        min: 0,
        targets: [query(burn(rec(errorRatio('1h'), s), rec(REC.availabilityObjective, s)), FUNCTION_LEGEND)],
      }),
    )
    .withPanel(
      barGauge({
        title: 'Availability error budget left (30d)',
        description: 'Share of the 30-day availability error budget not yet spent; negative when overspent.',
        unit: 'percentunit',
        width: 6,
        max: 1,
        thresholds: thresholds('red', [[0.25, 'orange'], [0.5, 'green']]),
        targets: [query(rec(REC.budgetRemaining, s, ['slo="availability"']), FUNCTION_LEGEND, { instant: true })],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Latency burn rate (1h)',
        description: 'How many times faster than sustainable the latency error budget burns.',
        unit: 'short',
        width: 6,
        min: 0,
        targets: [query(burn(rec(slowRatio('1h'), s), `max by (namespace, function) (${rec(REC.latencyObjective, s)})`), FUNCTION_LEGEND)],
      }),
    )
    .withPanel(
      barGauge({
        title: 'Latency error budget left (30d)',
        description: 'Share of the 30-day latency error budget not yet spent; negative when overspent.',
        unit: 'percentunit',
        width: 6,
        max: 1,
        thresholds: thresholds('red', [[0.25, 'orange'], [0.5, 'green']]),
        targets: [query(rec(REC.budgetRemaining, s, ['slo="latency"']), FUNCTION_LEGEND, { instant: true })],
      }),
    );
  return finishDashboard(d.build());
}
