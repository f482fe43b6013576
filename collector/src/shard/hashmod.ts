import { createHash } from 'node:crypto';

/**
 * Prometheus's `hashmod` relabel action: the MD5 of the value, its last 8 bytes read as a big-endian
 * unsigned 64-bit integer, modulo `modulus`. The same pod UID gives the same shard here and in a
 * Prometheus `hashmod` rule on `__meta_kubernetes_pod_uid`.
 */
export function hashmod(value: string, modulus: number): number {
  if (!Number.isInteger(modulus) || modulus < 1) throw new RangeError(`hashmod modulus must be a positive integer, got ${modulus}`);
  const sum = createHash('md5').update(value, 'utf8').digest();
  return Number(sum.readBigUInt64BE(8) % BigInt(modulus));
}

/** One replica of a sharded collector: its ordinal and the number of replicas. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Checks a shard spec: 1 ≤ count, 0 ≤ index < count, both integers. Returns the problem, or undefined. */
export function shardSpecProblem(s: ShardSpec): string | undefined {
  if (!Number.isInteger(s.count) || s.count < 1) return `the shard count must be a positive integer, got ${s.count}`;
  if (!Number.isInteger(s.index) || s.index < 0 || s.index >= s.count) return `the shard index must be an integer from 0 to ${s.count - 1}, got ${s.index}`;
  return undefined;
}

/**
 * The ownership test of one replica: a pod belongs to the replica whose index is the hashmod of the
 * pod's UID over the replica count. Every UID is owned by exactly one replica of a given count.
 */
export function shardOwner(s: ShardSpec): (podUid: string) => boolean {
  const problem = shardSpecProblem(s);
  if (problem) throw new RangeError(problem);
  if (s.count === 1) return () => true;
  return (uid) => hashmod(uid, s.count) === s.index;
}
