import { VariableType } from '@grafana/grafana-foundation-sdk/dashboard';
import type { AnnotationQuery, Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';

/** Grafana's own "Annotations & Alerts" query, which every saved dashboard carries. */
export const BUILT_IN_ANNOTATION: AnnotationQuery = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
};

export function isRow(p: Panel | RowPanel): p is RowPanel {
  return p.type === 'row';
}

/** Every panel, rows included, with the panels inside collapsed rows. */
export function allPanels(d: Dashboard): Array<Panel | RowPanel> {
  const out: Array<Panel | RowPanel> = [];
  for (const p of d.panels ?? []) {
    out.push(p);
    if (isRow(p)) out.push(...p.panels);
  }
  return out;
}

function refIdFor(i: number): string {
  return i < 26 ? String.fromCharCode(65 + i) : `Q${i}`;
}

/**
 * What Grafana expects of a saved dashboard that the builders leave out: unique panel ids, a refId on
 * every query, `list`s for templating and annotations (with the built-in annotation first), no id,
 * links in the link bar, and none of the builder defaults the schema no longer has.
 */
export function finishDashboard(d: Dashboard, extraAnnotations: readonly AnnotationQuery[] = []): Dashboard {
  let id = 1;
  for (const p of allPanels(d)) {
    p.id = id++;
    if (isRow(p)) continue;
    // The builder's table defaults still carry the footer Grafana 12 moved out of the panel options.
    if (p.type === 'table' && p.options !== null && typeof p.options === 'object') delete (p.options as { footer?: unknown }).footer;
    (p.targets ?? []).forEach((t, i) => {
      const q = t as { refId?: string };
      if (q.refId === undefined) q.refId = refIdFor(i);
    });
  }
  // Links go in the dashboard's link bar, not the controls menu (the builder's default).
  for (const l of d.links ?? []) delete l.placement;
  d.id = null;
  // The builder gives every variable the fields of interval variables (auto, auto_min, auto_count).
  const list = (d.templating.list ?? []).map((v) => {
    if (v.type === VariableType.Interval) return v;
    const { auto: _auto, auto_min: _min, auto_count: _count, ...rest } = v;
    return rest;
  });
  d.templating = { list };
  d.annotations = { list: [BUILT_IN_ANNOTATION, ...(d.annotations.list ?? []), ...extraAnnotations] };
  return d;
}
