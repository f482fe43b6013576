export { TailHub, DEFAULT_HUB_LIMITS, CLOSE_TOO_SLOW } from './hub.ts';
export type { HubLimits, HubStats, TailSink } from './hub.ts';
export { TailFilter, FilterError, filterSpecFromQuery, compilePattern, FILTER_LIMITS } from './filter.ts';
export type { TailFilterSpec } from './filter.ts';
export { LogBuffer } from './buffer.ts';
export type { LogBufferOptions, LogQuery } from './buffer.ts';
export { attachTailEndpoint, TAIL_PATH, TAIL_ENDPOINT_LIMITS } from './ws-endpoint.ts';
export type { TailEndpointOptions } from './ws-endpoint.ts';
