/**
 * Type-checks generated dashboards against Grafana's published schema types (@grafana/schema) with the
 * real TypeScript compiler: each dashboard, and each panel's options, field config and queries, become
 * object literals assigned to the schema's types in a throw-away TypeScript file.
 *
 * The schema declares some fields as TypeScript enums, which no JSON value can satisfy nominally, so
 * the check compares against `Literal<T>`: the same type with every enum replaced by the union of its
 * values. Everything else (property names, required properties, value types, excess properties) is
 * checked as declared.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { tempFiles } from '../promtool.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PANELCFG = '@grafana/schema/dist/esm/raw/composable';

const PRELUDE = `
import type { AnnotationQuery, Dashboard, DataQuery } from '@grafana/schema';
import type { Options as TimeSeriesOptions, FieldConfig as TimeSeriesFieldConfig } from '${PANELCFG}/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';
import type { Options as StatOptions } from '${PANELCFG}/stat/panelcfg/x/StatPanelCfg_types.gen';
import type { Options as BarGaugeOptions } from '${PANELCFG}/bargauge/panelcfg/x/BarGaugePanelCfg_types.gen';
import type { Options as TableOptions, FieldConfig as TableFieldConfig } from '${PANELCFG}/table/panelcfg/x/TablePanelCfg_types.gen';

type Literal<T> = 0 extends 1 & T
  ? T
  : T extends (...args: never[]) => unknown
    ? never
    : T extends string
      ? \`\${T}\`
      : T extends number | boolean | null | undefined
        ? T
        : T extends ReadonlyArray<infer E>
          ? Array<Literal<E>>
          : T extends object
            ? { [K in keyof T]: Literal<T[K]> }
            : T;

/** A Prometheus query as Grafana saves it: the common DataQuery (refId required) plus PromQL fields. */
type PromQuery = DataQuery & {
  expr: string;
  legendFormat?: string;
  instant?: boolean;
  range?: boolean;
  format?: 'time_series' | 'table' | 'heatmap';
  interval?: string;
};

/**
 * The schema types annotation queries with the base DataQuery; a Prometheus annotation carries a
 * PromQuery target, and Grafana's Prometheus annotation support reads these formats beside it.
 */
type PromAnnotation = Literal<AnnotationQuery<PromQuery>> & {
  titleFormat?: string;
  textFormat?: string;
  tagKeys?: string;
  useValueForTime?: boolean;
};
`;

const OPTIONS: Record<string, string> = {
  timeseries: 'TimeSeriesOptions',
  stat: 'StatOptions',
  bargauge: 'BarGaugeOptions',
  table: 'TableOptions',
};
const CUSTOM: Record<string, string> = { timeseries: 'TimeSeriesFieldConfig', table: 'TableFieldConfig' };

function js(v: unknown): string {
  return JSON.stringify(v, null, 2);
}

/** The TypeScript source that assigns the dashboards' parts to the schema types. */
export function schemaCheckSource(dashboards: readonly Dashboard[]): string {
  let out = PRELUDE;
  dashboards.forEach((d, i) => {
    const { annotations, ...rest } = d;
    out += `\nexport const dashboard${i}: Literal<Omit<Dashboard, 'annotations'>> = ${js(rest)};\n`;
    out += `export const dashboard${i}Annotations: { list: PromAnnotation[] } = ${js(annotations)};\n`;
    const panels: Array<Panel | RowPanel> = [];
    for (const p of d.panels ?? []) panels.push(p, ...(p.type === 'row' ? (p as RowPanel).panels : []));
    panels.forEach((p, j) => {
      if (p.type === 'row') return;
      const panel = p as Panel;
      const name = `d${i}p${j}`;
      const options = OPTIONS[panel.type];
      if (!options) throw new Error(`no schema type known for panel type ${panel.type}`);
      out += `export const ${name}Options: Literal<${options}> = ${js(panel.options ?? {})};\n`;
      const custom = CUSTOM[panel.type];
      if (custom) out += `export const ${name}Custom: Literal<${custom}> = ${js(panel.fieldConfig?.defaults.custom ?? {})};\n`;
      out += `export const ${name}Targets: PromQuery[] = ${js(panel.targets ?? [])};\n`;
    });
  });
  return out;
}

export interface TscResult {
  ok: boolean;
  output: string;
}

/** Compile one source file with the repository's TypeScript and node_modules; no output is emitted. */
export async function typecheck(source: string): Promise<TscResult> {
  const tsconfig = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      target: 'es2022',
      module: 'esnext',
      moduleResolution: 'bundler',
      skipLibCheck: true,
      types: [],
      baseUrl: '.',
      paths: { '*': [join(ROOT, 'node_modules', '*')] },
    },
    files: ['check.ts'],
  };
  const { dir, cleanup } = await tempFiles({ 'tsconfig.json': JSON.stringify(tsconfig) });
  try {
    await writeFile(join(dir, 'check.ts'), source);
    return await new Promise((resolvePromise) => {
      execFile(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { timeout: 55_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        resolvePromise({ ok: !err, output: stdout + stderr });
      });
    });
  } finally {
    await cleanup();
  }
}
