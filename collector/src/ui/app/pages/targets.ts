import { badge, healthBadge } from '../components/badges.ts';
import { h, link, notice, replace, section, seg } from '../dom.ts';
import { ago, dateTime, seconds } from '../format.ts';
import { Poller } from '../poll.ts';
import type { PageFactory } from '../router.ts';
import type { DiscoveryView, TargetView, TargetsView } from '../wire.ts';

const HIDDEN_LABELS = new Set(['namespace', 'function']);

function labelChips(labels: Record<string, string>): HTMLElement {
  return h(
    'span',
    { class: 'labels' },
    Object.entries(labels)
      .filter(([k]) => !HIDDEN_LABELS.has(k))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => h('span', { class: 'chip' }, `${k}="${v}"`)),
  );
}

function discoveryTable(ds: DiscoveryView[]): HTMLElement {
  if (ds.length === 0) return notice('No discovery provider is configured.', 'empty');
  return h(
    'table',
    { class: 'grid' },
    h('caption', { class: 'sr-only' }, 'Discovery providers'),
    h('thead', {}, h('tr', {}, ['Provider', 'State', 'Last sync', 'Restarts', 'Last error'].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ds.map((d) =>
        h(
          'tr',
          { class: d.synced && !d.lastError ? null : 'attention' },
          h('td', {}, d.name),
          h('td', {}, badge(d.synced ? 'synced' : 'not synced', d.synced ? 'ok' : 'bad')),
          h('td', {}, d.lastSync ? h('time', { datetime: d.lastSync, title: dateTime(Date.parse(d.lastSync)) }, ago(d.lastSync)) : 'never'),
          h('td', { class: 'num' }, String(d.restarts)),
          h('td', { class: d.lastError ? 'bad-text' : 'muted' }, d.lastError || 'none'),
        ),
      ),
    ),
  );
}

function targetGroup(key: string, ts: TargetView[], open: boolean): HTMLElement {
  const up = ts.filter((t) => t.health === 'up').length;
  const [ns, fn] = key.split('/');
  return h(
    'details',
    { class: `target-group${up < ts.length ? ' attention bad' : ''}`, open },
    h('summary', {}, h('strong', {}, key), ' ', badge(`${up}/${ts.length} up`, up === ts.length ? 'ok' : 'bad')),
    fn ? h('p', { class: 'hint' }, link(`/functions/${seg(ns ?? '')}/${seg(fn)}`, `Open ${fn}`)) : null,
    h(
      'table',
      { class: 'grid' },
      h('caption', { class: 'sr-only' }, `Targets of ${key}`),
      h('thead', {}, h('tr', {}, ['Endpoint', 'State', 'Labels', 'Last scrape', 'Duration', 'Samples', 'Bad lines', 'Error'].map((c, i) => h('th', { scope: 'col', class: i >= 4 && i <= 6 ? 'num' : null }, c)))),
      h(
        'tbody',
        {},
        ts.map((t) =>
          h(
            'tr',
            { class: t.health === 'down' ? 'attention bad' : null },
            h('td', {}, h('code', {}, t.scrapeUrl)),
            h('td', {}, healthBadge(t.health)),
            h('td', {}, labelChips(t.labels)),
            h('td', {}, t.lastScrape ? h('time', { datetime: t.lastScrape, title: dateTime(Date.parse(t.lastScrape)) }, ago(t.lastScrape)) : 'never'),
            h('td', { class: 'num' }, seconds(t.lastScrapeDurationSeconds)),
            h('td', { class: 'num' }, t.samples === null ? '–' : String(t.samples)),
            h('td', { class: `num${t.badLines > 0 ? ' warn-text' : ''}` }, String(t.badLines)),
            h('td', { class: t.lastError ? 'bad-text err' : 'muted' }, t.lastError || ''),
          ),
        ),
      ),
    ),
  );
}

/** Scrape health per function, like Prometheus's targets page, and the state of discovery. */
export const targetsPage: PageFactory = (ctx, _params, query) => {
  const { api } = ctx;
  const unhealthy = h('input', { type: 'checkbox', id: 'tg-unhealthy', checked: query.get('unhealthy') === 'true' });
  const text = h('input', { type: 'search', id: 'tg-q', value: query.get('q') ?? '', placeholder: 'function, pod or URL', autocomplete: 'off' });
  const summary = h('p', { class: 'summary', role: 'status' });
  const discovery = h('div', {}, notice('Loading…'));
  const groups = h('div', { class: 'target-groups' });
  const failure = h('div');
  const openState = new Map<string, boolean>();
  let data: TargetsView | undefined;

  const render = (): void => {
    if (!data) return;
    replace(discovery, discoveryTable(data.discovery));
    const q = text.value.trim().toLowerCase();
    const byFn = new Map<string, TargetView[]>();
    for (const t of data.activeTargets) {
      if (unhealthy.checked && t.health === 'up') continue;
      if (q && !`${t.scrapeUrl} ${Object.values(t.labels).join(' ')}`.toLowerCase().includes(q)) continue;
      const k = `${t.labels['namespace'] ?? ''}/${t.labels['function'] ?? t.scrapeUrl}`;
      const list = byFn.get(k) ?? [];
      list.push(t);
      byFn.set(k, list);
    }
    const keys = [...byFn.keys()].sort();
    const down = data.activeTargets.filter((t) => t.health === 'down').length;
    summary.textContent = `${data.activeTargets.length} target${data.activeTargets.length === 1 ? '' : 's'} · ${down} down · ${keys.length} function${keys.length === 1 ? '' : 's'} shown`;
    // Keep what the reader opened or closed; groups with a target down start open.
    for (const d of groups.querySelectorAll<HTMLDetailsElement>('details')) openState.set(d.dataset['key'] ?? '', d.open);
    replace(
      groups,
      keys.length === 0 ? notice(data.activeTargets.length ? 'No target matches.' : 'No targets discovered yet.', 'empty') : null,
      keys.map((k) => {
        const ts = byFn.get(k)!;
        const el = targetGroup(k, ts, openState.get(k) ?? true);
        el.dataset['key'] = k;
        return el;
      }),
    );
  };
  const save = (): void => {
    const q = new URLSearchParams();
    if (unhealthy.checked) q.set('unhealthy', 'true');
    if (text.value) q.set('q', text.value);
    ctx.setQuery(q);
    render();
  };
  unhealthy.addEventListener('change', save);
  text.addEventListener('input', save);

  const poller = new Poller(async (signal) => {
    try {
      data = await api.get<TargetsView>('/api/v1/targets', {}, signal);
      replace(failure);
      render();
    } catch (e) {
      if ((e as Error).name === 'AbortError') throw e;
      replace(failure, notice(`Could not load targets: ${(e as Error).message}`, 'error'));
    }
  }, 3000).start();

  const el = h(
    'div',
    { class: 'page targets' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Targets')),
    summary,
    failure,
    section('Discovery', 'discovery', discovery),
    section(
      'Scrape targets',
      'scrape',
      h(
        'form',
        { class: 'toolbar', role: 'search', 'aria-label': 'Filter targets', onsubmit: (e: Event) => e.preventDefault() },
        h('label', { for: 'tg-q' }, 'Filter'),
        text,
        h('label', { class: 'check' }, unhealthy, ' Unhealthy only'),
      ),
      groups,
    ),
  );
  return { el, title: 'Targets', destroy: () => poller.stop() };
};
