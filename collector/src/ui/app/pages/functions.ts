import { Sparkline } from '../components/chart.ts';
import { badge } from '../components/badges.ts';
import { SortTable, type Column, type SortDir } from '../components/sort-table.ts';
import { h, link, notice, replace, seg } from '../dom.ts';
import { clock, percent, rate, seconds } from '../format.ts';
import { problemsOf, severityScore, type Problem } from '../health.ts';
import { Poller } from '../poll.ts';
import type { PageFactory } from '../router.ts';
import type { ErrorGroupView, FunctionDetail, FunctionView } from '../wire.ts';

const keyOf = (f: { namespace: string; name: string }): string => `${f.namespace}/${f.name}`;

interface Row {
  f: FunctionView;
  problems: Problem[];
  topError: ErrorGroupView | undefined;
}

/** Most functions whose sparkline history is fetched on each refresh. */
const MAX_SPARKLINES = 60;

/** Every function at a glance, updating live; the ones in trouble first and marked. */
export const functionsPage: PageFactory = (ctx, _params, query) => {
  const { api, theme } = ctx;
  const errorsHist = new Map<string, Array<number | null>>();
  const sparks = new Map<string, Sparkline>();
  const firstRestarts = new Map<string, number>();
  let topErrors = new Map<string, ErrorGroupView>();
  let functions: FunctionView[] = [];
  let failure = '';

  const filterInput = h('input', { type: 'search', id: 'fn-filter', value: query.get('q') ?? '', placeholder: 'name, namespace or runtime', autocomplete: 'off' });
  const onlyProblems = h('input', { type: 'checkbox', id: 'fn-problems', checked: query.get('problems') === 'true' });
  const summary = h('p', { class: 'summary', role: 'status' });
  const callout = h('div', { class: 'callouts' });
  const updated = h('span', { class: 'updated' });
  const errorBox = h('div');

  const saveQuery = (): void => {
    const q = new URLSearchParams();
    if (filterInput.value) q.set('q', filterInput.value);
    if (onlyProblems.checked) q.set('problems', 'true');
    if (sortState.key !== 'status' || sortState.dir !== 'desc') {
      q.set('sort', sortState.key);
      q.set('dir', sortState.dir);
    }
    ctx.setQuery(q);
  };
  const sortState: { key: string; dir: SortDir } = { key: query.get('sort') ?? 'status', dir: query.get('dir') === 'asc' ? 'asc' : 'desc' };

  const sparkOf = (f: FunctionView): Sparkline => {
    let s = sparks.get(keyOf(f));
    if (!s) {
      s = new Sparkline(theme, ['--chart-1', '--bad'], `Calls and errors per second of ${f.name}: loading`);
      sparks.set(keyOf(f), s);
    }
    return s;
  };

  const columns: Array<Column<Row>> = [
    {
      key: 'name',
      label: 'Function',
      sort: (r) => keyOf(r.f),
      cell: (r) => h('div', { class: 'fn-name' }, h('span', { class: 'ns' }, r.f.namespace), link(`/functions/${seg(r.f.namespace)}/${seg(r.f.name)}`, r.f.name)),
    },
    { key: 'runtime', label: 'Runtime', sort: (r) => r.f.runtime, cell: (r) => r.f.runtime || '–' },
    {
      key: 'pods',
      label: 'Pods',
      title: 'ready / total pods',
      sort: (r) => r.f.pods.ready,
      numeric: true,
      cell: (r) => h('span', { class: r.f.pods.ready < r.f.pods.total || r.f.pods.total === 0 ? 'warn-text' : null }, `${r.f.pods.ready}/${r.f.pods.total}`),
    },
    { key: 'restarts', label: 'Restarts', sort: (r) => r.f.pods.restarts, numeric: true, cell: (r) => h('span', { class: r.f.pods.restarts > 0 ? 'warn-text' : null }, String(r.f.pods.restarts)) },
    {
      key: 'targets',
      label: 'Targets',
      title: 'scrape targets up / total',
      sort: (r) => r.f.targets.total - r.f.targets.up,
      numeric: true,
      cell: (r) => h('span', { class: r.f.targets.up < r.f.targets.total ? 'bad-text' : null }, `${r.f.targets.up}/${r.f.targets.total}`),
    },
    { key: 'calls', label: 'Calls/s', sort: (r) => r.f.rates.callsPerSecond, numeric: true, cell: (r) => h('span', { class: 'calls' }, rate(r.f.rates.callsPerSecond)) },
    {
      key: 'errors',
      label: 'Errors',
      title: 'share of calls that failed (last minute)',
      sort: (r) => r.f.rates.errorRatio,
      numeric: true,
      cell: (r) => h('span', { class: (r.f.rates.errorRatio ?? 0) > 0 ? 'bad-text' : null }, percent(r.f.rates.errorRatio)),
    },
    { key: 'p95', label: 'p95', title: '95th percentile latency', sort: (r) => r.f.rates.p95, numeric: true, cell: (r) => seconds(r.f.rates.p95) },
    { key: 'trend', label: 'Last 15 min', title: 'calls/s (blue) and errors/s (red)', cell: (r) => sparkOf(r.f).el },
    {
      key: 'top',
      label: 'Top error',
      sort: (r) => r.topError?.ratePerSecond ?? null,
      cell: (r) => (r.topError ? link(`/errors/${seg(r.topError.id)}`, h('span', { class: 'etype' }, r.topError.type), r.topError.message ? `: ${r.topError.message}` : '') : h('span', { class: 'muted' }, '–')),
    },
    {
      key: 'status',
      label: 'Status',
      sort: (r) => severityScore(r.problems),
      cell: (r) => (r.problems.length ? r.problems.map((p) => badge(p.text, p.tone)) : badge('OK', 'ok')),
    },
  ];

  const table = new SortTable<Row>({
    caption: 'Functions',
    columns,
    keyOf: (r) => keyOf(r.f),
    sort: sortState,
    onSort: (key, dir) => {
      sortState.key = key;
      sortState.dir = dir;
      saveQuery();
    },
    rowClass: (r) => (r.problems.some((p) => p.tone === 'bad') ? 'attention bad' : r.problems.length ? 'attention' : ''),
    empty: 'No functions match.',
  });

  const render = (): void => {
    if (failure && functions.length === 0) {
      replace(errorBox, notice(failure, 'error'));
      return;
    }
    replace(errorBox, failure ? notice(`${failure} (showing the last data)`, 'error') : null);
    const q = filterInput.value.trim().toLowerCase();
    const rows: Row[] = functions.map((f) => {
      const k = keyOf(f);
      if (!firstRestarts.has(k)) firstRestarts.set(k, f.pods.restarts);
      return { f, problems: problemsOf(f, errorsHist.get(k), firstRestarts.get(k)), topError: topErrors.get(k) };
    });
    const shown = rows.filter((r) => (!q || `${r.f.namespace}/${r.f.name} ${r.f.runtime}`.toLowerCase().includes(q)) && (!onlyProblems.checked || r.problems.length > 0));
    table.update(shown);
    const troubled = rows.filter((r) => r.problems.some((p) => p.tone === 'bad'));
    summary.textContent = functions.length === 0 ? 'No functions discovered yet.' : `${functions.length} function${functions.length === 1 ? '' : 's'} · ${troubled.length} need${troubled.length === 1 ? 's' : ''} attention${shown.length !== rows.length ? ` · ${shown.length} shown` : ''}`;
    replace(
      callout,
      troubled.slice(0, 3).map((r) =>
        h(
          'p',
          { class: 'callout bad' },
          link(`/functions/${seg(r.f.namespace)}/${seg(r.f.name)}`, h('strong', {}, r.f.name)),
          ` ${r.problems.map((p) => p.text).join(', ')}`,
          r.topError ? [' — most frequent error ', link(`/errors/${seg(r.topError.id)}`, h('code', {}, `${r.topError.type}${r.topError.message ? `: ${r.topError.message}` : ''}`))] : null,
        ),
      ),
    );
    updated.textContent = `updated ${clock(Date.now()).slice(0, 8)}`;
  };

  filterInput.addEventListener('input', () => {
    render();
    saveQuery();
  });
  onlyProblems.addEventListener('change', () => {
    render();
    saveQuery();
  });

  const fnPoller = new Poller(async (signal) => {
    try {
      functions = await api.get<FunctionView[]>('/api/v1/functions', {}, signal);
      failure = '';
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      failure = (e as Error).message;
    }
    render();
  }, 2000);

  const errPoller = new Poller(async (signal) => {
    const groups = await api.get<ErrorGroupView[]>('/api/v1/errors', { limit: 1000 }, signal);
    const next = new Map<string, ErrorGroupView>();
    const recent = Date.now() - 15 * 60_000;
    for (const g of groups) {
      if (g.lastSeen < recent) continue;
      for (const fk of Object.keys(g.functions)) {
        const cur = next.get(fk);
        if (!cur || g.ratePerSecond > cur.ratePerSecond || (g.ratePerSecond === cur.ratePerSecond && g.lastSeen > cur.lastSeen)) next.set(fk, g);
      }
    }
    topErrors = next;
    render();
  }, 5000);

  const histPoller = new Poller(async (signal) => {
    const list = functions.slice(0, MAX_SPARKLINES);
    let i = 0;
    const worker = async (): Promise<void> => {
      while (i < list.length) {
        const f = list[i++]!;
        const d = await api.get<FunctionDetail>(`/api/v1/functions/${seg(f.namespace)}/${seg(f.name)}`, { since: '15m', step: '15s', window: '1m' }, signal).catch(() => undefined);
        if (!d) continue;
        // From the first point with data: a collector that started a minute ago draws that minute across.
        const first = d.history.points.findIndex((p) => p.source !== 'none');
        const pts = d.history.points.slice(Math.max(0, Math.min(first < 0 ? Infinity : first, d.history.points.length - 2)));
        const xs = pts.map((p) => p.t);
        const calls = pts.map((p) => p.callsPerSecond);
        const errs = pts.map((p) => p.errorsPerSecond);
        errorsHist.set(keyOf(f), errs);
        sparkOf(f).setData(xs, [calls, errs], `${f.name}, last 15 minutes: calls per second now ${rate(calls[calls.length - 1] ?? 0)}, errors per second now ${rate(errs[errs.length - 1] ?? 0)}`);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    render();
  }, 10_000);

  fnPoller.start();
  errPoller.start();
  // The first sparklines wait for the first list of functions.
  const firstHist = window.setTimeout(() => histPoller.start(), 300);

  const el = h(
    'div',
    { class: 'page functions' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Functions'), updated),
    summary,
    callout,
    h(
      'form',
      { class: 'toolbar', role: 'search', 'aria-label': 'Filter functions', onsubmit: (e: Event) => e.preventDefault() },
      h('label', { for: 'fn-filter' }, 'Filter'),
      filterInput,
      h('label', { class: 'check' }, onlyProblems, ' Needs attention only'),
    ),
    errorBox,
    table.el,
  );
  return {
    el,
    title: 'Functions',
    destroy: () => {
      clearTimeout(firstHist);
      fnPoller.stop();
      errPoller.stop();
      histPoller.stop();
      for (const s of sparks.values()) s.destroy();
    },
  };
};
