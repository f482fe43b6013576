import { DatabaseSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ErrorGroup } from './group.ts';

/** Where error groups survive a restart. */
export interface GroupPersistence {
  loadAll(): ErrorGroup[];
  save(groups: readonly ErrorGroup[]): void;
  close(): void;
}

/** SQLite file under the data dir: one row per group, its JSON, written in one transaction per flush. */
export class SqliteGroupPersistence implements GroupPersistence {
  readonly #db: DatabaseSync;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec('PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS error_groups (id TEXT PRIMARY KEY, last_seen INTEGER NOT NULL, body TEXT NOT NULL)');
  }

  loadAll(): ErrorGroup[] {
    const rows = this.#db.prepare('SELECT body FROM error_groups ORDER BY last_seen DESC').all() as Array<{ body: string }>;
    const out: ErrorGroup[] = [];
    for (const r of rows) {
      try {
        out.push(JSON.parse(r.body) as ErrorGroup);
      } catch {
        // A row that does not parse is skipped; the others load.
      }
    }
    return out;
  }

  save(groups: readonly ErrorGroup[]): void {
    if (groups.length === 0) return;
    const put = this.#db.prepare('INSERT INTO error_groups (id, last_seen, body) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET last_seen = excluded.last_seen, body = excluded.body');
    this.#db.exec('BEGIN');
    try {
      for (const g of groups) put.run(g.id, g.lastSeen, JSON.stringify(g));
      this.#db.exec('COMMIT');
    } catch (e) {
      this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Remove groups not seen since `before` (retention). */
  prune(before: number): number {
    const r = this.#db.prepare('DELETE FROM error_groups WHERE last_seen < ?').run(before);
    return Number(r.changes);
  }

  close(): void {
    this.#db.close();
  }
}
