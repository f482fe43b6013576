import { readFileSync } from 'node:fs';
import type { OptionSpec, ParsedArgs } from './command.ts';
import type { ServeSettings } from './serve-config.ts';
import { normalizePeerUrl, parsePeersDns, type FanoutOptions } from '../peers/index.ts';
import { shardOwner, shardSpecProblem, type ShardSpec } from '../shard/index.ts';
import { UsageError } from '../util/errors.ts';

export const SERVE_MODES = ['deployment', 'daemonset', 'sharded'] as const;
export type ServeMode = (typeof SERVE_MODES)[number];

/** The scale-out flags of `fnscope serve`. */
export const SCALE_OPTIONS: OptionSpec = {
  mode: { type: 'string' },
  'shard-index': { type: 'string' },
  'shard-count': { type: 'string' },
  peers: { type: 'string', multiple: true },
  'peers-dns': { type: 'string' },
  'peer-ca-file': { type: 'string' },
  'peer-server-name': { type: 'string' },
};

export const SCALE_HELP = `Scale-out (docs/install.md):
      --mode MODE             deployment (one collector, pod log API), daemonset (this node's pods
                              only: needs --node-name, logs from CRI files unless --logs says
                              otherwise) or sharded (needs --shard-index and --shard-count)
      --shard-index N         sharded: this replica's ordinal, 0 to N-1
      --shard-count N         sharded: number of replicas; a pod belongs to the replica numbered
                              md5(pod UID) mod N, as Prometheus's hashmod computes it
      --peers URL,URL         answer /api/v1/functions, errors, logs and the tail for the whole
                              cluster by asking these other replicas (repeatable)
      --peers-dns NAME[:PORT] the same, with the peers found as the addresses of NAME (a headless
                              Service), looked up every 30s; PORT defaults to --listen's
      --peer-ca-file F        trust this CA (PEM) for peers served over HTTPS
      --peer-server-name NAME check the peers' certificates against NAME instead of their address`;

export interface ScaleSettings {
  mode: ServeMode | undefined;
  nodeName: string | undefined;
  logs: 'api' | 'cri' | 'off' | undefined;
  shard: ShardSpec | undefined;
  ownsPod: ((uid: string) => boolean) | undefined;
  peers: FanoutOptions | undefined;
}

function intFlag(v: string, name: string): number {
  if (!/^\d+$/.test(v.trim())) throw new UsageError(`${name} must be a whole number, got "${v}"`);
  return Number(v.trim());
}

/**
 * Checks the mode against the flags it needs and decides what follows from it: daemonset requires
 * --node-name and reads CRI files by default; sharded requires --shard-index and --shard-count; the
 * shard flags alone mean sharded. Without --mode, --node-name keeps its plain meaning.
 */
export function resolveScaleFlags(s: ServeSettings, values: ParsedArgs['values']): ScaleSettings {
  const raw = s.mode;
  if (raw !== undefined && !(SERVE_MODES as readonly string[]).includes(raw)) throw new UsageError(`--mode must be one of ${SERVE_MODES.join(', ')}, not "${raw}"`);
  let mode = raw as ServeMode | undefined;
  const hasShard = s.shardIndex !== undefined || s.shardCount !== undefined;
  if (mode === undefined && hasShard) mode = 'sharded';
  let logs = s.logs;
  let shard: ShardSpec | undefined;
  if (mode === 'daemonset') {
    if (!s.nodeName) throw new UsageError('--mode daemonset needs --node-name NODE (in a DaemonSet: the downward API\'s spec.nodeName)');
    logs ??= 'cri';
  }
  if (mode !== 'sharded' && hasShard) throw new UsageError('--shard-index and --shard-count belong to --mode sharded');
  if (mode !== undefined && mode !== 'daemonset' && s.nodeName) throw new UsageError(`--node-name belongs to --mode daemonset, not ${mode}`);
  if (mode === 'sharded') {
    if (s.shardIndex === undefined || s.shardCount === undefined) throw new UsageError('--mode sharded needs --shard-index N and --shard-count N');
    shard = { index: intFlag(s.shardIndex, '--shard-index'), count: intFlag(s.shardCount, '--shard-count') };
    const problem = shardSpecProblem(shard);
    if (problem) throw new UsageError(problem);
  }
  return { mode, nodeName: s.nodeName, logs, shard, ownsPod: shard ? shardOwner(shard) : undefined, peers: peerOptions(s, values) };
}

function peerOptions(s: ServeSettings, values: ParsedArgs['values']): FanoutOptions | undefined {
  const urls = s.peers.flatMap((p) => p.split(',')).map((p) => p.trim()).filter(Boolean);
  const caFile = typeof values['peer-ca-file'] === 'string' ? values['peer-ca-file'] : undefined;
  const servername = typeof values['peer-server-name'] === 'string' ? values['peer-server-name'] : undefined;
  if (urls.length > 0 && s.peersDns !== undefined) throw new UsageError('give --peers or --peers-dns, not both');
  if (urls.length === 0 && s.peersDns === undefined) {
    if (caFile !== undefined || servername !== undefined) throw new UsageError('--peer-ca-file and --peer-server-name need --peers or --peers-dns');
    return undefined;
  }
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new UsageError(`--peer-ca-file ${caFile}: ${(e as Error).message}`);
    }
  }
  const tls = ca !== undefined || servername !== undefined ? { ...(ca !== undefined ? { ca } : {}), ...(servername !== undefined ? { servername } : {}) } : undefined;
  try {
    if (s.peersDns !== undefined) return { dns: parsePeersDns(s.peersDns), ...(tls ? { tls } : {}) };
    return { urls: urls.map(normalizePeerUrl), ...(tls ? { tls } : {}) };
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
