import { CoreV1Api, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { FunctionStats } from '../../aggregate/index.ts';
import type { FunctionInfo, PodInfo } from '../../discovery/types.ts';
import { ErrorGroups } from '../../errors/index.ts';
import type { TailRecord } from '../../events/records.ts';
import { LogBuffer, TailFilter, TailHub } from '../../live/index.ts';
import { AccessLogStage, RedactStage, StagePipeline, createSequence, resolveRedactionRules } from '../../logs/index.ts';
import { KubeLogOpener, PodLogManager } from '../../logs/sources/index.ts';
import { createParsers } from '../../stacktrace/index.ts';
import { systemClock } from '../../util/clock.ts';
import { silentLogger } from '../../util/logger.ts';
import { LogPipeline } from '../../wire/log-pipeline.ts';
import { CollectorMetrics } from '../../wire/metrics.ts';
import type { LogsQuery, LogsSource } from './source.ts';

const POD_POLL_MS = 5000;

function toFunctions(pods: V1Pod[]): FunctionInfo[] {
  const byFn = new Map<string, FunctionInfo>();
  for (const p of pods) {
    const fn = p.metadata?.labels?.['function'];
    const ns = p.metadata?.namespace ?? 'default';
    const container = p.spec?.containers.find((c) => c.name === fn)?.name;
    if (!fn || !container) continue; // trigger pods and others: not function containers
    const key = `${ns}/${fn}`;
    let f = byFn.get(key);
    if (!f) {
      f = { namespace: ns, name: fn, framework: 'kubeless', source: key, runtime: null, handler: null, timeoutSeconds: null, labels: {}, annotations: {}, slo: {}, triggers: [], hasFunctionObject: true, createdAt: null, pods: [], otherPods: [], endpoints: [] };
      byFn.set(key, f);
    }
    const status = p.status?.containerStatuses?.find((c) => c.name === container);
    const pod: PodInfo = {
      uid: p.metadata?.uid ?? '', name: p.metadata?.name ?? '', namespace: ns, node: p.spec?.nodeName ?? null, phase: p.status?.phase ?? 'Unknown',
      ready: status?.ready ?? false, restarts: status?.restartCount ?? 0, container, podIP: p.status?.podIP ?? null,
      startTime: p.status?.startTime ? new Date(p.status.startTime).toISOString() : null, terminating: p.metadata?.deletionTimestamp !== undefined,
      role: 'function', scrape: { enabled: false, scheme: 'http', port: 8080, path: '/metrics' }, target: false, notTargetReason: 'logs only',
    };
    f.pods.push(pod);
  }
  return [...byFn.values()];
}

/**
 * Reads logs straight from the cluster when no collector runs: the same pipeline as the collector
 * (redaction, access lines, stack traces), fed by this process's own pod-log streams.
 */
export class DirectLogsSource implements LogsSource {
  readonly #kc: KubeConfig;
  readonly #labelSelector: string;

  constructor(kc: KubeConfig, labelSelector: string | undefined) {
    this.#kc = kc;
    this.#labelSelector = labelSelector ?? 'created-by=kubeless';
  }

  async #pods(namespace: string | undefined): Promise<FunctionInfo[]> {
    const core = this.#kc.makeApiClient(CoreV1Api);
    const list = namespace ? await core.listNamespacedPod({ namespace, labelSelector: this.#labelSelector }) : await core.listPodForAllNamespaces({ labelSelector: this.#labelSelector });
    return toFunctions(list.items);
  }

  async run(q: LogsQuery, onRecord: (r: TailRecord) => void, signal: AbortSignal): Promise<void> {
    const clock = systemClock;
    const logger = silentLogger();
    const hub = new TailHub({ clock, limits: { flushIntervalMs: 50 } });
    const buffer = new LogBuffer({ maxRecords: 100_000 });
    const filter = new TailFilter(q.filter);
    const collected: TailRecord[] = [];
    const metrics = new CollectorMetrics({ inventory: () => [], hub: () => hub.stats(), store: () => ({ series: 0, bytes: 0, samples: 0 }), errorGroups: () => 0, recentErrorGroups: () => [], logStreams: () => [] });
    const pipeline = new LogPipeline({
      clock, sequence: createSequence(), parsers: createParsers(), hub, buffer, metrics, stats: new FunctionStats(),
      errors: new ErrorGroups({ clock, logger }),
      stages: new StagePipeline([new RedactStage({ rules: resolveRedactionRules() }), new AccessLogStage({})]),
    });
    const sinceSeconds = q.sinceMs === undefined ? undefined : Math.max(1, Math.ceil(q.sinceMs / 1000));
    const opener = new KubeLogOpener(this.#kc);
    const wanted = (fns: FunctionInfo[]): FunctionInfo[] => fns.filter((f) => filter.matches({ kind: 'gap', seq: 0, time: 0, ts: '', namespace: f.namespace, function: f.name, pod: f.pods[0]?.name ?? '', container: '', stream: 'combined', reason: '' }));
    if (!q.follow) {
      const fns = wanted(await this.#pods(q.filter.namespace));
      for (const f of fns) {
        for (const p of f.pods) {
          const id = { namespace: p.namespace, function: f.name, pod: p.name, container: p.container! };
          let text = '';
          await opener.stream({ namespace: p.namespace, pod: p.name, container: p.container!, follow: false, ...(sinceSeconds ? { sinceSeconds } : {}), ...(q.tail !== undefined ? { tailLines: q.tail } : {}) }, (t) => (text += t), signal);
          pipeline.lines(id, text.split('\n').filter((l) => l !== ''), 'timestamped');
          pipeline.end(id);
        }
      }
      pipeline.flush();
      for (const r of buffer.query({ filter, limit: q.tail ?? 100_000 })) collected.push(r);
      collected.sort((a, b) => a.time - b.time || a.seq - b.seq).forEach(onRecord);
      return;
    }
    const unsubscribe = hub.subscribe(filter, { bufferedAmount: 0, send: (frame) => (JSON.parse(frame) as { records: TailRecord[] }).records.forEach(onRecord), close: () => undefined });
    const manager = new PodLogManager({ opener, clock, sink: pipeline, logger, startedAt: q.sinceMs === undefined ? 0 : Date.now() - q.sinceMs, initialLookbackSeconds: sinceSeconds ?? 10 });
    while (!signal.aborted) {
      try {
        manager.sync(wanted(await this.#pods(q.filter.namespace)));
      } catch (e) {
        const now = Date.now();
        onRecord({ kind: 'gap', seq: 0, time: now, ts: new Date(now).toISOString(), namespace: '', function: '', pod: 'fnscope', container: '', stream: 'combined', reason: `cannot list pods: ${(e as Error).message}` });
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, POD_POLL_MS);
        signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
      });
    }
    await manager.stop();
    pipeline.flush();
    hub.flush();
    unsubscribe();
  }
}
