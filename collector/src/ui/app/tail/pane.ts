import type { Api } from '../api.ts';
import { exceptionBlock } from '../components/exception.ts';
import { field, h, link, replace, select } from '../dom.ts';
import { count, dateTime } from '../format.ts';
import type { TailFilterSpec, TailRecord } from '../wire.ts';
import { TailConnection, type TailState } from './connection.ts';
import { PodColors, podLabel } from './row-render.ts';
import { TailStore, type Row } from './store.ts';
import { TailView } from './view.ts';

/** The access lines of the collector's own scrapes: hidden unless asked for. */
export const SCRAPE_LINES = '"GET /metrics HTTP/';

export interface TailPaneOptions {
  api: Api;
  /** Fixed by the page (the function page); otherwise editable. */
  namespace?: string;
  function?: string;
  /** Initial filter values (e.g. from the URL). */
  initial?: URLSearchParams;
  onFilterChange?: (q: URLSearchParams) => void;
  maxRows?: number;
  /** Pod colours shared with the rest of the page. */
  colors?: PodColors;
  /** Height of the viewport in CSS pixels. */
  height?: number;
}

/**
 * The live tail: filters as in `fnscope logs`, pause and resume, a colour per pod, exceptions as
 * blocks, gap markers, and the full record of the selected line below.
 */
export class TailPane {
  readonly el: HTMLElement;
  readonly store: TailStore;
  readonly view: TailView;
  readonly #o: TailPaneOptions;
  readonly #conn: TailConnection;
  readonly #colors: PodColors;
  readonly #status: HTMLElement;
  readonly #legend: HTMLElement;
  readonly #details: HTMLElement;
  readonly #pauseBtn: HTMLButtonElement;
  readonly #latestBtn: HTMLButtonElement;
  readonly #inputs: {
    namespace: HTMLInputElement;
    function: HTMLInputElement;
    pod: HTMLSelectElement | HTMLInputElement;
    stream: HTMLSelectElement;
    errors: HTMLInputElement;
    include: HTMLInputElement;
    exclude: HTMLInputElement;
    scrapes: HTMLInputElement;
  };
  #paused = false;
  #pending: TailRecord[] = [];
  #pendingDropped = 0;
  #state: TailState = 'connecting';
  #stateDetail = '';
  #debounce: number | undefined;
  #statusTimer: number;
  #statusAt = 0;
  readonly #pods = new Set<string>();

  constructor(o: TailPaneOptions) {
    this.#o = o;
    this.#colors = o.colors ?? new PodColors();
    this.store = new TailStore(o.maxRows ?? 10_000);
    const q = o.initial ?? new URLSearchParams();
    const fixedFn = o.function !== undefined;
    const text = (name: string, value: string, placeholder: string): HTMLInputElement => h('input', { type: 'text', name, value, placeholder, autocomplete: 'off', spellcheck: 'false' });
    this.#inputs = {
      namespace: text('namespace', o.namespace ?? q.get('namespace') ?? '', 'all'),
      function: text('function', o.function ?? q.get('function') ?? '', 'all (name or regex)'),
      pod: fixedFn ? select([['', 'all pods']], q.get('pod') ?? '') : text('pod', q.get('pod') ?? '', 'all (regex)'),
      stream: select([['', 'any'], ['stdout', 'stdout'], ['stderr', 'stderr'], ['combined', 'combined']], q.get('stream') ?? ''),
      errors: h('input', { type: 'checkbox', name: 'errors', checked: q.get('errors') === 'true' }),
      include: text('include', q.get('include') ?? '', 'regex'),
      exclude: text('exclude', q.get('exclude') ?? '', 'regex'),
      scrapes: h('input', { type: 'checkbox', name: 'scrapes', checked: q.get('scrapes') === 'true' }),
    };
    const i = this.#inputs;
    for (const el of [i.namespace, i.function, i.pod, i.include, i.exclude]) el.addEventListener('input', () => this.#changed(400));
    for (const el of [i.pod, i.stream, i.errors, i.scrapes]) el.addEventListener('change', () => this.#changed(0));
    this.#pauseBtn = h('button', { type: 'button', class: 'btn', 'aria-pressed': 'false', onclick: () => this.setPaused(!this.#paused) }, 'Pause');
    this.#latestBtn = h('button', { type: 'button', class: 'btn', hidden: true, onclick: () => this.view.follow() }, 'Jump to latest ↓');
    const clearBtn = h('button', { type: 'button', class: 'btn ghost', onclick: () => this.#clear() }, 'Clear');
    this.#status = h('span', { class: 'tail-status', role: 'status' });
    this.#legend = h('ul', { class: 'pod-legend', 'aria-label': 'Pods and their colours' });
    this.#details = h('div', { class: 'tail-details', 'aria-live': 'polite' }, h('p', { class: 'hint' }, 'Select a line (click, or arrows and Enter) to see it in full here.'));
    this.view = new TailView({
      store: this.store,
      colors: this.#colors,
      ...(o.function !== undefined ? { fn: o.function } : {}),
      label: o.function ? `Live log lines of ${o.function}` : 'Live log lines',
      onSelect: (row) => this.#select(row),
      onFollow: (f) => (this.#latestBtn.hidden = f),
    });
    if (o.height) this.view.el.style.height = `${o.height}px`;
    const filters = h(
      'form',
      { class: 'tail-filters', role: 'search', 'aria-label': 'Log filters', onsubmit: (e: Event) => e.preventDefault() },
      fixedFn ? null : field('Namespace', i.namespace),
      fixedFn ? null : field('Function', i.function),
      field('Pod', i.pod),
      field('Stream', i.stream),
      field('Include', i.include, 'regular expression lines must match'),
      field('Exclude', i.exclude, 'regular expression of lines to hide'),
      h('div', { class: 'checks' }, h('label', {}, i.errors, ' Errors only'), h('label', {}, i.scrapes, ' Show /metrics scrapes')),
    );
    this.el = h(
      'div',
      { class: 'tail' },
      filters,
      h('div', { class: 'tail-bar' }, this.#pauseBtn, clearBtn, this.#latestBtn, this.#status, this.#legend),
      this.view.el,
      this.#details,
    );
    this.#conn = new TailConnection(o.api, {
      records: (recs) => this.#onRecords(recs),
      state: (s, d) => {
        this.#state = s;
        this.#stateDetail = d;
        this.#renderStatus();
      },
    });
    this.#conn.open(this.filter());
    this.#statusTimer = window.setInterval(() => this.#renderStatus(), 500);
  }

  /** The filter the inputs describe (the server's TailFilterSpec). */
  filter(): TailFilterSpec {
    const i = this.#inputs;
    const one = (s: string): string[] => (s.trim() === '' ? [] : [s.trim()]);
    const exclude = one(i.exclude.value);
    if (!i.scrapes.checked) exclude.push(SCRAPE_LINES);
    const spec: TailFilterSpec = {};
    if (i.namespace.value.trim()) spec.namespace = i.namespace.value.trim();
    if (i.function.value.trim()) spec.function = i.function.value.trim();
    if (i.pod.value.trim()) spec.pod = i.pod.value.trim();
    if (i.stream.value) spec.stream = i.stream.value as 'stdout' | 'stderr' | 'combined';
    if (i.errors.checked) spec.errorsOnly = true;
    const include = one(i.include.value);
    if (include.length) spec.include = include;
    if (exclude.length) spec.exclude = exclude;
    return spec;
  }

  #changed(delay: number): void {
    clearTimeout(this.#debounce);
    this.#debounce = window.setTimeout(() => {
      if (!this.#validate()) return;
      this.#clear();
      this.#conn.open(this.filter());
      if (this.#o.onFilterChange) {
        const i = this.#inputs;
        const q = new URLSearchParams();
        if (!this.#o.namespace && i.namespace.value) q.set('namespace', i.namespace.value);
        if (!this.#o.function && i.function.value) q.set('function', i.function.value);
        if (i.pod.value) q.set('pod', i.pod.value);
        if (i.stream.value) q.set('stream', i.stream.value);
        if (i.errors.checked) q.set('errors', 'true');
        if (i.scrapes.checked) q.set('scrapes', 'true');
        if (i.include.value.trim()) q.set('include', i.include.value.trim());
        if (i.exclude.value.trim()) q.set('exclude', i.exclude.value.trim());
        this.#o.onFilterChange(q);
      }
    }, delay);
  }

  /** Patterns the collector would refuse are flagged here instead (it answers a bad filter with HTTP 400). */
  #validate(): boolean {
    let ok = true;
    const i = this.#inputs;
    for (const el of [i.function, i.pod, i.include, i.exclude]) {
      let msg = '';
      const v = el.value.trim();
      if (v !== '' && !(el === i.function && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v))) {
        try {
          new RegExp(v);
          if (/\([^()]*[+*][^()]*\)\s*[+*{]/.test(v)) msg = 'nested quantifiers like (a+)+ are not allowed';
          else if (v.length > 512) msg = 'at most 512 characters';
        } catch (e) {
          msg = (e as Error).message;
        }
      }
      el.setCustomValidity(msg);
      el.setAttribute('aria-invalid', String(msg !== ''));
      if (msg) {
        ok = false;
        this.#stateDetail = `${el.name}: ${msg}`;
      }
    }
    if (!ok) this.#renderStatus();
    else if (this.#stateDetail.includes(': ')) this.#stateDetail = '';
    return ok;
  }

  #onRecords(recs: TailRecord[]): void {
    for (const r of recs) if (r.pod && !this.#pods.has(r.pod)) this.#addPod(r.pod);
    if (this.#paused) {
      for (const r of recs) this.#pending.push(r);
      const over = this.#pending.length - this.store.maxRows;
      if (over > 0) {
        this.#pending.splice(0, over);
        this.#pendingDropped += over;
      }
      return;
    }
    this.store.add(recs);
    this.view.invalidate();
    if (performance.now() - this.#statusAt > 250) this.#renderStatus();
  }

  #addPod(pod: string): void {
    this.#pods.add(pod);
    const c = this.#colors.of(pod);
    this.#legend.appendChild(h('li', {}, h('span', { class: `swatch pc${c}`, 'aria-hidden': 'true' }), h('span', { title: pod }, podLabel(pod, this.#o.function))));
    const sel = this.#inputs.pod;
    if (sel instanceof HTMLSelectElement) sel.appendChild(h('option', { value: pod.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') }, pod));
  }

  setPaused(p: boolean): void {
    this.#paused = p;
    this.#pauseBtn.textContent = p ? 'Resume' : 'Pause';
    this.#pauseBtn.setAttribute('aria-pressed', String(p));
    if (!p) {
      const pending = this.#pending;
      this.#pending = [];
      if (this.#pendingDropped > 0) {
        const last = pending[0];
        pending.unshift({ kind: 'gap', seq: (last?.seq ?? 0) - 0.5, time: last?.time ?? Date.now(), ts: '', namespace: '', function: '', pod: '', container: '', stream: '', reason: `${this.#pendingDropped} lines skipped while paused` });
        this.#pendingDropped = 0;
      }
      if (pending.length) this.store.add(pending);
      this.view.follow();
    }
    this.#renderStatus();
  }

  #clear(): void {
    this.store.clear();
    this.#pending = [];
    this.#pendingDropped = 0;
    this.view.invalidate();
    this.#renderStatus();
  }

  #renderStatus(): void {
    this.#statusAt = performance.now();
    const s = this.#state === 'live' ? (this.#paused ? 'paused' : 'live') : this.#state;
    const parts = [`${s}`, `${count(this.store.length)} rows`];
    if (this.#paused && this.#pending.length) parts.push(`${count(this.#pending.length)} new while paused`);
    if (this.#stateDetail) parts.push(this.#stateDetail);
    this.#status.textContent = parts.join(' · ');
    this.#status.dataset['state'] = s;
  }

  #select(row: Row): void {
    const r = row.rec;
    const meta = `${r.ts || new Date(r.time).toISOString()} · ${r.pod}${r.stream ? ` · ${r.stream}` : ''}`;
    if (r.kind === 'exception') {
      replace(this.#details, exceptionBlock(r, [r.pod, dateTime(r.time)], true), h('p', {}, link(`/errors/${encodeURIComponent(r.fingerprint)}`, 'Open its error group →')));
    } else if (r.kind === 'gap') {
      replace(this.#details, h('p', { class: 'gapnote' }, `Gap at ${dateTime(r.time)}: ${r.reason}`));
    } else {
      replace(
        this.#details,
        h('p', { class: 'hint' }, meta, r.access ? ` · ${r.access.method} ${r.access.path} → ${r.access.status}${r.access.durationSeconds !== undefined ? ` in ${Math.round(r.access.durationSeconds * 1000)} ms` : ''}` : ''),
        h('pre', { class: 'raw' }, r.text),
      );
    }
  }

  destroy(): void {
    clearTimeout(this.#debounce);
    clearInterval(this.#statusTimer);
    this.#conn.close();
    this.view.destroy();
  }
}
