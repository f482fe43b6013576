export { TrafficGenerator, DEFAULT_MAX_IN_FLIGHT, toRequest, type TrafficGeneratorOptions, type TrafficStats, type TargetStats } from './traffic-generator.ts';
export type { InvokeFn, InvokeRequest, InvokeResult, TrafficCall, TrafficPayload, TrafficPayloads, TrafficTarget } from './types.ts';
