import { VariableType } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dashboard, Panel, RowPanel, VariableModel } from '@grafana/grafana-foundation-sdk/dashboard';
import { allPanels, isRow } from './finish.ts';

/** `${name}`, `${name:format}`, `$name` and `[[name]]`, as Grafana interpolates them. */
const VARIABLE_RE = /\$\{([^}:]+)(?::[^}]*)?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\[\[([^\]:]+)(?::[^\]]*)?\]\]/g;

/** Variable names referenced in a string (Grafana's built-ins start with `__`). */
export function variableReferences(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VARIABLE_RE)) out.push((m[1] ?? m[2] ?? m[3] ?? '').split('.')[0] ?? '');
  return out;
}

export interface PanelQuery {
  /** Panel title, or "annotation: <name>" / "variable: <name>". */
  source: string;
  refId: string;
  expr: string;
  instant: boolean;
}

interface PromTarget {
  refId?: string;
  expr?: string;
  instant?: boolean;
}

/** Every PromQL query of a dashboard: panel targets, annotations, and query variables. */
export function dashboardQueries(d: Dashboard): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const p of allPanels(d)) {
    if (isRow(p)) continue;
    for (const t of (p.targets ?? []) as PromTarget[]) {
      out.push({ source: p.title ?? '', refId: t.refId ?? '', expr: t.expr ?? '', instant: t.instant === true });
    }
  }
  for (const a of d.annotations.list ?? []) {
    const t = a.target as PromTarget | undefined;
    if (t?.expr !== undefined) out.push({ source: `annotation: ${a.name}`, refId: t.refId ?? '', expr: t.expr, instant: false });
  }
  for (const v of d.templating.list ?? []) {
    if (v.type === VariableType.Query && typeof v.query === 'string') {
      out.push({ source: `variable: ${v.name}`, refId: '', expr: v.query, instant: true });
    }
  }
  return out;
}

/** Grafana's built-in interval variables, with values for running a query outside Grafana. */
export const BUILT_IN_VALUES: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
  __range_s: '3600',
};

/**
 * A query with every variable replaced, e.g. to send it to Prometheus's HTTP API in a test.
 * `values` gives each variable's value (for a multi-value variable, a regex such as `.*`).
 */
export function expandVariables(expr: string, values: Readonly<Record<string, string>>): string {
  const all = { ...BUILT_IN_VALUES, ...values };
  return expr.replace(VARIABLE_RE, (whole, a?: string, b?: string, c?: string) => {
    const name = a ?? b ?? c ?? '';
    const v = all[name];
    if (v === undefined) throw new Error(`no value for variable "${name}" in ${whole}`);
    return v;
  });
}

const PANEL_TYPES = new Set(['row', 'timeseries', 'stat', 'table', 'bargauge', 'text']);
const GRID_WIDTH = 24;

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) strings(x, out);
  return out;
}

function checkDatasource(where: string, ds: unknown, vars: Map<string, VariableModel>, problems: string[]): void {
  const ref = ds as { type?: string; uid?: string } | undefined;
  if (!ref || typeof ref.uid !== 'string') {
    problems.push(`${where}: no datasource`);
    return;
  }
  if (ref.type === 'grafana' && ref.uid === '-- Grafana --') return;
  const m = /^\$\{(\w+)\}$/.exec(ref.uid);
  const v = m ? vars.get(m[1] ?? '') : undefined;
  if (!v || v.type !== VariableType.Datasource || v.query !== 'prometheus' || ref.type !== 'prometheus') {
    problems.push(`${where}: datasource ${JSON.stringify(ds)} is not the dashboard's Prometheus datasource variable`);
  }
}

/**
 * Structural checks a Grafana would otherwise find when loading the dashboard: a valid uid, unique panel
 * ids, panels on the 24-column grid without overlap, a Prometheus datasource (through the datasource
 * variable) and queries on every panel, unique refIds, and every `$variable` defined.
 */
export function checkDashboard(d: Dashboard): string[] {
  const problems: string[] = [];
  if (!d.title) problems.push('dashboard has no title');
  if (!d.uid || !/^[A-Za-z0-9_-]{1,40}$/.test(d.uid)) problems.push(`invalid uid "${String(d.uid)}"`);
  if (typeof d.schemaVersion !== 'number') problems.push('no schemaVersion');
  if (!Array.isArray(d.templating.list)) problems.push('templating.list is not a list');
  if (!Array.isArray(d.annotations.list)) problems.push('annotations.list is not a list');

  const vars = new Map<string, VariableModel>();
  for (const v of d.templating.list ?? []) {
    if (vars.has(v.name)) problems.push(`variable "${v.name}" defined twice`);
    vars.set(v.name, v);
  }
  const defined = (name: string): boolean => name.startsWith('__') || vars.has(name);
  const checkRefs = (where: string, obj: unknown): void => {
    for (const s of strings(obj)) {
      for (const name of variableReferences(s)) if (!defined(name)) problems.push(`${where}: undefined variable $${name}`);
    }
  };
  for (const v of d.templating.list ?? []) {
    if (v.type === VariableType.Query) checkDatasource(`variable ${v.name}`, v.datasource, vars, problems);
    checkRefs(`variable ${v.name}`, { query: v.query, definition: v.definition });
  }
  for (const a of d.annotations.list ?? []) {
    checkDatasource(`annotation ${a.name}`, a.datasource, vars, problems);
    checkRefs(`annotation ${a.name}`, a);
  }
  checkRefs('dashboard links', d.links ?? []);

  const ids = new Set<number>();
  const boxes: Array<{ title: string; x: number; y: number; w: number; h: number }> = [];
  for (const p of allPanels(d)) {
    const where = `panel "${p.title ?? ''}"`;
    if (typeof p.id !== 'number' || ids.has(p.id)) problems.push(`${where}: missing or duplicate id ${String(p.id)}`);
    else ids.add(p.id);
    if (!PANEL_TYPES.has(p.type)) problems.push(`${where}: unknown panel type "${p.type}"`);
    const g = p.gridPos;
    if (!g || ![g.x, g.y, g.w, g.h].every(Number.isInteger) || g.x < 0 || g.y < 0 || g.w < 1 || g.h < 1 || g.x + g.w > GRID_WIDTH) {
      problems.push(`${where}: gridPos ${JSON.stringify(g)} is off the ${GRID_WIDTH}-column grid`);
    } else {
      for (const b of boxes) {
        if (g.x < b.x + b.w && b.x < g.x + g.w && g.y < b.y + b.h && b.y < g.y + g.h) problems.push(`${where} overlaps panel "${b.title}"`);
      }
      boxes.push({ title: p.title ?? '', ...g });
    }
    if (isRow(p)) continue;
    checkPanel(where, p, vars, problems);
    checkRefs(where, { title: p.title, description: p.description, targets: p.targets, links: p.links, fieldConfig: p.fieldConfig });
  }
  return problems;
}

function checkPanel(where: string, p: Panel | RowPanel, vars: Map<string, VariableModel>, problems: string[]): void {
  const panel = p as Panel;
  checkDatasource(where, panel.datasource, vars, problems);
  const targets = (panel.targets ?? []) as Array<PromTarget & { datasource?: unknown }>;
  if (targets.length === 0) problems.push(`${where}: no queries`);
  const refIds = new Set<string>();
  for (const t of targets) {
    if (!t.refId || refIds.has(t.refId)) problems.push(`${where}: missing or duplicate refId "${String(t.refId)}"`);
    else refIds.add(t.refId);
    if (!t.expr || t.expr.trim() === '') problems.push(`${where}: query ${String(t.refId)} has no expression`);
    checkDatasource(`${where} query ${String(t.refId)}`, t.datasource, vars, problems);
  }
}
