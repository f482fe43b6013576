/**
 * Targets listed in files (Prometheus file_sd shape), for functions that run outside Kubernetes.
 * Each file is re-read when it changes (fs.watch on its folder, so editors that replace the file are
 * seen) and on a timer as a fallback. A file that cannot be read or parsed keeps its last good targets
 * and reports the error; a file that is removed takes its targets with it.
 */
import { watch as fsWatch } from 'node:fs';
import { readFile as fsReadFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Clock, Timer } from '../../util/clock.ts';
import type { Logger } from '../../util/logger.ts';
import { silentLogger } from '../../util/logger.ts';
import { describeError } from '../../util/errors.ts';
import { noopDiscoveryMetrics, type DiscoveryMetrics } from '../metrics.ts';
import type { DiscoveryProvider, FunctionInfo, ProviderSink, ProviderState, ResourceState, TargetGroup } from '../types.ts';
import { parseFileSd } from './parse.ts';

export interface FileWatchHandle {
  close(): void;
}

export interface FileProviderOptions {
  files: readonly string[];
  clock: Clock;
  /** Provider name in state and metrics (default `file`). */
  name?: string;
  /** Re-read every file this often even without a change notice, ms (default 30000). */
  refreshIntervalMs?: number;
  /** Wait this long after a change notice before reading, ms (default 50): writers work in steps. */
  settleMs?: number;
  readFile?: (path: string) => Promise<string>;
  /** Calls onChange when the file may have changed. Default: fs.watch on its folder. */
  watchFile?: (path: string, onChange: () => void) => FileWatchHandle;
  logger?: Logger;
  metrics?: DiscoveryMetrics;
}

interface FileState {
  path: string;
  text: string | undefined;
  groups: TargetGroup[];
  attempted: boolean;
  lastSync: number | undefined;
  lastError: string;
  lastErrorAt: number | undefined;
  missing: boolean;
  reading: boolean;
  again: boolean;
  settle: Timer | undefined;
  watcher: FileWatchHandle | undefined;
}

export function fsWatchFile(path: string, onChange: () => void): FileWatchHandle {
  const name = basename(path);
  const w = fsWatch(dirname(path), { persistent: false }, (_event, filename) => {
    if (filename === null || filename === name) onChange();
  });
  w.on('error', () => w.close());
  return w;
}

export class FileProvider implements DiscoveryProvider {
  readonly name: string;
  #o: FileProviderOptions;
  #log: Logger;
  #metrics: DiscoveryMetrics;
  #files: FileState[];
  #sink: ProviderSink | undefined;
  #synced = false;
  #stopped = false;
  #timer: Timer | undefined;

  constructor(opts: FileProviderOptions) {
    this.#o = opts;
    this.name = opts.name ?? 'file';
    this.#log = (opts.logger ?? silentLogger()).child({ provider: this.name });
    this.#metrics = opts.metrics ?? noopDiscoveryMetrics;
    this.#files = [...new Set(opts.files)].map((path) => ({
      path, text: undefined, groups: [], attempted: false, lastSync: undefined, lastError: '', lastErrorAt: undefined,
      missing: false, reading: false, again: false, settle: undefined, watcher: undefined,
    }));
  }

  start(sink: ProviderSink): void {
    this.#sink = sink;
    this.#stopped = false;
    for (const f of this.#files) this.#watch(f);
    if (this.#files.length === 0) {
      this.#synced = true;
      sink.synced();
    }
    void this.#refreshAll();
    this.#arm();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timer?.cancel();
    for (const f of this.#files) {
      f.settle?.cancel();
      f.watcher?.close();
      f.watcher = undefined;
    }
    await Promise.resolve();
  }

  isSynced(): boolean {
    return this.#synced;
  }

  /** Read every file now (also done on change notices and on the refresh timer). */
  refresh(): Promise<void> {
    return this.#refreshAll();
  }

  inventory(): FunctionInfo[] {
    const byKey = new Map<string, FunctionInfo>();
    for (const f of this.#files) {
      for (const g of f.groups) {
        const name = g.labels['function'];
        if (name === undefined) continue;
        const namespace = g.labels['namespace'] ?? '';
        const key = `${namespace}/${name}`;
        let info = byKey.get(key);
        if (!info) {
          info = {
            namespace, name, framework: g.labels['framework'] ?? 'file', source: g.source,
            runtime: g.labels['runtime'] ?? null, handler: null, timeoutSeconds: null,
            labels: { ...g.labels }, annotations: {}, slo: {}, triggers: [], hasFunctionObject: false,
            createdAt: null, pods: [], otherPods: [], endpoints: [],
          };
          byKey.set(key, info);
        }
        for (const t of g.targets) info.endpoints.push({ address: t.address, scheme: t.scheme, metricsPath: t.metricsPath });
      }
    }
    return [...byKey.values()];
  }

  state(): ProviderState {
    const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());
    const resources: ResourceState[] = this.#files.map((f) => ({
      resource: f.path, namespace: '', synced: f.attempted, lastSync: iso(f.lastSync), lastError: f.lastError,
      lastErrorAt: iso(f.lastErrorAt), restarts: 0, watchRestarts: 0, absent: f.missing,
    }));
    const newest = [...this.#files].filter((f) => f.lastErrorAt !== undefined && f.lastError !== '')
      .sort((a, b) => (b.lastErrorAt ?? 0) - (a.lastErrorAt ?? 0))[0];
    const syncs = this.#files.map((f) => f.lastSync);
    const inv = this.inventory();
    return {
      name: this.name,
      kind: 'file',
      synced: this.#synced,
      lastSync: syncs.some((s) => s === undefined) || syncs.length === 0 ? null : iso(Math.min(...(syncs as number[]))),
      lastError: newest ? `${newest.path}: ${newest.lastError}` : '',
      lastErrorAt: iso(newest?.lastErrorAt),
      restarts: 0,
      watchRestarts: 0,
      functions: inv.length,
      pods: 0,
      targets: this.#files.reduce((n, f) => n + f.groups.reduce((m, g) => m + g.targets.length, 0), 0),
      resources,
    };
  }

  #watch(f: FileState): void {
    if (f.watcher || this.#stopped) return;
    try {
      f.watcher = (this.#o.watchFile ?? fsWatchFile)(f.path, () => this.#changed(f));
    } catch (err) {
      this.#log.debug({ path: f.path, err: describeError(err) }, 'cannot watch file; re-reading on a timer');
    }
  }

  #changed(f: FileState): void {
    if (this.#stopped) return;
    f.settle?.cancel();
    f.settle = this.#o.clock.setTimeout(() => {
      f.settle = undefined;
      void this.#read(f);
    }, this.#o.settleMs ?? 50);
  }

  #arm(): void {
    this.#timer = this.#o.clock.setTimeout(() => {
      if (this.#stopped) return;
      for (const f of this.#files) this.#watch(f);
      void this.#refreshAll();
      this.#arm();
    }, this.#o.refreshIntervalMs ?? 30_000);
  }

  async #refreshAll(): Promise<void> {
    await Promise.all(this.#files.map((f) => this.#read(f)));
  }

  async #read(f: FileState): Promise<void> {
    if (f.reading) {
      f.again = true;
      return;
    }
    f.reading = true;
    try {
      do {
        f.again = false;
        await this.#readOnce(f);
      } while (f.again && !this.#stopped);
    } finally {
      f.reading = false;
    }
    if (!this.#synced && !this.#stopped && this.#files.every((x) => x.attempted)) {
      this.#synced = true;
      this.#sink?.synced();
    }
    this.#updateGauges();
  }

  async #readOnce(f: FileState): Promise<void> {
    const now = (): number => this.#o.clock.now();
    let text: string;
    try {
      text = await (this.#o.readFile ?? ((p: string) => fsReadFile(p, 'utf8')))(f.path);
    } catch (err) {
      if (this.#stopped) return;
      const missing = (err as { code?: unknown }).code === 'ENOENT';
      this.#error(f, missing ? 'file not found' : describeError(err));
      if (missing) {
        f.missing = true;
        f.text = undefined;
        this.#replace(f, []);
      }
      f.attempted = true;
      return;
    }
    if (this.#stopped) return;
    f.missing = false;
    f.attempted = true;
    if (text === f.text) {
      f.lastSync = now();
      return;
    }
    let groups: TargetGroup[];
    try {
      groups = parseFileSd(text, f.path);
    } catch (err) {
      this.#error(f, describeError(err));
      return;
    }
    f.text = text;
    f.lastSync = now();
    f.lastError = '';
    f.lastErrorAt = undefined;
    this.#replace(f, groups);
  }

  /** Send the file's new groups whole, and an empty group for each one that went away. */
  #replace(f: FileState, groups: TargetGroup[]): void {
    const before = new Map(f.groups.map((g) => [g.source, JSON.stringify(g)]));
    const out: TargetGroup[] = [];
    for (const g of groups) {
      if (before.get(g.source) !== JSON.stringify(g)) out.push(g);
      before.delete(g.source);
    }
    for (const source of before.keys()) out.push({ source, labels: {}, targets: [] });
    f.groups = groups;
    if (out.length > 0 && !this.#stopped) this.#sink?.groups(out);
  }

  #error(f: FileState, message: string): void {
    f.lastError = message;
    f.lastErrorAt = this.#o.clock.now();
    this.#metrics.inc('fnscope_discovery_errors_total', { provider: this.name, resource: f.path });
    this.#log.warn({ path: f.path, err: message }, 'discovery file not loaded; keeping its last good targets');
  }

  #updateGauges(): void {
    const st = this.state();
    const labels = { provider: this.name };
    this.#metrics.set('fnscope_discovery_synced', labels, st.synced ? 1 : 0);
    if (st.lastSync !== null) this.#metrics.set('fnscope_discovery_last_sync_timestamp_seconds', labels, Date.parse(st.lastSync) / 1000);
    this.#metrics.set('fnscope_discovery_functions', labels, st.functions);
    this.#metrics.set('fnscope_discovery_pods', labels, 0);
    this.#metrics.set('fnscope_discovery_targets', labels, st.targets);
  }
}
