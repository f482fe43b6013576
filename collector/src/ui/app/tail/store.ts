import type { ExceptionRecord, Frame, TailRecord } from '../wire.ts';

/**
 * What the live tail shows, as fixed-height rows: one per line or gap marker, and for each exception
 * a block (a head row with type and message, then its frames and causes) that collapses to its head.
 * Rows are kept in time order (records arriving late are inserted at their place) and bounded: past
 * `maxRows` the oldest rows go, a whole block at a time.
 */
export type RowKind = 'line' | 'gap' | 'head' | 'frame' | 'cause' | 'more';

export interface Row {
  kind: RowKind;
  rec: TailRecord;
  frame?: Frame;
  text?: string;
}

/** Frames shown in a block before "… N more". */
export const MAX_FRAME_ROWS = 30;
/** How far back a late record may be inserted; older ones go at the end. */
const MAX_REORDER_SCAN = 2000;

function after(a: TailRecord, b: TailRecord): boolean {
  return a.time > b.time || (a.time === b.time && a.seq > b.seq);
}

/** The rows of one exception block (head first). */
export function blockRows(rec: ExceptionRecord, expanded: boolean): Row[] {
  const rows: Row[] = [{ kind: 'head', rec }];
  if (!expanded) return rows;
  const frames = rec.frames.slice(0, MAX_FRAME_ROWS);
  for (const f of frames) rows.push({ kind: 'frame', rec, frame: f });
  if (rec.frames.length > frames.length) rows.push({ kind: 'more', rec, text: `… ${rec.frames.length - frames.length} more frames` });
  if (rec.frames.length === 0) {
    // No frames (e.g. a bare error line): the raw lines after the first carry the detail.
    for (const l of rec.lines.slice(1, MAX_FRAME_ROWS + 1)) rows.push({ kind: 'more', rec, text: l });
  }
  for (const c of rec.causes) rows.push({ kind: 'cause', rec, text: `${c.type}${c.message ? `: ${c.message}` : ''}` });
  return rows;
}

export class TailStore {
  readonly maxRows: number;
  #rows: Row[] = [];
  #base = 0;
  /** Exceptions collapsed by the user (by seq); everything else shows expanded. */
  readonly #collapsed = new Set<number>();
  /** Rows dropped from the top since the store was made (for keeping the reader's place). */
  evictedRows = 0;
  /** Records received. */
  received = 0;
  /** Bumped on every change. */
  version = 0;

  constructor(maxRows = 10_000) {
    this.maxRows = maxRows;
  }

  get length(): number {
    return this.#rows.length - this.#base;
  }

  at(i: number): Row | undefined {
    return this.#rows[this.#base + i];
  }

  isExpanded(rec: TailRecord): boolean {
    return rec.kind === 'exception' && !this.#collapsed.has(rec.seq);
  }

  clear(): void {
    this.#rows = [];
    this.#base = 0;
    this.#collapsed.clear();
    this.version++;
  }

  add(records: readonly TailRecord[]): void {
    for (const r of records) this.#insert(r);
    this.received += records.length;
    this.#evict();
    this.version++;
  }

  #insert(r: TailRecord): void {
    const rows = r.kind === 'exception' ? blockRows(r, !this.#collapsed.has(r.seq)) : [{ kind: r.kind, rec: r } satisfies Row];
    let pos = this.#rows.length;
    const stop = Math.max(this.#base, pos - MAX_REORDER_SCAN);
    while (pos > stop && after(this.#rows[pos - 1]!.rec, r)) pos--;
    if (pos === this.#rows.length) {
      for (const row of rows) this.#rows.push(row);
    } else {
      this.#rows.splice(pos, 0, ...rows);
    }
  }

  #evict(): void {
    if (this.length <= this.maxRows) return;
    let nb = this.#rows.length - this.maxRows;
    // Never start in the middle of a block.
    while (nb < this.#rows.length && this.#rows[nb]!.kind !== 'line' && this.#rows[nb]!.kind !== 'gap' && this.#rows[nb]!.kind !== 'head') nb++;
    for (let i = this.#base; i < nb; i++) {
      const row = this.#rows[i]!;
      if (row.kind === 'head') this.#collapsed.delete(row.rec.seq);
    }
    this.evictedRows += nb - this.#base;
    this.#base = nb;
    if (this.#base > this.maxRows) {
      this.#rows = this.#rows.slice(this.#base);
      this.#base = 0;
    }
  }

  /** Expand or collapse the exception block whose head is at row i; returns the row count change. */
  toggle(i: number): number {
    const head = this.at(i);
    if (!head || head.kind !== 'head' || head.rec.kind !== 'exception') return 0;
    const rec = head.rec;
    const abs = this.#base + i;
    let end = abs + 1;
    while (end < this.#rows.length && this.#rows[end]!.rec === rec) end++;
    const expand = this.#collapsed.has(rec.seq);
    if (expand) this.#collapsed.delete(rec.seq);
    else this.#collapsed.add(rec.seq);
    const rows = blockRows(rec, expand);
    this.#rows.splice(abs, end - abs, ...rows);
    this.version++;
    return rows.length - (end - abs);
  }

  /** Index of the head row of the block row i belongs to. */
  headOf(i: number): number {
    let j = i;
    while (j > 0 && this.at(j)?.kind !== 'head' && this.at(j)?.kind !== 'line' && this.at(j)?.kind !== 'gap') j--;
    return j;
  }

  /** Rough retained size, for the bench and the status line. */
  approxBytes(): number {
    let n = 0;
    const seen = new Set<TailRecord>();
    for (let i = this.#base; i < this.#rows.length; i++) {
      const r = this.#rows[i]!.rec;
      n += 48;
      if (seen.has(r)) continue;
      seen.add(r);
      n += 200 + (r.kind === 'line' ? r.text.length * 2 : r.kind === 'gap' ? r.reason.length * 2 : r.lines.reduce((a, l) => a + l.length * 2, 0));
    }
    return n;
  }
}
