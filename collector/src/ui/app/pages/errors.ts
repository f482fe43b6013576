import { Sparkline } from '../components/chart.ts';
import { statusBadge } from '../components/badges.ts';
import { SortTable } from '../components/sort-table.ts';
import { h, link, notice, replace, select, seg } from '../dom.ts';
import { ago, count, dateTime } from '../format.ts';
import { Poller } from '../poll.ts';
import type { PageFactory } from '../router.ts';
import { minuteGrid } from '../series.ts';
import type { ErrorGroupView } from '../wire.ts';

const STATUSES: Array<[string, string]> = [['', 'any status'], ['new', 'new'], ['ongoing', 'ongoing'], ['regressed', 'regressed']];

/** Error groups across all functions, with counts over the last hour and where they happen. */
export const errorsPage: PageFactory = (ctx, _params, query) => {
  const { api, theme } = ctx;
  const sparks = new Map<string, Sparkline>();
  let groups: ErrorGroupView[] = [];
  const status = select(STATUSES, query.get('status') ?? '');
  status.id = 'err-status';
  const text = h('input', { type: 'search', id: 'err-q', value: query.get('q') ?? '', placeholder: 'type, message or function', autocomplete: 'off' });
  const summary = h('p', { class: 'summary', role: 'status' });
  const failure = h('div');
  const sparkOf = (g: ErrorGroupView): HTMLElement => {
    let s = sparks.get(g.id);
    if (!s) {
      s = new Sparkline(theme, ['--bad'], '');
      sparks.set(g.id, s);
    }
    const { xs, ys } = minuteGrid(g.minutes, Date.now());
    s.setData(xs, [ys], `${g.type}: ${ys.reduce((a, b) => a + b, 0)} occurrences in the last hour, ${ys[ys.length - 1] ?? 0} this minute`);
    return s.el;
  };

  const table = new SortTable<ErrorGroupView>({
    caption: 'Error groups',
    keyOf: (g) => g.id,
    sort: { key: query.get('sort') ?? 'last', dir: query.get('dir') === 'asc' ? 'asc' : 'desc' },
    onSort: (key, dir) => save(key, dir),
    empty: 'No error groups match. Exceptions appear here as soon as a function logs one.',
    rowClass: (g) => (g.status === 'regressed' ? 'attention bad' : g.status === 'new' ? 'attention' : ''),
    columns: [
      { key: 'status', label: 'Status', sort: (g) => g.status, cell: (g) => statusBadge(g.status) },
      {
        key: 'error',
        label: 'Error',
        sort: (g) => g.type,
        cell: (g) => h('div', { class: 'err-cell' }, link(`/errors/${seg(g.id)}`, h('strong', {}, g.type), g.message ? `: ${g.message}` : ''), h('span', { class: 'meta' }, g.language)),
      },
      {
        key: 'functions',
        label: 'Functions',
        sort: (g) => Object.keys(g.functions).join(),
        cell: (g) =>
          Object.entries(g.functions).map(([k, n]) => {
            const [fns, fname] = k.split('/');
            return h('span', { class: 'chip' }, fname ? link(`/functions/${seg(fns ?? '')}/${seg(fname)}`, k) : k, ` ${count(n)}`);
          }),
      },
      { key: 'pods', label: 'Pods', numeric: true, sort: (g) => Object.keys(g.pods).length, cell: (g) => String(Object.keys(g.pods).length) },
      { key: 'count', label: 'Count', numeric: true, sort: (g) => g.count, cell: (g) => count(g.count) },
      { key: 'rate', label: 'Per min', title: 'occurrences per minute over the last 5 minutes', numeric: true, sort: (g) => g.ratePerSecond, cell: (g) => (g.ratePerSecond * 60).toFixed(g.ratePerSecond * 60 < 10 ? 1 : 0) },
      { key: 'trend', label: 'Last hour', cell: (g) => sparkOf(g) },
      { key: 'first', label: 'First seen', sort: (g) => g.firstSeen, cell: (g) => h('time', { datetime: new Date(g.firstSeen).toISOString(), title: dateTime(g.firstSeen) }, ago(g.firstSeen)) },
      { key: 'last', label: 'Last seen', sort: (g) => g.lastSeen, cell: (g) => h('time', { datetime: new Date(g.lastSeen).toISOString(), title: dateTime(g.lastSeen) }, ago(g.lastSeen)) },
    ],
  });

  let sortKey = query.get('sort') ?? 'last';
  let sortDir = query.get('dir') ?? 'desc';
  const save = (key = sortKey, dir = sortDir): void => {
    sortKey = key;
    sortDir = dir;
    const q = new URLSearchParams();
    if (status.value) q.set('status', status.value);
    if (text.value) q.set('q', text.value);
    if (key !== 'last' || dir !== 'desc') {
      q.set('sort', key);
      q.set('dir', dir);
    }
    ctx.setQuery(q);
  };

  const render = (): void => {
    const q = text.value.trim().toLowerCase();
    const shown = groups.filter((g) => !q || `${g.type} ${g.message} ${Object.keys(g.functions).join(' ')}`.toLowerCase().includes(q));
    table.update(shown);
    const total = groups.reduce((n, g) => n + g.count, 0);
    summary.textContent = `${groups.length} group${groups.length === 1 ? '' : 's'} · ${count(total)} occurrences${shown.length !== groups.length ? ` · ${shown.length} shown` : ''}`;
  };

  const poller = new Poller(async (signal) => {
    try {
      groups = await api.get<ErrorGroupView[]>('/api/v1/errors', { status: status.value || undefined, limit: 1000 }, signal);
      replace(failure);
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      replace(failure, notice(`Could not load error groups: ${(e as Error).message}`, 'error'));
    }
    render();
  }, 5000).start();

  status.addEventListener('change', () => {
    save();
    poller.now();
  });
  text.addEventListener('input', () => {
    save();
    render();
  });

  const el = h(
    'div',
    { class: 'page errors' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Errors')),
    h('p', { class: 'lede' }, 'Exceptions grouped by kind (type and the application frames, or the message when a trace has none). New: first seen in the last hour; regressed: back after an hour of quiet.'),
    summary,
    h(
      'form',
      { class: 'toolbar', role: 'search', 'aria-label': 'Filter error groups', onsubmit: (e: Event) => e.preventDefault() },
      h('label', { for: 'err-status' }, 'Status'),
      status,
      h('label', { for: 'err-q' }, 'Search'),
      text,
    ),
    failure,
    table.el,
  );
  return {
    el,
    title: 'Errors',
    destroy: () => {
      poller.stop();
      for (const s of sparks.values()) s.destroy();
    },
  };
};
