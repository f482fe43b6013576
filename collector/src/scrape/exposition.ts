import { escapeLabelValue } from './parse/index.ts';
import type { ScrapeLoop } from './loop.ts';

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/**
 * The latest value of every function series the collector scraped, with the labels it added, in
 * Prometheus text format (untyped, no timestamps): served on /metrics so one Prometheus job covers
 * every function. Series of one name are kept together, as the format requires.
 */
export function renderScraped(loops: Iterable<ScrapeLoop>): string {
  const byName = new Map<string, string[]>();
  const add = (name: string, line: string): void => {
    let lines = byName.get(name);
    if (!lines) byName.set(name, (lines = []));
    lines.push(line);
  };
  for (const loop of loops) {
    // The per-target scrape series, as Prometheus would write them for its own targets.
    const r = loop.report();
    if (r.lastScrape !== null) {
      const tl = loop.target.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
      add('up', `up{${tl}} ${r.health === 'up' ? 1 : 0}`);
      add('scrape_duration_seconds', `scrape_duration_seconds{${tl}} ${formatValue((r.lastDurationMs ?? 0) / 1000)}`);
      add('scrape_samples_scraped', `scrape_samples_scraped{${tl}} ${r.samples ?? 0}`);
      add('scrape_series_added', `scrape_series_added{${tl}} ${r.seriesAdded}`);
    }
    for (const s of loop.series()) {
      const l = s.ref.labels;
      let name = '';
      let body = '';
      for (let i = 0; i < l.length; i += 2) {
        if (l[i] === '__name__') {
          name = l[i + 1]!;
          continue;
        }
        body += `${body === '' ? '' : ','}${l[i]}="${escapeLabelValue(l[i + 1]!)}"`;
      }
      add(name, `${name}{${body}} ${formatValue(s.v)}`);
    }
  }
  let out = '';
  for (const lines of byName.values()) out += lines.join('\n') + '\n';
  return out;
}
