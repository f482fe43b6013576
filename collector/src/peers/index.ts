/** Peers: any replica answers for the whole cluster by asking the others and merging. */
export { Fanout } from './fanout.ts';
export { PEER_LIMITS } from './limits.ts';
export type { FanoutOptions } from './fanout.ts';
export { PeerSet, parsePeersDns, normalizePeerUrl, systemPeerResolver } from './peer-set.ts';
export type { PeerResolver, PeerSetOptions } from './peer-set.ts';
export { getPeerJson } from './peer-client.ts';
export type { PeerAnswer, PeerEnvelope, PeerRequestOptions, PeerTls } from './peer-client.ts';
export { httpFanout, isLocalOnly, LOCAL_PARAM } from './http-fanout.ts';
export type { HttpFanoutOptions } from './http-fanout.ts';
export { attachTailFanout } from './tail-fanout.ts';
export type { TailFanoutOptions } from './tail-fanout.ts';
export { PeerTail } from './peer-tail.ts';
export type { PeerTailOptions } from './peer-tail.ts';
export { mergeErrorGroups, mergeFunctionDetails, mergeFunctions, mergeLogRecords, mergeRates, MERGED_SAMPLES } from './merge.ts';
