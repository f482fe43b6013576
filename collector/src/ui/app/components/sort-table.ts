import { h, type Child } from '../dom.ts';

export interface Column<T> {
  key: string;
  label: string;
  /** Sort key; columns without one are not sortable. */
  sort?: (t: T) => string | number | null;
  cell: (t: T) => Child | Child[];
  numeric?: boolean;
  /** Screen-reader label of the header when the visible one is short. */
  title?: string;
}

export type SortDir = 'asc' | 'desc';

export interface SortTableOptions<T> {
  caption: string;
  columns: Array<Column<T>>;
  keyOf: (t: T) => string;
  sort: { key: string; dir: SortDir };
  onSort?: (key: string, dir: SortDir) => void;
  rowClass?: (t: T) => string;
  empty?: string;
  /** Sorted before the chosen column, e.g. "needs attention first". */
  presort?: (a: T, b: T) => number;
}

function compare(a: string | number | null, b: string | number | null): number {
  if (a === null && b === null) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/**
 * A table sortable by its column headers (buttons, with aria-sort). update() re-renders the rows
 * and gives keyboard focus back to the same row when it was inside the table.
 */
export class SortTable<T> {
  readonly el: HTMLElement;
  readonly #o: SortTableOptions<T>;
  readonly #thead: HTMLTableSectionElement;
  readonly #tbody: HTMLTableSectionElement;
  #sort: { key: string; dir: SortDir };
  #items: T[] = [];

  constructor(o: SortTableOptions<T>) {
    this.#o = o;
    this.#sort = o.sort;
    this.#thead = h('thead');
    this.#tbody = h('tbody');
    this.el = h('div', { class: 'table-wrap' }, h('table', { class: 'grid' }, h('caption', { class: 'sr-only' }, o.caption), this.#thead, this.#tbody));
    this.#renderHead();
  }

  #renderHead(): void {
    const tr = h('tr');
    for (const c of this.#o.columns) {
      const active = this.#sort.key === c.key;
      const th = h('th', { scope: 'col', class: c.numeric ? 'num' : null, 'aria-sort': c.sort ? (active ? (this.#sort.dir === 'asc' ? 'ascending' : 'descending') : 'none') : null });
      if (c.sort) {
        th.appendChild(
          h(
            'button',
            { type: 'button', class: 'sort', title: c.title ?? null, onclick: () => this.#setSort(c.key) },
            c.label,
            h('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (this.#sort.dir === 'asc' ? '▲' : '▼') : '↕'),
          ),
        );
      } else th.appendChild(h('span', { title: c.title ?? null }, c.label));
      tr.appendChild(th);
    }
    this.#thead.replaceChildren(tr);
  }

  #setSort(key: string): void {
    const dir: SortDir = this.#sort.key === key ? (this.#sort.dir === 'asc' ? 'desc' : 'asc') : this.#o.columns.find((c) => c.key === key)?.numeric ? 'desc' : 'asc';
    this.#sort = { key, dir };
    this.#renderHead();
    this.update(this.#items);
    this.#o.onSort?.(key, dir);
    this.#thead.querySelector<HTMLButtonElement>(`th[aria-sort="${dir === 'asc' ? 'ascending' : 'descending'}"] button`)?.focus();
  }

  update(items: T[]): void {
    this.#items = items;
    const col = this.#o.columns.find((c) => c.key === this.#sort.key);
    const sorted = [...items];
    const sign = this.#sort.dir === 'asc' ? 1 : -1;
    sorted.sort((a, b) => (this.#o.presort?.(a, b) ?? 0) || (col?.sort ? sign * compare(col.sort(a), col.sort(b)) : 0) || this.#o.keyOf(a).localeCompare(this.#o.keyOf(b)));
    // Keep keyboard focus on the same row across re-renders.
    const active = document.activeElement;
    let focusKey: string | undefined;
    let focusIdx = -1;
    if (active && this.#tbody.contains(active)) {
      const tr = active.closest('tr');
      focusKey = tr?.dataset['key'];
      focusIdx = tr ? [...tr.querySelectorAll('a,button,input,select')].indexOf(active) : -1;
    }
    const rows = sorted.map((t) => {
      const tr = h('tr', { 'data-key': this.#o.keyOf(t), class: this.#o.rowClass?.(t) || null });
      for (const c of this.#o.columns) tr.appendChild(h('td', { class: c.numeric ? 'num' : null }, c.cell(t)));
      return tr;
    });
    if (rows.length === 0) rows.push(h('tr', {}, h('td', { colspan: this.#o.columns.length, class: 'empty' }, this.#o.empty ?? 'Nothing to show.')));
    this.#tbody.replaceChildren(...rows);
    if (focusKey !== undefined) {
      const tr = [...this.#tbody.rows].find((r) => r.dataset['key'] === focusKey);
      const target = tr ? [...tr.querySelectorAll<HTMLElement>('a,button,input,select')][Math.max(0, focusIdx)] : undefined;
      target?.focus({ preventScroll: true });
    }
  }
}
