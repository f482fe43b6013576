import { h, nextId } from '../dom.ts';
import { fillRow, type PodColors } from './row-render.ts';
import type { Row, TailStore } from './store.ts';

/** Height of one row in pixels; CSS (.tail .tr) uses the same. */
export const ROW_HEIGHT = 20;
const OVERSCAN = 8;

interface Slot {
  el: HTMLElement;
  row: Row | undefined;
  expanded: boolean;
  abs: number;
}

/**
 * A virtualised view of a TailStore: only the rows in sight (plus a few) exist in the DOM, drawn at
 * most once per animation frame however fast records arrive. It follows the newest row until the
 * reader scrolls up, and keeps the reader's place when old rows are evicted above. Keyboard: arrows,
 * Page Up/Down, Home/End move the active row; Enter or Space opens a line or folds an exception;
 * Left/Right fold and unfold.
 */
export class TailView {
  readonly el: HTMLElement;
  readonly #store: TailStore;
  readonly #colors: PodColors;
  readonly #fn: string | undefined;
  readonly #onSelect: (row: Row) => void;
  readonly #onFollow: (following: boolean) => void;
  readonly #sizer: HTMLElement;
  readonly #slots: Slot[] = [];
  readonly #idBase = nextId('tail');
  #follow = true;
  #userAt = -Infinity;
  #height = 0;
  #total = -1;
  #frame = 0;
  #seenEvicted = 0;
  #active = -1;
  #destroyed = false;
  /** Frames drawn and their cost, for the bench. */
  readonly stats = { frames: 0, rowsFilled: 0 };
  readonly #resize: ResizeObserver;

  constructor(o: { store: TailStore; colors: PodColors; fn?: string; label: string; onSelect: (row: Row) => void; onFollow: (following: boolean) => void }) {
    this.#store = o.store;
    this.#colors = o.colors;
    this.#fn = o.fn;
    this.#onSelect = o.onSelect;
    this.#onFollow = o.onFollow;
    this.#sizer = h('div', { class: 'tail-sizer' });
    this.el = h('div', { class: 'tail-viewport', role: 'tree', tabindex: 0, 'aria-label': o.label, 'aria-live': 'off' }, this.#sizer);
    this.#seenEvicted = o.store.evictedRows;
    this.el.addEventListener('scroll', () => this.#onScroll(), { passive: true });
    const intent = (): void => {
      this.#userAt = performance.now();
    };
    this.el.addEventListener('wheel', (e) => {
      intent();
      if (e.deltaY < 0) this.#setFollow(false);
    }, { passive: true });
    for (const ev of ['pointerdown', 'touchmove', 'keydown']) this.el.addEventListener(ev, intent, { passive: true });
    this.el.addEventListener('click', (e) => this.#onClick(e));
    this.el.addEventListener('keydown', (e) => this.#onKey(e));
    this.#resize = new ResizeObserver(() => {
      this.#height = this.el.clientHeight;
      this.invalidate();
    });
    this.#resize.observe(this.el);
  }

  get following(): boolean {
    return this.#follow;
  }

  /** Schedule a redraw (coalesced to one per frame). */
  invalidate(): void {
    if (this.#frame !== 0 || this.#destroyed) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#render();
    });
  }

  /** Jump to the newest row and follow it. */
  follow(): void {
    this.#setFollow(true);
    this.invalidate();
  }

  #setFollow(f: boolean): void {
    if (this.#follow === f) return;
    this.#follow = f;
    this.#onFollow(f);
  }

  #onScroll(): void {
    const atBottom = this.el.scrollTop + this.el.clientHeight >= this.el.scrollHeight - ROW_HEIGHT * 1.5;
    // Only the reader stops following (a resize or new rows never do).
    if (atBottom) this.#setFollow(true);
    else if (performance.now() - this.#userAt < 1000) this.#setFollow(false);
    this.invalidate();
  }

  #render(): void {
    const s = this.#store;
    const evicted = s.evictedRows - this.#seenEvicted;
    this.#seenEvicted = s.evictedRows;
    const len = s.length;
    const total = len * ROW_HEIGHT;
    if (this.#total !== total) {
      this.#total = total;
      this.#sizer.style.height = `${total}px`;
    }
    if (evicted > 0) {
      this.#active = Math.max(-1, this.#active - evicted);
      if (!this.#follow) this.el.scrollTop = Math.max(0, this.el.scrollTop - evicted * ROW_HEIGHT);
    }
    if (this.#follow) this.el.scrollTop = Math.max(0, total - this.#height);
    const top = this.el.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(len, Math.ceil((top + this.#height) / ROW_HEIGHT) + OVERSCAN);
    const need = last - first;
    while (this.#slots.length < need) {
      const el = h('div', { class: 'tr', role: 'treeitem', id: `${this.#idBase}-${this.#slots.length}` });
      this.el.appendChild(el);
      this.#slots.push({ el, row: undefined, expanded: false, abs: -1 });
    }
    const n = this.#slots.length;
    const base = s.evictedRows;
    const used = new Set<number>();
    for (let i = first; i < last; i++) {
      const abs = base + i;
      const slot = this.#slots[abs % n]!;
      used.add(abs % n);
      const row = s.at(i)!;
      const expanded = s.isExpanded(row.rec);
      if (slot.row !== row || slot.expanded !== expanded) {
        fillRow(slot.el, row, expanded, this.#colors, this.#fn);
        slot.row = row;
        slot.expanded = expanded;
        this.stats.rowsFilled++;
      }
      if (slot.abs !== abs || slot.el.hidden) {
        slot.el.hidden = false;
        slot.abs = abs;
      }
      slot.el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
      slot.el.dataset['i'] = String(i);
      slot.el.setAttribute('aria-posinset', String(i + 1));
      slot.el.setAttribute('aria-setsize', String(len));
      slot.el.classList.toggle('active', i === this.#active);
    }
    for (let j = 0; j < n; j++) {
      if (!used.has(j)) {
        const slot = this.#slots[j]!;
        if (!slot.el.hidden) slot.el.hidden = true;
        slot.row = undefined;
      }
    }
    const activeSlot = this.#active >= first && this.#active < last ? this.#slots[(base + this.#active) % n] : undefined;
    if (activeSlot) this.el.setAttribute('aria-activedescendant', activeSlot.el.id);
    else this.el.removeAttribute('aria-activedescendant');
    this.stats.frames++;
  }

  #rowIndexOf(target: EventTarget | null): number {
    const el = (target as HTMLElement | null)?.closest<HTMLElement>('.tr');
    return el?.dataset['i'] === undefined ? -1 : Number(el.dataset['i']);
  }

  #onClick(e: MouseEvent): void {
    const i = this.#rowIndexOf(e.target);
    if (i < 0) return;
    this.#activate(i, (e.target as HTMLElement).closest('.tog') !== null);
  }

  #activate(i: number, toggle: boolean): void {
    const row = this.#store.at(i);
    if (!row) return;
    this.#active = i;
    if (row.kind === 'head' && (toggle || !this.#store.isExpanded(row.rec))) this.#store.toggle(i);
    else this.#onSelect(row);
    this.invalidate();
  }

  #move(to: number): void {
    const len = this.#store.length;
    if (len === 0) return;
    this.#active = Math.min(len - 1, Math.max(0, to));
    const y = this.#active * ROW_HEIGHT;
    if (this.#active < len - 1) this.#setFollow(false);
    if (y < this.el.scrollTop) this.el.scrollTop = y;
    else if (y + ROW_HEIGHT > this.el.scrollTop + this.#height) this.el.scrollTop = y + ROW_HEIGHT - this.#height;
    this.invalidate();
  }

  #onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.#height / ROW_HEIGHT) - 1);
    const cur = this.#active < 0 ? Math.floor(this.el.scrollTop / ROW_HEIGHT) + page : this.#active;
    const row = this.#active >= 0 ? this.#store.at(this.#active) : undefined;
    switch (e.key) {
      case 'ArrowDown': this.#move(cur + 1); break;
      case 'ArrowUp': this.#move(cur - 1); break;
      case 'PageDown': this.#move(cur + page); break;
      case 'PageUp': this.#move(cur - page); break;
      case 'Home': this.#move(0); break;
      case 'End':
        this.#active = this.#store.length - 1;
        this.follow();
        break;
      case 'Enter':
      case ' ':
        if (this.#active >= 0) this.#activate(this.#active, true);
        break;
      case 'ArrowRight':
        if (row?.kind === 'head' && !this.#store.isExpanded(row.rec)) this.#activate(this.#active, true);
        break;
      case 'ArrowLeft':
        if (row && row.kind !== 'line' && row.kind !== 'gap') {
          const head = this.#store.headOf(this.#active);
          if (this.#store.isExpanded(row.rec)) this.#activate(head, true);
          else this.#move(head);
        }
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  destroy(): void {
    this.#destroyed = true;
    cancelAnimationFrame(this.#frame);
    this.#resize.disconnect();
  }
}
