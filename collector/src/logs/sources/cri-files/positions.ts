import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Where each tailed file was read up to, kept across collector restarts (like a log shipper's DB). */
export interface Position {
  /** Inode of the file the offset belongs to. */
  ino: number;
  offset: number;
}

export interface PositionStore {
  get(key: string): Position | undefined;
  set(key: string, p: Position): void;
  delete(key: string): void;
  /** Write to disk now. */
  save(): void;
}

export class MemoryPositionStore implements PositionStore {
  readonly map = new Map<string, Position>();
  get(key: string): Position | undefined {
    return this.map.get(key);
  }
  set(key: string, p: Position): void {
    this.map.set(key, p);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  save(): void {
    // nothing to write
  }
}

/** A JSON file, replaced atomically (write to a temporary name, then rename). */
export class FilePositionStore extends MemoryPositionStore {
  readonly #path: string;
  #dirty = false;

  constructor(path: string) {
    super();
    this.#path = path;
    try {
      const data = JSON.parse(readFileSync(path, 'utf8')) as Record<string, Position>;
      for (const [k, v] of Object.entries(data)) if (typeof v.ino === 'number' && typeof v.offset === 'number') this.map.set(k, v);
    } catch {
      // no file yet, or unreadable: start from nothing
    }
  }

  override set(key: string, p: Position): void {
    super.set(key, p);
    this.#dirty = true;
  }

  override delete(key: string): void {
    super.delete(key);
    this.#dirty = true;
  }

  override save(): void {
    if (!this.#dirty) return;
    mkdirSync(dirname(this.#path), { recursive: true });
    const tmp = `${this.#path}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.map)));
    renameSync(tmp, this.#path);
    this.#dirty = false;
  }
}
