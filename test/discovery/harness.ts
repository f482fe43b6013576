/** Runs a KubernetesProvider against a FakeKube with a ManualClock, recording everything it sends. */
import { ManualClock } from '../../collector/src/util/manual-clock.ts';
import { KubernetesProvider, type KubernetesProviderOptions } from '../../collector/src/discovery/kubernetes/provider.ts';
import { MemoryDiscoveryMetrics } from '../../collector/src/discovery/metrics.ts';
import type { TargetGroup } from '../../collector/src/discovery/types.ts';
import { FakeKube } from './fake-kube.ts';

/** Let pending promise callbacks and setImmediate callbacks run (no time passes on the ManualClock). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((r) => setImmediate(r));
}

/** The groups a consumer holds after applying every batch in order (empty groups remove). */
export function fold(batches: readonly TargetGroup[][]): Map<string, TargetGroup> {
  const m = new Map<string, TargetGroup>();
  for (const b of batches) for (const g of b) {
    if (g.targets.length === 0) m.delete(g.source);
    else m.set(g.source, g);
  }
  return m;
}

export interface Harness {
  clock: ManualClock;
  kube: FakeKube;
  provider: KubernetesProvider;
  metrics: MemoryDiscoveryMetrics;
  batches: TargetGroup[][];
  syncs(): number;
  view(): Map<string, TargetGroup>;
  /** Pod names of a function's targets, sorted. */
  targetPods(ns: string, fn: string): string[];
  /** Advance the clock by ms (in steps of at most stepMs), letting async work settle after each step. */
  tick(ms: number, stepMs?: number): Promise<void>;
}

export function startProvider(opts: Partial<KubernetesProviderOptions> = {}, kube = new FakeKube()): Harness {
  const clock = new ManualClock();
  const metrics = new MemoryDiscoveryMetrics();
  const batches: TargetGroup[][] = [];
  let syncs = 0;
  const provider = new KubernetesProvider({ client: kube, clock, random: () => 0.5, metrics, ...opts });
  provider.start({ groups: (g) => batches.push(structuredClone(g)), synced: () => syncs++ });
  const view = (): Map<string, TargetGroup> => fold(batches);
  return {
    clock, kube, provider, metrics, batches, view,
    syncs: () => syncs,
    targetPods: (ns, fn) => (view().get(`kubeless/${ns}/${fn}`)?.targets ?? []).map((t) => t.labels['pod'] ?? '').sort(),
    async tick(ms, stepMs = ms) {
      let left = ms;
      while (left > 0) {
        const step = Math.min(stepMs, left);
        clock.advance(step);
        left -= step;
        await settle();
      }
      if (ms === 0) await settle();
    },
  };
}
