import { ApiFailure } from '../api.ts';
import { statusBadge } from '../components/badges.ts';
import { TimeChart } from '../components/chart.ts';
import { exceptionBlock } from '../components/exception.ts';
import { h, link, notice, replace, section, seg } from '../dom.ts';
import { ago, count, dateTime } from '../format.ts';
import { Poller } from '../poll.ts';
import { minuteGrid } from '../series.ts';
import type { PageFactory } from '../router.ts';
import type { ErrorGroupView, ErrorSample, ExceptionRecord, TailRecord } from '../wire.ts';

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function spreadTable(caption: string, entries: Array<[string, number]>, cell: (k: string) => Node | string): HTMLElement {
  const sorted = [...entries].sort((a, b) => b[1] - a[1]);
  return h(
    'table',
    { class: 'grid compact' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, caption), h('th', { scope: 'col', class: 'num' }, 'Occurrences'))),
    h('tbody', {}, sorted.map(([k, n]) => h('tr', {}, h('td', {}, cell(k)), h('td', { class: 'num' }, count(n))))),
  );
}

/** One error group: its trace, how often and where it happens, and its recent occurrences. */
export const errorGroupPage: PageFactory = (ctx, [id = ''], _query) => {
  const { api, theme } = ctx;
  const title = h('h1', {}, 'Error group');
  const head = h('div', { class: 'group-head' });
  const failure = h('div');
  const chart = new TimeChart({ title: 'Occurrences per minute, last hour', format: (v) => (Number.isInteger(v) ? String(v) : ''), series: [{ label: 'occurrences', color: '--bad' }], theme, bars: true, height: 160 });
  const spread = h('div', { class: 'cols' });
  const sampleList = h('ol', { class: 'samples', 'aria-label': 'Samples' });
  const sampleView = h('div', { class: 'sample-view' });
  const occurrences = h('div', {}, notice('Loading…'));
  let selectedSeq: number | undefined;
  let group: ErrorGroupView | undefined;

  const showSample = (s: ErrorSample, g: ErrorGroupView): void => {
    selectedSeq = s.seq;
    for (const b of sampleList.querySelectorAll('button')) b.setAttribute('aria-pressed', String(b.dataset['seq'] === String(s.seq)));
    replace(
      sampleView,
      exceptionBlock({ ...s, type: g.type, language: g.language }, [link(`/functions/${seg(s.namespace)}/${seg(s.function)}`, `${s.namespace}/${s.function}`), s.pod, dateTime(s.time)], true),
    );
  };

  const render = (g: ErrorGroupView): void => {
    title.replaceChildren(h('span', { class: 'etype' }, g.type), g.message ? `: ${g.message}` : '');
    replace(
      head,
      statusBadge(g.status),
      ` ${g.language} · ${count(g.count)} occurrence${g.count === 1 ? '' : 's'} · ${(g.ratePerSecond * 60).toFixed(1)}/min over the last 5 min · first seen ${dateTime(g.firstSeen)} (${ago(g.firstSeen)}) · last seen ${ago(g.lastSeen)}`,
      g.regressedAt ? ` · regressed ${ago(g.regressedAt)}` : '',
    );
    const { xs, ys } = minuteGrid(g.minutes, Date.now());
    chart.setData([xs, ys]);
    replace(
      spread,
      h('div', {}, h('h3', {}, 'Functions'), spreadTable('Function', Object.entries(g.functions), (k) => {
        const [ns, fn] = k.split('/');
        return fn ? link(`/functions/${seg(ns ?? '')}/${seg(fn)}`, k) : k;
      })),
      h('div', {}, h('h3', {}, 'Pods'), spreadTable('Pod', Object.entries(g.pods), (k) => k)),
    );
    const samples = [...(g.samples ?? [])].sort((a, b) => b.time - a.time);
    replace(
      sampleList,
      samples.map((s) =>
        h('li', {}, h('button', { type: 'button', class: 'btn ghost', 'data-seq': String(s.seq), 'aria-pressed': 'false', onclick: () => showSample(s, g) }, `${dateTime(s.time)} · ${s.pod}`)),
      ),
    );
    const pick = samples.find((s) => s.seq === selectedSeq) ?? samples[0];
    if (pick) showSample(pick, g);
    else replace(sampleView, notice('No sample kept.', 'empty'));
  };

  const renderOccurrences = (recs: ExceptionRecord[], g: ErrorGroupView): void => {
    if (recs.length === 0) {
      replace(occurrences, notice('No occurrence in the collector’s recent log buffer (the samples above are kept with the group).', 'empty'));
      return;
    }
    replace(
      occurrences,
      h(
        'table',
        { class: 'grid compact' },
        h('caption', { class: 'sr-only' }, 'Recent occurrences'),
        h('thead', {}, h('tr', {}, ['Time', 'Function', 'Pod', 'Message'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          recs
            .slice(-100)
            .reverse()
            .map((r) => h('tr', {}, h('td', {}, dateTime(r.time)), h('td', {}, link(`/functions/${seg(r.namespace)}/${seg(r.function)}`, r.function)), h('td', {}, r.pod), h('td', {}, r.message || g.message))),
        ),
      ),
    );
  };

  const poller = new Poller(async (signal) => {
    try {
      const g = await api.get<ErrorGroupView>(`/api/v1/errors/${seg(id)}`, {}, signal);
      group = g;
      replace(failure);
      render(g);
      const fns = Object.keys(g.functions);
      const only = fns.length === 1 ? fns[0]!.split('/') : undefined;
      const recs = await api.get<TailRecord[]>('/api/v1/logs', { errors: 'true', include: escapeRe(g.type), since: '1h', limit: 5000, namespace: only?.[0], function: only?.[1] }, signal);
      renderOccurrences(recs.filter((r): r is ExceptionRecord => r.kind === 'exception' && r.fingerprint === g.id), g);
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      if (!group) replace(failure, notice(e instanceof ApiFailure && e.status === 404 ? `No error group ${id}.` : `Could not load the error group: ${(e as Error).message}`, 'error'));
    }
  }, 5000).start();

  const el = h(
    'div',
    { class: 'page error-group' },
    h('p', { class: 'crumbs' }, link('/errors', 'Errors'), ' / ', id),
    h('div', { class: 'page-head' }, title),
    head,
    failure,
    section('Sample trace', 'sample', h('div', { class: 'sample-layout' }, sampleList, sampleView)),
    section('Over time', 'chart', chart.el),
    section('Where', 'spread', spread),
    section('Recent occurrences', 'occurrences', occurrences),
  );
  return {
    el,
    title: 'Error group',
    destroy: () => {
      poller.stop();
      chart.destroy();
    },
  };
};
