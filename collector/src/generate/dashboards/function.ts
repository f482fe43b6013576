import { GraphThresholdsStyleConfigBuilder, GraphThresholdsStyleMode } from '@grafana/grafana-foundation-sdk/common';
import { AnnotationQueryBuilder, DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import { createHash } from 'node:crypto';
import type { GenerateConfig } from '../config.ts';
import { roundNumber } from '../duration.ts';
import type { InventoryFunction } from '../inventory.ts';
import { COLLECTOR, REC, errorRatio, slowRatio, type WindowName } from '../names.ts';
import { METRICS, bucketRate, callsRate, errorsRate } from '../promql/sources.ts';
import type { ResolvedSlo } from '../slo.ts';
import { DATASOURCE, link, query, row, stat, table, thresholds, timeseries } from './defaults.ts';
import { finishDashboard } from './finish.ts';
import { DASHBOARD_TAG, DETAIL_UID, dashboardLinks } from './overview.ts';
import { singleScope, raw, rec } from './scope.ts';
import { constantVariable, datasourceVariable, fnscopeUrlVariable, functionVariable, namespaceVariable } from './variables.ts';

/** A function whose dashboard is pinned to it, with its SLO targets drawn as thresholds. */
export interface PinnedFunction {
  fn: InventoryFunction;
  slo: ResolvedSlo;
}

/** Grafana uids are at most 40 characters: a readable prefix and a hash of namespace/name. */
export function functionDashboardUid(namespace: string, name: string): string {
  const hash = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 10);
  const slug = `${namespace}-${name}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 18).replace(/-+$/, '');
  return `fnscope-fn-${slug}-${hash}`;
}

function withLine(p: TimeseriesPanel, value: number | undefined): TimeseriesPanel {
  if (value === undefined) return p;
  return p
    .thresholds(thresholds('transparent', [[value, 'red']]))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
}

const BURN_WINDOWS: readonly WindowName[] = ['1h', '6h', '1d', '3d'];

/**
 * One function in depth: per method and per pod, response codes, exceptions and the latest error
 * groups (linked to the fnscope API), SLO burn, pod restarts as annotations. Templated on namespace and
 * function unless pinned to one function.
 */
export function functionDashboard(cfg: GenerateConfig, pinned?: PinnedFunction): Dashboard {
  const s = singleScope(cfg);
  const by = (label: string): readonly string[] => ['namespace', 'function', label];
  const chain = (label: string) => ({ window: '$__rate_interval', by: by(label), matchers: s.raw });
  const budget = pinned ? roundNumber(1 - pinned.slo.availability) : undefined;
  const threshold = pinned?.slo.latency.thresholdSeconds;

  const d = pinned
    ? new DashboardBuilder(`fnscope / ${pinned.fn.namespace}/${pinned.fn.name}`)
        .uid(functionDashboardUid(pinned.fn.namespace, pinned.fn.name))
        .withVariable(datasourceVariable())
        .withVariable(constantVariable('namespace', pinned.fn.namespace))
        .withVariable(constantVariable('function', pinned.fn.name))
    : new DashboardBuilder('fnscope / Function')
        .uid(DETAIL_UID)
        .withVariable(datasourceVariable())
        .withVariable(namespaceVariable(cfg, false))
        .withVariable(functionVariable(cfg, false));
  d.description('One function in depth: per method, per pod, response codes, exceptions, error groups and SLOs.')
    .tags([DASHBOARD_TAG])
    .editable()
    .time({ from: 'now-3h', to: 'now' })
    .refresh('1m')
    .links(dashboardLinks())
    .withVariable(fnscopeUrlVariable(cfg));

  d.withRow(row('Now'))
    .withPanel(stat({ title: 'Calls/s', description: 'Over 5m.', unit: 'reqps', width: 3, targets: [query(rec(REC.calls, s))] }))
    .withPanel(
      stat({
        title: 'Error ratio',
        description: 'Failed calls (5xx, 408) over 5m.',
        unit: 'percentunit',
        width: 3,
        targets: [query(rec(errorRatio('5m'), s))],
        thresholds: budget === undefined ? thresholds('text') : thresholds('green', [[budget, 'red']]),
      }),
    )
    .withPanel(stat({ title: 'Timeouts/s', description: 'HTTP 408 over 5m.', unit: 'reqps', width: 3, targets: [query(rec(REC.timeouts, s))] }))
    .withPanel(
      stat({
        title: 'p99 latency',
        description: 'Over 5m.',
        unit: 's',
        width: 3,
        targets: [query(rec(REC.quantile, s, ['quantile="0.99"']))],
        thresholds: threshold === undefined ? thresholds('text') : thresholds('green', [[threshold, 'red']]),
      }),
    )
    .withPanel(
      stat({
        title: 'Pods ready',
        description: 'Ready pods / all pods.',
        unit: 'short',
        width: 3,
        targets: [query(`max(${raw(COLLECTOR.podsReady, s)})`, 'ready'), query(`max(${raw(COLLECTOR.pods, s)})`, 'total')],
      }),
    )
    .withPanel(
      stat({
        title: 'Restarts (1h)',
        description: 'Container restarts over the last hour, all pods.',
        unit: 'short',
        width: 3,
        targets: [query(`sum(increase(${raw(COLLECTOR.restarts, s)}[1h]))`)],
        thresholds: thresholds('green', [[1, 'orange']]),
      }),
    )
    .withPanel(
      stat({
        title: 'Availability budget left',
        description: 'Share of the 30-day availability error budget not yet spent.',
        unit: 'percentunit',
        width: 3,
        targets: [query(rec(REC.budgetRemaining, s, ['slo="availability"']))],
        thresholds: thresholds('red', [[0.25, 'orange'], [0.5, 'green']]),
      }),
    )
    .withPanel(
      stat({
        title: 'Latency budget left',
        description: 'Share of the 30-day latency error budget not yet spent.',
        unit: 'percentunit',
        width: 3,
        targets: [query(rec(REC.budgetRemaining, s, ['slo="latency"']))],
        thresholds: thresholds('red', [[0.25, 'orange'], [0.5, 'green']]),
      }),
    );

  const p99 = (label: string): string => `histogram_quantile(0.99, ${bucketRate(chain(label))})`;
  d.withRow(row('Per method'))
    .withPanel(timeseries({ title: 'Calls/s by method', description: 'HTTP method of the call ("any" where the runtime does not record it).', unit: 'reqps', width: 8, min: 0, targets: [query(callsRate(chain('method')), '{{method}}')] }))
    .withPanel(timeseries({ title: 'Errors/s by method', description: 'Failed calls per second by HTTP method.', unit: 'reqps', width: 8, min: 0, targets: [query(errorsRate(chain('method')), '{{method}}')] }))
    .withPanel(withLine(timeseries({ title: 'p99 latency by method', description: 'p99 call duration by HTTP method.', unit: 's', width: 8, min: 0, targets: [query(p99('method'), '{{method}}')] }), threshold));

  d.withRow(row('Per pod'))
    .withPanel(timeseries({ title: 'Calls/s by pod', description: 'Calls per second served by each pod.', unit: 'reqps', width: 8, min: 0, targets: [query(callsRate(chain('pod')), '{{pod}}')] }))
    .withPanel(timeseries({ title: 'Errors/s by pod', description: 'Failed calls per second by pod.', unit: 'reqps', width: 8, min: 0, targets: [query(errorsRate(chain('pod')), '{{pod}}')] }))
    .withPanel(withLine(timeseries({ title: 'p99 latency by pod', description: 'p99 call duration by pod.', unit: 's', width: 8, min: 0, targets: [query(p99('pod'), '{{pod}}')] }), threshold))
    .withPanel(
      timeseries({
        title: 'Container restarts by pod',
        description: 'Restart count of the function container of each pod.',
        unit: 'short',
        width: 8,
        min: 0,
        targets: [query(`max by (pod) (${raw(COLLECTOR.restarts, s)})`, '{{pod}}')],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Scrape duration by pod',
        description: 'How long scraping each pod took.',
        unit: 's',
        width: 8,
        min: 0,
        targets: [query(`max by (pod) (${raw(COLLECTOR.scrapeDuration, s)})`, '{{pod}}')],
      }),
    )
    .withPanel(
      timeseries({
        title: 'Scrape target up by pod',
        description: '1 when the last scrape of the pod succeeded, 0 when it failed.',
        unit: 'short',
        width: 8,
        min: 0,
        max: 1,
        targets: [query(`max by (pod) (${raw(COLLECTOR.up, s)})`, '{{pod}}')],
      }),
    );

  const sumRate = (sel: string): string => `sum(rate(${sel}[$__rate_interval]))`;
  // Zero rather than nothing while calls exist but no error series does (nodejs before its first failure).
  const share = (errors: string, calls: string): string => `(${sumRate(errors)} or 0 * ${sumRate(calls)}) / ${sumRate(calls)}`;
  d.withRow(row('Responses'))
    .withPanel(
      timeseries({
        title: 'Responses/s by status code',
        description: 'From the access lines the function logs (dotnet: its status label).',
        unit: 'reqps',
        width: 12,
        min: 0,
        targets: [
          query(
            `sum by (code) (rate(${raw(METRICS.responses, s)}[$__rate_interval]))\nor\n` +
              `label_replace(sum by (status) (rate(${raw(METRICS.dotnetCalls, s)}[$__rate_interval])), "code", "$1", "status", "(.*)")`,
            '{{code}}',
          ),
        ],
      }),
    )
    .withPanel(
      withLine(
        timeseries({
          title: 'Error ratio by source',
          description:
            'Access lines (5xx and 408) against the runtime failure counter: python does not count its 408 timeouts as failures and proxy runtimes count no upstream 500, so the two differ for them.',
          unit: 'percentunit',
          width: 12,
          min: 0,
          targets: [
            query(share(raw(METRICS.responses, s, ['code=~"5..|408"']), raw(METRICS.responses, s)), 'access lines'),
            query(share(raw(METRICS.failures, s), raw(METRICS.calls, s)), 'runtime counters'),
          ],
        }),
        budget,
      ),
    );

  d.withRow(row('Errors'))
    .withPanel(
      timeseries({
        title: 'Exceptions/s by type',
        description: 'Exceptions parsed from the function logs.',
        unit: 'short',
        width: 12,
        min: 0,
        targets: [query(`sum by (type) (rate(${raw(COLLECTOR.exceptions, s)}[$__rate_interval]))`, '{{type}}')],
      }),
    )
    .withPanel(
      table({
        title: 'Latest error groups',
        description: 'Error groups by last occurrence. Click a group for its events in the fnscope API.',
        width: 12,
        targets: [
          query(`topk(20, max by (group, type) (${raw(COLLECTOR.errorGroupLastSeen, s)})) * 1000`, '', { instant: true, table: true }),
        ],
      })
        .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, renameByName: { Value: 'Last seen' } } })
        .withTransformation({ id: 'sortBy', options: { sort: [{ field: 'Last seen', desc: true }] } })
        .overrideByName('Last seen', [{ id: 'unit', value: 'dateTimeAsIso' }])
        .overrideByName('group', [
          { id: 'links', value: [{ title: 'Error group in fnscope', url: '${fnscope}/api/v1/errors/${__data.fields.group}', targetBlank: true }] },
        ])
        .links([
          link('All error groups of this function (fnscope API)', '${fnscope}/api/v1/errors?namespace=${namespace}&function=${function}', true),
          link('fnscope', '${fnscope}/', true),
        ]),
    );

  const objective = rec(REC.availabilityObjective, s);
  const latencyObjective = `max(${rec(REC.latencyObjective, s)})`;
  const burnTargets = (ratio: (w: WindowName) => string, obj: string) =>
    BURN_WINDOWS.map((w) => query(`${rec(ratio(w), s)} / on () (1 - ${obj})`, w));
  const burnLines = (p: TimeseriesPanel): TimeseriesPanel =>
    p
      .thresholds(thresholds('transparent', [[1, 'yellow'], [3, 'orange'], [6, 'red'], [14.4, 'dark-red']]))
      .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
  d.withRow(row('SLOs'))
    .withPanel(
      timeseries({
        title: 'Error ratio against the objective',
        description: 'Error ratio over each SLO window and the allowed ratio (1 - objective).',
        unit: 'percentunit',
        width: 12,
        min: 0,
        targets: [
          ...(['5m', '1h', '6h', '3d'] as const).map((w) => query(rec(errorRatio(w), s), w)),
          query(`1 - ${objective}`, 'allowed'),
        ],
      }),
    )
    .withPanel(
      burnLines(
        timeseries({
          title: 'Availability burn rate',
          description: 'Error budget burn per window; the alert thresholds are 14.4 (1h), 6 (6h), 3 (1d) and 1 (3d).',
          unit: 'short',
          width: 12,
          min: 0,
          targets: burnTargets(errorRatio, `max(${objective})`),
        }),
      ),
    )
    .withPanel(
      timeseries({
        title: 'Slow calls against the objective',
        description: 'Share of calls slower than the latency threshold over each SLO window, and the allowed share.',
        unit: 'percentunit',
        width: 12,
        min: 0,
        targets: [...(['5m', '1h', '6h', '3d'] as const).map((w) => query(rec(slowRatio(w), s), w)), query(`1 - ${latencyObjective}`, 'allowed')],
      }),
    )
    .withPanel(
      burnLines(
        timeseries({
          title: 'Latency burn rate',
          description: 'Latency error budget burn per window.',
          unit: 'short',
          width: 12,
          min: 0,
          targets: burnTargets(slowRatio, latencyObjective),
        }),
      ),
    )
    .withPanel(
      timeseries({
        title: 'Error budget left (30d)',
        description: 'Share of each 30-day error budget not yet spent.',
        unit: 'percentunit',
        width: 24,
        max: 1,
        targets: [query(rec(REC.budgetRemaining, s), '{{slo}}')],
      }),
    );

  // The query goes in `target` (the schema's place); title, text and tags formats stay where Grafana's
  // Prometheus annotation support reads them.
  const restarts = new AnnotationQueryBuilder()
    .name('Pod restarts')
    .datasource(DATASOURCE)
    .enable(true)
    .iconColor('orange')
    .target(query(`sum by (pod) (increase(${raw(COLLECTOR.restarts, s)}[2m])) > 0`).refId('Anno').interval('1m'))
    .titleFormat('Pod restarted')
    .textFormat('{{pod}}')
    .tagKeys('pod')
    .build();
  return finishDashboard(d.build(), [restarts]);
}

