import { test } from 'node:test';
import assert from 'node:assert/strict';
import { problemsOf, rising, severityScore } from '../../../collector/src/ui/app/health.ts';
import type { FunctionView } from '../../../collector/src/ui/app/wire.ts';

function fn(over: { targets?: [number, number]; pods?: [number, number, number]; ratio?: number | null; errors?: number; timeouts?: number } = {}): FunctionView {
  const [up, total] = over.targets ?? [1, 1];
  const [ready, ptotal, restarts] = over.pods ?? [1, 1, 0];
  return {
    namespace: 'default', name: 'f', framework: 'kubeless', runtime: 'python3.8', handler: 'f.h', timeoutSeconds: 180, hasFunctionObject: true,
    pods: { ready, total: ptotal, restarts }, targets: { up, total },
    rates: { windowSeconds: 60, callsPerSecond: 1, errorsPerSecond: over.errors ?? 0, errorRatio: over.ratio === undefined ? 0 : over.ratio, timeoutsPerSecond: over.timeouts ?? 0, exceptionsPerSecond: 0, p50: 0.1, p95: 0.2, p99: 0.3, source: 'runtime' },
  };
}

const cases: Array<{ name: string; f: FunctionView; hist?: number[]; restartsSeen?: number; want: string[] }> = [
  { name: 'healthy', f: fn(), want: [] },
  { name: 'target down', f: fn({ targets: [1, 2] }), want: ['bad:1 of 2 targets down'] },
  { name: 'high error ratio', f: fn({ ratio: 0.2, errors: 0.2 }), want: ['bad:20% errors'] },
  { name: 'rising errors below the ratio', f: fn({ ratio: 0.01, errors: 0.01 }), hist: [0, 0, 0, 0, 0.02, 0.03, 0.05], want: ['warn:errors rising'] },
  { name: 'some errors, steady', f: fn({ ratio: 0.01, errors: 0.01 }), hist: [0.01, 0.01, 0.01, 0.01, 0.01, 0.01], want: ['warn:some errors'] },
  { name: 'pods not ready and timeouts', f: fn({ pods: [1, 3, 0], timeouts: 0.5 }), want: ['warn:2 pods not ready', 'warn:timeouts'] },
  { name: 'no pods', f: fn({ pods: [0, 0, 0], targets: [0, 0] }), want: ['bad:no pods'] },
  { name: 'restarted since the page opened', f: fn({ pods: [1, 1, 4] }), restartsSeen: 3, want: ['warn:restarting'] },
  { name: 'old restarts only', f: fn({ pods: [1, 1, 4] }), restartsSeen: 4, want: [] },
];
for (const c of cases) {
  test(`problems: ${c.name}`, () => {
    const ps = problemsOf(c.f, c.hist, c.restartsSeen);
    assert.deepEqual(ps.map((p) => `${p.tone}:${p.text}`), c.want);
  });
}

test('rising needs recent errors well above the earlier ones', () => {
  assert.equal(rising([0, 0, 0, 0, 0, 0]), false);
  assert.equal(rising([1, 1, 1, 1, 1, 1]), false);
  assert.equal(rising([0, 0, 0, 1, 1, 1]), true);
  assert.equal(rising([null, null, 1, 2]), false, 'too few points');
});

test('severity orders bad above warnings', () => {
  assert.ok(severityScore([{ text: 'x', tone: 'bad' }]) > severityScore([{ text: 'a', tone: 'warn' }, { text: 'b', tone: 'warn' }]));
});
