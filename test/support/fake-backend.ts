import type { ApiBackend } from '../../collector/src/api/backend.ts';
import type { FunctionView } from '../../collector/src/api/types.ts';
import type { FunctionRates } from '../../collector/src/aggregate/index.ts';

export function rates(over: Partial<FunctionRates> = {}): FunctionRates {
  return { windowSeconds: 60, callsPerSecond: 0, errorsPerSecond: 0, errorRatio: null, timeoutsPerSecond: 0, exceptionsPerSecond: 0, p50: null, p95: null, p99: null, source: 'none', ...over };
}

export function fn(name: string, over: Partial<FunctionView> = {}): FunctionView {
  return {
    namespace: 'default',
    name,
    framework: 'kubeless',
    runtime: 'python3.8',
    handler: `${name}.handler`,
    timeoutSeconds: 180,
    hasFunctionObject: true,
    annotations: {},
    pods: { ready: 1, total: 1, restarts: 0 },
    targets: { up: 1, total: 1 },
    rates: rates(),
    ...over,
  };
}

/** An ApiBackend over fixed data, for API and CLI tests. */
export function fakeBackend(functions: FunctionView[], over: Partial<ApiBackend> = {}): ApiBackend {
  return {
    ready: () => true,
    functions: () => functions,
    functionDetail: () => undefined,
    targets: () => ({ activeTargets: [], discovery: [] }),
    series: () => ({ series: [], truncated: false }),
    metrics: () => Promise.resolve({ contentType: 'text/plain; version=0.0.4', body: '' }),
    ...over,
  };
}
