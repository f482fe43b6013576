import { ApiFailure } from '../api.ts';
import { badge, statusBadge } from '../components/badges.ts';
import { TimeChart, paletteColor, type SeriesSpec } from '../components/chart.ts';
import { InvokeForm } from '../components/invoke.ts';
import { SortTable } from '../components/sort-table.ts';
import { h, link, notice, replace, section, seg } from '../dom.ts';
import { ago, count, percent, rate, seconds } from '../format.ts';
import { Poller } from '../poll.ts';
import type { PageFactory } from '../router.ts';
import { ratesBy } from '../series.ts';
import { TailPane } from '../tail/pane.ts';
import { PodColors } from '../tail/row-render.ts';
import type { ErrorGroupView, FunctionDetail, PodView, SeriesResult } from '../wire.ts';

const RANGES: Array<{ id: string; label: string; since: string; step: string; seconds: number }> = [
  { id: '5m', label: '5 min', since: '5m', step: '5s', seconds: 300 },
  { id: '15m', label: '15 min', since: '15m', step: '15s', seconds: 900 },
  { id: '1h', label: '1 hour', since: '1h', step: '30s', seconds: 3600 },
  { id: '2h', label: '2 hours', since: '2h', step: '60s', seconds: 7200 },
];

function stat(label: string, value: string, tone?: 'bad' | 'warn' | 'wide'): HTMLElement {
  return h('div', { class: `stat${tone ? ` ${tone}` : ''}` }, h('span', { class: 'label' }, label), h('span', { class: 'value' }, value));
}

/** One function: its numbers, charts, pods, errors, live logs and an Invoke form. */
export const functionPage: PageFactory = (ctx, [ns = '', name = ''], query) => {
  const { api, theme } = ctx;
  let range = RANGES.find((r) => r.id === query.get('range')) ?? RANGES[1]!;
  const colors = new PodColors();
  const title = h('h1', {}, name);
  const subtitle = h('p', { class: 'subtitle' }, `namespace ${ns}`);
  const stats = h('div', { class: 'stats', role: 'group', 'aria-label': 'Current numbers (last minute)' });
  const failure = h('div');

  const calls = new TimeChart({ title: 'Calls per second by method', format: rate, series: [{ label: 'all', color: '--chart-1' }], theme, height: 190 });
  const errors = new TimeChart({
    title: 'Errors and timeouts per second',
    format: rate,
    series: [
      { label: 'errors', color: '--bad' },
      { label: 'timeouts (408)', color: '--warn' },
      { label: 'exceptions', color: '--chart-5', dash: [4, 3] },
    ],
    theme,
    height: 190,
  });
  const latency = new TimeChart({
    title: 'Latency',
    format: seconds,
    series: [
      { label: 'p50', color: '--chart-2' },
      { label: 'p95', color: '--chart-3' },
      { label: 'p99', color: '--chart-4' },
    ],
    theme,
    height: 190,
  });

  const rangeButtons = RANGES.map((r) =>
    h('button', { type: 'button', class: 'btn seg', 'aria-pressed': String(r === range), onclick: () => setRange(r) }, r.label),
  );
  const setRange = (r: (typeof RANGES)[number]): void => {
    range = r;
    rangeButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(RANGES[i] === r)));
    const q = new URLSearchParams(query);
    q.set('range', r.id);
    ctx.setQuery(q);
    poller.now();
  };

  const pods = new SortTable<PodView>({
    caption: 'Pods',
    keyOf: (p) => p.name,
    sort: { key: 'name', dir: 'asc' },
    empty: 'No pods.',
    rowClass: (p) => (p.up === false ? 'attention bad' : !p.ready ? 'attention' : ''),
    columns: [
      { key: 'name', label: 'Pod', sort: (p) => p.name, cell: (p) => h('span', { class: 'podname' }, h('span', { class: `swatch pc${colors.of(p.name)}`, 'aria-hidden': 'true' }), p.name) },
      { key: 'state', label: 'State', sort: (p) => `${p.phase}${p.ready}`, cell: (p) => [badge(p.phase, p.phase === 'Running' ? 'ok' : 'warn'), p.ready ? null : badge('not ready', 'warn')] },
      { key: 'up', label: 'Scrape', sort: (p) => String(p.up), cell: (p) => (p.up === null ? badge('–', 'muted') : badge(p.up ? 'UP' : 'DOWN', p.up ? 'ok' : 'bad')) },
      { key: 'restarts', label: 'Restarts', numeric: true, sort: (p) => p.restarts, cell: (p) => String(p.restarts) },
      { key: 'calls', label: 'Calls/s', numeric: true, sort: (p) => p.rates.callsPerSecond, cell: (p) => rate(p.rates.callsPerSecond) },
      { key: 'errors', label: 'Errors', numeric: true, sort: (p) => p.rates.errorRatio, cell: (p) => percent(p.rates.errorRatio) },
      { key: 'p95', label: 'p95', numeric: true, sort: (p) => p.rates.p95, cell: (p) => seconds(p.rates.p95) },
      { key: 'node', label: 'Node', sort: (p) => p.node, cell: (p) => p.node || '–' },
    ],
  });

  const groupsBox = h('div', {}, notice('Loading…'));
  const renderGroups = (groups: ErrorGroupView[]): void => {
    if (groups.length === 0) {
      replace(groupsBox, notice('No exceptions seen from this function.', 'empty'));
      return;
    }
    replace(
      groupsBox,
      h(
        'ul',
        { class: 'group-list' },
        groups.map((g) =>
          h(
            'li',
            {},
            statusBadge(g.status),
            ' ',
            link(`/errors/${seg(g.id)}`, h('strong', {}, g.type), g.message ? `: ${g.message}` : ''),
            h('span', { class: 'meta' }, ` ${count(g.count)}× · last ${ago(g.lastSeen)} · ${Object.keys(g.pods).length} pod${Object.keys(g.pods).length === 1 ? '' : 's'}`),
          ),
        ),
      ),
    );
  };

  const updateCharts = (d: FunctionDetail, series: SeriesResult[] | undefined): void => {
    const pts = d.history.points;
    const xs = pts.map((p) => p.t);
    const byMethod = series && series.length > 0 ? ratesBy(series, 'method', xs, d.history.window / 1000) : undefined;
    if (byMethod && byMethod.size > 0) {
      const methods = [...byMethod.keys()].sort();
      const specs: SeriesSpec[] = methods.map((m, i) => ({ label: m || 'other', color: paletteColor(i) }));
      calls.setData([xs, ...methods.map((m) => byMethod.get(m)!)], specs);
    } else {
      calls.setData([xs, pts.map((p) => p.callsPerSecond)], [{ label: 'all methods', color: '--chart-1' }]);
    }
    errors.setData([xs, pts.map((p) => p.errorsPerSecond), pts.map((p) => p.timeoutsPerSecond), pts.map((p) => p.exceptionsPerSecond)]);
    latency.setData([xs, pts.map((p) => p.p50), pts.map((p) => p.p95), pts.map((p) => p.p99)]);
  };

  const renderHead = (d: FunctionDetail): void => {
    replace(
      subtitle,
      `namespace ${d.namespace} · ${d.runtime || 'unknown runtime'} · handler ${d.handler || '–'} · timeout ${d.timeoutSeconds ?? '–'} s`,
      d.hasFunctionObject ? '' : ' · no Function object',
    );
    const r = d.rates;
    replace(
      stats,
      stat('Calls/s', rate(r.callsPerSecond)),
      stat('Errors', percent(r.errorRatio), (r.errorRatio ?? 0) >= 0.05 ? 'bad' : (r.errorRatio ?? 0) > 0 ? 'warn' : undefined),
      stat('Timeouts/s', rate(r.timeoutsPerSecond), r.timeoutsPerSecond > 0 ? 'warn' : undefined),
      stat('Exceptions/s', rate(r.exceptionsPerSecond), r.exceptionsPerSecond > 0 ? 'warn' : undefined),
      stat('Latency p50 / p95 / p99', `${seconds(r.p50)} / ${seconds(r.p95)} / ${seconds(r.p99)}`, 'wide'),
      stat('Pods ready', `${d.pods.ready}/${d.pods.total}`, d.pods.ready < d.pods.total ? 'warn' : undefined),
      stat('Restarts', String(d.pods.restarts), d.pods.restarts > 0 ? 'warn' : undefined),
      stat('Targets up', `${d.targets.up}/${d.targets.total}`, d.targets.up < d.targets.total ? 'bad' : undefined),
    );
  };

  const matcher = `function_calls_total{namespace="${ns.replace(/["\\]/g, '\\$&')}",function="${name.replace(/["\\]/g, '\\$&')}"}`;
  const poller = new Poller(async (signal) => {
    try {
      const now = Date.now() / 1000;
      const [d, series, groups] = await Promise.all([
        api.get<FunctionDetail>(`/api/v1/functions/${seg(ns)}/${seg(name)}`, { since: range.since, step: range.step, window: '1m' }, signal),
        api.get<SeriesResult[]>('/api/v1/series', { 'match[]': matcher, start: (now - range.seconds - 60).toFixed(0), end: now.toFixed(0) }, signal).catch(() => undefined),
        api.get<ErrorGroupView[]>('/api/v1/errors', { namespace: ns, function: name, limit: 50 }, signal).catch(() => undefined),
      ]);
      replace(failure);
      renderHead(d);
      pods.update(d.podList);
      updateCharts(d, series);
      if (groups) renderGroups(groups);
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      replace(failure, notice(e instanceof ApiFailure && e.status === 404 ? `Function ${ns}/${name} is not (or no longer) known to the collector.` : `Could not load ${name}: ${(e as Error).message}`, 'error'));
    }
  }, 5000).start();

  const tail = new TailPane({ api, namespace: ns, function: name, colors, initial: query, height: 420, onFilterChange: (q) => {
    q.set('range', range.id);
    ctx.setQuery(q);
  } });
  const invoke = new InvokeForm(api, ns, name, () => poller.now());

  const el = h(
    'div',
    { class: 'page function' },
    h('p', { class: 'crumbs' }, link('/functions', 'Functions'), ' / ', ns, ' / ', name),
    h('div', { class: 'page-head' }, title, h('nav', { class: 'jump', 'aria-label': 'On this page' }, ['errors', 'charts', 'logs', 'invoke', 'pods'].map((id) => h('a', { href: `#/functions/${seg(ns)}/${seg(name)}`, 'data-target': id, onclick: (e: Event) => {
      e.preventDefault();
      const t = document.getElementById(id);
      t?.scrollIntoView({ block: 'start' });
      t?.querySelector<HTMLElement>('h2')?.focus();
    } }, id === 'invoke' ? 'Invoke' : id[0]!.toUpperCase() + id.slice(1))))),
    subtitle,
    failure,
    stats,
    h('div', { class: 'cols two-three' }, section('Error groups', 'errors', groupsBox), section('Pods', 'pods', pods.el)),
    section('Charts', 'charts', h('div', { class: 'range', role: 'group', 'aria-label': 'Time range' }, rangeButtons), h('div', { class: 'charts' }, calls.el, errors.el, latency.el)),
    section('Live logs', 'logs', tail.el),
    section('Invoke', 'invoke', invoke.el),
  );
  for (const h2 of el.querySelectorAll('h2')) h2.tabIndex = -1;
  return {
    el,
    title: name,
    destroy: () => {
      poller.stop();
      tail.destroy();
      invoke.destroy();
      calls.destroy();
      errors.destroy();
      latency.destroy();
    },
  };
};
