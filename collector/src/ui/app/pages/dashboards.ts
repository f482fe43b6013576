import { badge } from '../components/badges.ts';
import { h, notice, replace, section } from '../dom.ts';
import { bytes } from '../format.ts';
import { asRecord, normalizeGenerated, type GeneratedView } from '../generated.ts';
import type { PageFactory } from '../router.ts';

function fileCard(f: GeneratedView): HTMLElement {
  const pre = h('pre', { class: 'raw file', tabindex: 0, 'aria-label': `Contents of ${f.name}` }, f.content);
  const type = f.name.endsWith('.json') ? 'application/json' : 'application/yaml';
  const download = h('a', { class: 'btn', download: f.name.split('/').pop() ?? f.name, href: '#' }, 'Download');
  download.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([f.content], { type }));
    download.href = url;
    window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
  });
  return h(
    'details',
    { class: 'file-card' },
    h('summary', {}, h('strong', {}, f.title), ' ', h('code', {}, f.name), f.fn ? [' ', badge(f.fn, 'info')] : null, h('span', { class: 'meta' }, ` ${bytes(new Blob([f.content]).size)}`)),
    h('div', { class: 'file-actions' }, download),
    pre,
  );
}

async function load(ctx: Parameters<PageFactory>[0], path: string, ext: string, box: HTMLElement, what: string, command: string): Promise<void> {
  try {
    const r = await ctx.api.raw(path);
    if (r.status === 404) {
      replace(box, h('p', { class: 'notice empty' }, `Not available: this collector does not serve ${what} (GET ${path} answered 404). Generate them with `, h('code', {}, command), '.'));
      return;
    }
    let data: unknown = r.text;
    if (r.contentType.includes('json')) {
      const env = asRecord(JSON.parse(r.text));
      if (env?.['status'] === 'error') {
        replace(box, notice(`Could not load ${what}: ${String(env['error'])}`, 'error'));
        return;
      }
      data = env && 'data' in env ? env['data'] : env;
    } else if (r.status >= 400) {
      replace(box, notice(`Could not load ${what}: HTTP ${r.status}`, 'error'));
      return;
    }
    const files = normalizeGenerated(data, ext);
    replace(box, files.length === 0 ? notice(`No ${what} generated yet.`, 'empty') : h('div', { class: 'files' }, files.map(fileCard)));
  } catch (e) {
    replace(box, notice(`Could not load ${what}: ${(e as Error).message}`, 'error'));
  }
}

/** What `fnscope dashboards` and `fnscope alerts` generate for the functions seen now, to view and download. */
export const dashboardsPage: PageFactory = (ctx) => {
  const dashboards = h('div', {}, notice('Loading…'));
  const rules = h('div', {}, notice('Loading…'));
  void load(ctx, '/api/v1/dashboards', 'json', dashboards, 'Grafana dashboards', 'fnscope dashboards --out DIR');
  void load(ctx, '/api/v1/rules', 'yaml', rules, 'Prometheus rules', 'fnscope alerts --out DIR');
  const el = h(
    'div',
    { class: 'page dashboards' },
    h('div', { class: 'page-head' }, h('h1', {}, 'Dashboards & alerts')),
    h('p', { class: 'lede' }, 'Grafana dashboards and Prometheus recording and alerting rules for the functions the collector sees now: the same files fnscope dashboards and fnscope alerts write. Import a dashboard in Grafana (Dashboards → New → Import); load the rules into Prometheus (rule_files) after promtool check rules.'),
    section('Grafana dashboards', 'dash', dashboards),
    section('Prometheus rules', 'rules', rules),
  );
  return { el, title: 'Dashboards & alerts' };
};
