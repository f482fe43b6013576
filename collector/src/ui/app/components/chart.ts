import uPlot from 'uplot';
import { h } from '../dom.ts';
import type { Theme } from '../theme.ts';

export interface SeriesSpec {
  label: string;
  /** A CSS custom property holding the colour, e.g. "--chart-1". */
  color: string;
  dash?: number[];
  fill?: boolean;
}

export interface TimeChartOptions {
  title: string;
  /** Formats values for the axis, legend and summary. */
  format: (v: number) => string;
  series: SeriesSpec[];
  theme: Theme;
  height?: number;
  /** Bars instead of lines (counts per interval). */
  bars?: boolean;
  /** Shown in place of the plot while there is no data. */
  emptyText?: string;
}

export type ChartData = [number[], ...Array<Array<number | null>>];

const PALETTE = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6'];
export function paletteColor(i: number): string {
  return PALETTE[i % PALETTE.length] ?? '--chart-1';
}

/**
 * A time-series chart (uPlot) in a labelled figure that follows its container's width and the
 * colour theme. The canvas is hidden from assistive technology; a text summary stands in for it.
 */
export class TimeChart {
  readonly el: HTMLElement;
  readonly #o: TimeChartOptions;
  readonly #plotEl: HTMLElement;
  readonly #summary: HTMLElement;
  readonly #empty: HTMLElement;
  #series: SeriesSpec[];
  #data: ChartData = [[]];
  #plot: uPlot | undefined;
  #width = 0;
  readonly #resize: ResizeObserver;
  readonly #unTheme: () => void;

  constructor(o: TimeChartOptions) {
    this.#o = o;
    this.#series = o.series;
    this.#plotEl = h('div', { class: 'plot', 'aria-hidden': 'true' });
    this.#summary = h('p', { class: 'sr-only' });
    this.#empty = h('p', { class: 'chart-empty', hidden: true }, o.emptyText ?? 'No data in this range yet.');
    this.el = h('figure', { class: 'chart' }, h('figcaption', {}, o.title), this.#plotEl, this.#empty, this.#summary);
    this.#resize = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0 && w !== this.#width) {
        this.#width = w;
        if (this.#plot) this.#plot.setSize({ width: w, height: this.#height() });
        else this.#build();
      }
    });
    this.#resize.observe(this.#plotEl);
    this.#unTheme = o.theme.onChange(() => this.#build());
  }

  #height(): number {
    return this.#o.height ?? 200;
  }

  /** New data; `series` when the set of lines changes (e.g. a new HTTP method appeared). */
  setData(data: ChartData, series?: SeriesSpec[]): void {
    this.#data = data;
    const changed = series !== undefined && (series.length !== this.#series.length || series.some((s, i) => s.label !== this.#series[i]?.label));
    if (series) this.#series = series;
    const hasData = data[0].length > 0 && data.slice(1).some((ys) => ys.some((v) => v !== null));
    this.#empty.hidden = hasData;
    this.#summary.textContent = this.#describe();
    if (changed || !this.#plot) this.#build();
    else this.#plot.setData(data);
  }

  #describe(): string {
    const parts = this.#series.map((s, i) => {
      const ys = (this.#data[i + 1] ?? []).filter((v): v is number => v !== null);
      if (ys.length === 0) return `${s.label}: no data`;
      return `${s.label}: latest ${this.#o.format(ys[ys.length - 1]!)}, peak ${this.#o.format(Math.max(...ys))}`;
    });
    return `${this.#o.title}. ${parts.join('; ')}.`;
  }

  #build(): void {
    if (this.#width <= 0) return;
    this.#plot?.destroy();
    const t = this.#o.theme;
    const text = t.color('--muted');
    const grid = t.color('--grid');
    const fmt = this.#o.format;
    const bars = this.#o.bars ? uPlot.paths.bars?.({ size: [0.7, 40] }) : undefined;
    const opts: uPlot.Options = {
      width: this.#width,
      height: this.#height(),
      padding: [8, 20, 0, 0],
      cursor: { drag: { x: false, y: false }, points: { size: 6 } },
      legend: { show: true, live: true },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
      axes: [
        { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 }, font: '11px system-ui, sans-serif' },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid, width: 1 },
          size: 64,
          font: '11px system-ui, sans-serif',
          values: (_u, vals) => vals.map((v) => fmt(v)),
        },
      ],
      series: [
        { value: (_u, v) => (v === null ? '–' : new Date(v * 1000).toLocaleTimeString()) },
        ...this.#series.map((s) => {
          const c = t.color(s.color);
          return {
            label: s.label,
            stroke: c,
            width: this.#o.bars ? 0 : 1.75,
            ...(s.dash ? { dash: s.dash } : {}),
            ...(s.fill || this.#o.bars ? { fill: `${c}${this.#o.bars ? 'cc' : '22'}` } : {}),
            ...(bars ? { paths: bars, points: { show: false } } : {}),
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : fmt(v)),
          };
        }),
      ],
    };
    this.#plot = new uPlot(opts, this.#data, this.#plotEl);
  }

  destroy(): void {
    this.#resize.disconnect();
    this.#unTheme();
    this.#plot?.destroy();
    this.#plot = undefined;
  }
}

/** Tiny lines without axes for table rows (e.g. calls/s and errors/s). */
export class Sparkline {
  readonly el: HTMLElement;
  readonly #theme: Theme;
  readonly #colors: string[];
  #plot: uPlot | undefined;
  #data: uPlot.AlignedData;
  readonly #unTheme: () => void;

  constructor(theme: Theme, colors: string[], label: string) {
    this.#theme = theme;
    this.#colors = colors;
    this.#data = [[], ...colors.map(() => [])];
    this.el = h('span', { class: 'spark', role: 'img', 'aria-label': label });
    this.#unTheme = theme.onChange(() => this.#build());
  }

  setData(xs: number[], ys: Array<Array<number | null>>, summary: string): void {
    this.#data = [xs, ...ys];
    this.el.setAttribute('aria-label', summary);
    if (this.#plot) this.#plot.setData(this.#data);
    else this.#build();
  }

  #build(): void {
    this.#plot?.destroy();
    const series: uPlot.Series[] = [{}];
    for (const name of this.#colors) {
      const c = this.#theme.color(name);
      series.push({ stroke: c, width: 1.5, fill: `${c}26`, points: { show: false } });
    }
    this.#plot = new uPlot(
      {
        width: 120,
        height: 28,
        padding: [3, 1, 3, 1],
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
        axes: [{ show: false }, { show: false }],
        series,
      },
      this.#data,
      this.el,
    );
  }

  destroy(): void {
    this.#unTheme();
    this.#plot?.destroy();
    this.#plot = undefined;
  }
}
