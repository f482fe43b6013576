/** Sharding: which replica of a sharded collector owns a pod. */
export { hashmod, shardOwner, shardSpecProblem } from './hashmod.ts';
export type { ShardSpec } from './hashmod.ts';
