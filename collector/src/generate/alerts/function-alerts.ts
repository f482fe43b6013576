import { functionMatchers, scaledDuration, type GenerateConfig } from '../config.ts';
import { COLLECTOR, REC } from '../names.ts';
import { series } from '../promql/selectors.ts';
import { FN, FN_ID, FN_START, alertRule } from './alert.ts';
import type { RuleGroup } from './model.ts';

const MIN = 60;

/** Alerts about one function's pods, scrapes, timeouts and exceptions. */
export function functionAlertGroup(cfg: GenerateConfig): RuleGroup {
  const s = (metric: string): string => series(metric, functionMatchers(cfg));
  const d = (seconds: number): string => scaledDuration(cfg, seconds);
  const pct = `${Number((cfg.timeoutRatio * 100).toPrecision(6))}%`;
  return {
    name: 'fnscope-function-alerts',
    interval: d(MIN),
    rules: [
      alertRule(cfg, 'FunctionTargetDown', {
        expr: `max by (namespace, function, pod) (${s(COLLECTOR.up)}) == 0`,
        for: d(5 * MIN),
        severity: 'warning',
        summary: `A pod of ${FN_ID} cannot be scraped`,
        description:
          `Every scrape of pod {{ $labels.pod }} of ${FN} has failed for ${d(5 * MIN)}: ` +
          'its metrics endpoint does not answer or answers with an error.',
      }),
      alertRule(cfg, 'FunctionNoScrapeData', {
        expr:
          `(max by (namespace, function) (${s(COLLECTOR.podsReady)}) > 0)\n` +
          `unless on (namespace, function)\n` +
          `(max by (namespace, function) (max_over_time(${s(COLLECTOR.scrapeSamples)}[${d(10 * MIN)}])) > 0)\n` +
          `unless on (namespace, function)\n` +
          `(max by (namespace, function) (${s(COLLECTOR.up)}) == 0)`,
        for: d(10 * MIN),
        severity: 'warning',
        summary: `No metrics from ${FN_ID}`,
        description:
          `${FN_START} has ready pods, but fnscope has scraped no samples from any of them for ${d(10 * MIN)}: ` +
          'no scrape target, or targets that answer with no series.',
      }),
      alertRule(cfg, 'FunctionNoReadyPods', {
        expr:
          `(max by (namespace, function) (${s(COLLECTOR.pods)}) > 0)\n` +
          `and on (namespace, function)\n` +
          `(max by (namespace, function) (${s(COLLECTOR.podsReady)}) == 0)`,
        for: d(5 * MIN),
        severity: 'critical',
        summary: `${FN_ID} has no ready pod`,
        description: `${FN_START} has {{ $value }} pods and none of them has been ready for ${d(5 * MIN)}: calls to it fail.`,
      }),
      alertRule(cfg, 'FunctionPodCrashLooping', {
        expr: `max by (namespace, function, pod) (increase(${s(COLLECTOR.restarts)}[${d(10 * MIN)}])) > 0`,
        for: d(15 * MIN),
        severity: 'warning',
        summary: `A pod of ${FN_ID} keeps restarting`,
        description:
          `Pod {{ $labels.pod }} of ${FN} has restarted {{ $value | printf "%.0f" }} times in the last ${d(10 * MIN)} ` +
          `and has kept restarting for ${d(15 * MIN)}: a crash, a timeout that kills the process, or a failing liveness probe.`,
      }),
      alertRule(cfg, 'FunctionTimeoutsRising', {
        expr: `${REC.timeoutRatio} > ${Number(cfg.timeoutRatio.toPrecision(12))}`,
        for: d(10 * MIN),
        severity: 'warning',
        summary: `Calls to ${FN_ID} are timing out`,
        description:
          `{{ $value | humanizePercentage }} of the calls to ${FN} timed out (HTTP 408) over the last ${d(5 * MIN)}, ` +
          `above ${pct} for ${d(10 * MIN)}.`,
      }),
      alertRule(cfg, 'FunctionNewExceptionType', {
        expr:
          `group by (namespace, function, type) (${s(COLLECTOR.exceptions)})\n` +
          `unless on (namespace, function, type)\n` +
          `group by (namespace, function, type) (max_over_time(${s(COLLECTOR.exceptions)}[${d(24 * 60 * MIN)}] offset ${d(15 * MIN)}))\n` +
          `and on (namespace, function)\n` +
          `group by (namespace, function) (max_over_time(${s(COLLECTOR.functionInfo)}[${d(24 * 60 * MIN)}] offset ${d(15 * MIN)}))`,
        severity: 'warning',
        summary: `${FN_ID} raised a new type of exception: {{ $labels.type }}`,
        description:
          `${FN_START} raised {{ $labels.type }} in the last ${d(15 * MIN)}, an exception type not seen from it ` +
          `in the ${d(24 * 60 * MIN)} before.`,
      }),
      alertRule(cfg, 'FunctionLatencySLOUnmeasurable', {
        expr:
          `group by (namespace, function) (${REC.buckets})\n` +
          `unless on (namespace, function)\n` +
          `(${REC.buckets} and on (namespace, function, le) ${REC.latencyObjective})`,
        for: d(15 * MIN),
        severity: 'warning',
        summary: `The latency SLO of ${FN_ID} cannot be measured`,
        description:
          `${FN_START} has a latency histogram, but none of its buckets is the latency SLO threshold, ` +
          'so its latency SLO is neither measured nor alerted on. Set fnscope.io/slo-latency to one of its bucket bounds.',
      }),
    ],
  };
}
