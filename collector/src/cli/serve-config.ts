import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ErrorCodes, FnscopeError, UsageError } from '../util/errors.ts';
import { parseDuration } from '../api/params.ts';
import type { ParsedArgs } from './command.ts';
import { rateFlag } from './traffic-rate.ts';

/** `fnscope serve` settings: flags override the --config file, which overrides the defaults (docs/configuration.md). */
export interface ServeSettings {
  listen: string;
  dataDir: string;
  sandbox: boolean;
  kubeconfig: string | undefined;
  namespaces: string[];
  labelSelector: string | undefined;
  targetFiles: string[];
  nodeName: string | undefined;
  logs: 'api' | 'cri' | 'off' | undefined;
  criLogRoot: string;
  scrapeIntervalMs: number;
  scrapeTimeoutMs: number;
  retentionMs: number;
  redact: string[];
  traffic: boolean;
  trafficRate: number | undefined;
  /** Scale-out (docs/install.md): raw values, checked by resolveScaleFlags. */
  mode: string | undefined;
  shardIndex: string | undefined;
  shardCount: string | undefined;
  peers: string[];
  peersDns: string | undefined;
}

const KEYS = new Set(['listen', 'dataDir', 'kubeconfig', 'namespaces', 'labelSelector', 'targetFiles', 'nodeName', 'logs', 'criLogRoot', 'scrapeInterval', 'scrapeTimeout', 'retention', 'redact', 'mode', 'shardIndex', 'shardCount', 'peers', 'peersDns']);

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new UsageError(`expected a string, got ${JSON.stringify(v)}`);
}

function durationOf(v: unknown, name: string): number {
  try {
    return parseDuration(str(v) ?? '', name);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function fromFile(path: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `cannot read --config ${path}: ${(e as Error).message}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `--config ${path}: expected a mapping of settings`);
  for (const k of Object.keys(doc)) if (!KEYS.has(k)) throw new FnscopeError(ErrorCodes.CONFIG_INVALID, `--config ${path}: unknown setting "${k}" (known: ${[...KEYS].join(', ')})`);
  return doc as Record<string, unknown>;
}

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map((x) => str(x) ?? '') : (str(v) ?? '').split(',').map((s) => s.trim()).filter(Boolean));

export function resolveServeSettings(args: ParsedArgs): ServeSettings {
  const v = args.values;
  const file = typeof v['config'] === 'string' ? fromFile(v['config']) : {};
  const pick = (flag: string, key: string): unknown => v[flag] ?? file[key];
  const logs = pick('logs', 'logs');
  if (logs !== undefined && logs !== 'api' && logs !== 'cri' && logs !== 'off') throw new UsageError('--logs must be api, cri or off');
  const interval = durationOf(pick('scrape-interval', 'scrapeInterval') ?? '15s', 'scrape interval');
  const timeout = durationOf(pick('scrape-timeout', 'scrapeTimeout') ?? '10s', 'scrape timeout');
  if (timeout > interval) throw new UsageError('the scrape timeout cannot be longer than the scrape interval');
  const rate = rateFlag(v['sandbox-rate'], 'sandbox-rate');
  return {
    listen: str(pick('listen', 'listen')) ?? '127.0.0.1:9464',
    dataDir: str(pick('data-dir', 'dataDir')) ?? '.data',
    sandbox: v['sandbox'] === true,
    kubeconfig: str(pick('kubeconfig', 'kubeconfig')),
    namespaces: list(pick('namespace', 'namespaces')),
    labelSelector: str(pick('label-selector', 'labelSelector')),
    targetFiles: list(pick('target-file', 'targetFiles')),
    nodeName: str(pick('node-name', 'nodeName')),
    logs: logs,
    criLogRoot: str(pick('cri-log-root', 'criLogRoot')) ?? '/var/log/pods',
    scrapeIntervalMs: interval,
    scrapeTimeoutMs: timeout,
    retentionMs: durationOf(pick('retention', 'retention') ?? '2h', 'retention'),
    redact: list(pick('redact', 'redact')),
    traffic: v['no-traffic'] !== true,
    trafficRate: rate,
    mode: str(pick('mode', 'mode')),
    shardIndex: str(pick('shard-index', 'shardIndex')),
    shardCount: str(pick('shard-count', 'shardCount')),
    peers: list(pick('peers', 'peers')),
    peersDns: str(pick('peers-dns', 'peersDns')),
  };
}
