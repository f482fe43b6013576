import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { StreamIdentity } from '../../types.ts';
import type { RawLogSink } from '../types.ts';
import type { PositionStore } from './positions.ts';

export interface CriFileTailerOptions {
  /** The container's log folder: <root>/<ns>_<pod>_<uid>/<container>. */
  dir: string;
  id: StreamIdentity;
  sink: RawLogSink;
  positions: PositionStore;
  /** Most bytes read from one file per poll (named limit `logs.cri.maxReadBytes`, default 1 MiB). */
  maxReadBytes?: number;
  /** A line longer than this without a newline is passed on in pieces (default 256 KiB). */
  maxPendingBytes?: number;
}

interface OpenFile {
  path: string;
  fh: FileHandle;
  ino: number;
  /** Bytes consumed up to the last complete line. */
  offset: number;
  pending: Buffer;
}

const LOG_NAME = /^(\d+)\.log$/;

/**
 * Tails one container's CRI log files (kubelet writes <restartCount>.log, rotates by renaming to
 * <n>.log.<timestamp> and creating a new <n>.log, and some setups rotate by copy-truncate). Survives
 * rename rotation (drains the old inode first), truncation (starts over, with a gap marker), container
 * restarts (moves to the next <n>.log after draining the current one), and collector restarts (offsets
 * in the PositionStore, matched by inode).
 */
export class CriFileTailer {
  readonly #o: Required<CriFileTailerOptions>;
  #cur: OpenFile | undefined;
  #closed = false;

  constructor(o: CriFileTailerOptions) {
    this.#o = { maxReadBytes: 1024 * 1024, maxPendingBytes: 256 * 1024, ...o };
  }

  async #newest(): Promise<{ path: string; n: number } | undefined> {
    let names: string[];
    try {
      names = await readdir(this.#o.dir);
    } catch {
      return undefined;
    }
    let best: { path: string; n: number } | undefined;
    for (const name of names) {
      const m = LOG_NAME.exec(name);
      if (m && (!best || Number(m[1]) > best.n)) best = { path: join(this.#o.dir, name), n: Number(m[1]) };
    }
    return best;
  }

  async #openAt(path: string, offset: number): Promise<OpenFile | undefined> {
    try {
      const fh = await open(path, 'r');
      const st = await fh.stat();
      return { path, fh, ino: st.ino, offset: st.size < offset ? 0 : offset, pending: Buffer.alloc(0) };
    } catch {
      return undefined;
    }
  }

  /** On first poll: resume from the saved position, in the rotated file if the inode moved. */
  async #resume(newest: string): Promise<OpenFile | undefined> {
    const pos = this.#o.positions.get(this.#o.dir);
    if (!pos) return this.#openAt(newest, 0);
    const st = await stat(newest).catch(() => undefined);
    if (st?.ino === pos.ino) return this.#openAt(newest, pos.offset);
    for (const name of await readdir(this.#o.dir).catch(() => [] as string[])) {
      const p = join(this.#o.dir, name);
      if ((await stat(p).catch(() => undefined))?.ino === pos.ino) return this.#openAt(p, pos.offset);
    }
    this.#o.sink.gap(this.#o.id, 'log file rotated away while the collector was down; some lines may be missing');
    return this.#openAt(newest, 0);
  }

  /** Read what is new. Returns true when more data may be waiting (read limit hit). */
  async poll(): Promise<boolean> {
    if (this.#closed) return false;
    const newest = await this.#newest();
    if (!newest) return false;
    this.#cur ??= await this.#resume(newest.path);
    const cur = this.#cur;
    if (!cur) return false;
    const more = await this.#read(cur);
    if (more) return true;
    // Our inode is drained: has its path been rotated, truncated, or superseded by a restart?
    let next: string | undefined;
    if (!LOG_NAME.test(basename(cur.path))) {
      next = newest.path; // we were finishing a rotated file
    } else {
      const st = await stat(cur.path).catch(() => undefined);
      if (st === undefined) return false; // renamed, new file not created yet: wait for it
      if (st.ino !== cur.ino) next = cur.path; // rotated by rename: the new file has the same name
      else if (st.size < cur.offset) {
        cur.offset = 0;
        cur.pending = Buffer.alloc(0);
        this.#o.sink.gap(this.#o.id, 'log file truncated; reading it from the start');
        return true;
      } else if (newest.path !== cur.path) next = newest.path; // container restarted: <n+1>.log
    }
    if (next === undefined) return false;
    await this.#finish(cur);
    this.#cur = await this.#openAt(next, 0);
    return true;
  }

  async #read(cur: OpenFile): Promise<boolean> {
    const size = (await cur.fh.stat()).size;
    const start = cur.offset + cur.pending.length;
    if (size <= start) return false;
    const len = Math.min(size - start, this.#o.maxReadBytes);
    const buf = Buffer.allocUnsafe(len);
    const { bytesRead } = await cur.fh.read(buf, 0, len, start);
    const data = cur.pending.length > 0 ? Buffer.concat([cur.pending, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
    const lastNl = data.lastIndexOf(10);
    const lines: string[] = [];
    let consumed = 0;
    if (lastNl >= 0) {
      const text = data.toString('utf8', 0, lastNl);
      for (const l of text.split('\n')) lines.push(l);
      consumed = lastNl + 1;
    }
    let rest = data.subarray(consumed);
    if (rest.length > this.#o.maxPendingBytes) {
      lines.push(rest.toString('utf8'));
      consumed += rest.length;
      rest = Buffer.alloc(0);
    }
    cur.offset += consumed;
    cur.pending = Buffer.from(rest);
    if (lines.length > 0) this.#o.sink.lines(this.#o.id, lines, 'cri');
    this.#o.positions.set(this.#o.dir, { ino: cur.ino, offset: cur.offset });
    return start + bytesRead < size;
  }

  async #finish(cur: OpenFile): Promise<void> {
    if (cur.pending.length > 0) this.#o.sink.lines(this.#o.id, [cur.pending.toString('utf8')], 'cri');
    await cur.fh.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#cur) await this.#cur.fh.close().catch(() => undefined);
    this.#cur = undefined;
  }
}
