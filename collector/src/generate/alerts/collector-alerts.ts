import { scaledDuration, type GenerateConfig } from '../config.ts';
import { COLLECTOR } from '../names.ts';
import { alertRule } from './alert.ts';
import type { RuleGroup } from './model.ts';
import { collectorSeries } from './recording.ts';

const MIN = 60;
const COLLECTOR_ID = 'collector {{ $labels.instance }}';

/** Alerts about fnscope itself: if the collector is blind, every function alert is too. */
export function collectorAlertGroup(cfg: GenerateConfig): RuleGroup {
  const s = (metric: string): string => collectorSeries(cfg, metric);
  const d = (seconds: number): string => scaledDuration(cfg, seconds);
  const ratio = Number(cfg.scrapeFailureRatio.toPrecision(12));
  const perCollector = (metric: string): string => `sum by (job, instance) (rate(${s(metric)}[${d(5 * MIN)}]))`;
  return {
    name: 'fnscope-collector-alerts',
    interval: d(MIN),
    rules: [
      alertRule(cfg, 'FnscopeCollectorDown', {
        expr: `absent(${s(COLLECTOR.discoverySynced)})`,
        for: d(10 * MIN),
        severity: 'critical',
        summary: 'No fnscope collector is reporting',
        description:
          `Prometheus has had no metrics from any fnscope collector for ${d(10 * MIN)}: ` +
          'no function is being watched, and no function alert can fire.',
      }),
      alertRule(cfg, 'FnscopeDiscoveryStalled', {
        expr: `time() - ${s(COLLECTOR.discoveryLastSync)} > ${cfg.discoveryStallSeconds}`,
        for: d(5 * MIN),
        severity: 'warning',
        labels: { reason: 'stale' },
        summary: `fnscope ${COLLECTOR_ID} has lost track of the cluster`,
        description:
          `The {{ $labels.provider }} discovery of fnscope ${COLLECTOR_ID} last confirmed its view of functions and pods ` +
          '{{ $value | humanizeDuration }} ago: new, changed and deleted functions are not seen.',
      }),
      alertRule(cfg, 'FnscopeDiscoveryStalled', {
        expr: `${s(COLLECTOR.discoverySynced)} == 0`,
        for: d(10 * MIN),
        severity: 'warning',
        labels: { reason: 'unsynced' },
        summary: `fnscope ${COLLECTOR_ID} has lost track of the cluster`,
        description:
          `The {{ $labels.provider }} discovery of fnscope ${COLLECTOR_ID} has not been in sync for ${d(10 * MIN)}: ` +
          'it cannot list or watch functions and pods.',
      }),
      alertRule(cfg, 'FnscopeScrapesFailing', {
        expr: `${perCollector(COLLECTOR.scrapeFailures)}\n/\n${perCollector(COLLECTOR.scrapes)}\n> ${ratio}`,
        for: d(15 * MIN),
        severity: 'warning',
        summary: `fnscope ${COLLECTOR_ID} fails many scrapes`,
        description:
          `{{ $value | humanizePercentage }} of the scrapes of fnscope ${COLLECTOR_ID} failed over the last ${d(5 * MIN)}, ` +
          `above ${Number((ratio * 100).toPrecision(6))}% for ${d(15 * MIN)}: function metrics have gaps.`,
      }),
      alertRule(cfg, 'FnscopeLiveHubDropping', {
        expr: `${perCollector(COLLECTOR.liveDropped)} > 0`,
        for: d(15 * MIN),
        severity: 'info',
        summary: `fnscope ${COLLECTOR_ID} drops live-tail messages`,
        description:
          `The live hub of fnscope ${COLLECTOR_ID} has dropped {{ $value | printf "%.2f" }} messages per second ` +
          `for ${d(15 * MIN)}: live-tail subscribers are too slow or their filters too broad.`,
      }),
    ],
  };
}
