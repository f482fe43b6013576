/** Generated dashboards and rule files as the API serves them, normalised for display. */

/** One generated file as the page shows it. */
export interface GeneratedView {
  name: string;
  title: string;
  content: string;
  /** Function the file was made for ("ns/name"), if any. */
  fn?: string;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function titleOf(name: string, content: string): string {
  if (name.endsWith('.json') || content.trimStart().startsWith('{')) {
    try {
      const t = asRecord(JSON.parse(content))?.['title'];
      if (typeof t === 'string') return t;
    } catch {
      // not JSON after all
    }
  }
  const groups = [...content.matchAll(/^\s*-\s*name:\s*(\S+)/gm)].map((m) => m[1]);
  return groups.length ? `rule groups: ${groups.slice(0, 4).join(', ')}${groups.length > 4 ? ', …' : ''}` : name;
}

/**
 * Generated files from the API, whatever the exact envelope: a list of files ({path|name, content,
 * function?}), of dashboards ({dashboard} or the dashboard JSON itself), or one document.
 */
export function normalizeGenerated(data: unknown, ext: string): GeneratedView[] {
  const rec = asRecord(data);
  const list: unknown[] = Array.isArray(data)
    ? data
    : Array.isArray(rec?.['files'])
      ? (rec['files'] as unknown[])
      : Array.isArray(rec?.['dashboards'])
        ? (rec['dashboards'] as unknown[])
        : Array.isArray(rec?.['rules']) && typeof (rec['rules'] as unknown[])[0] === 'object' && asRecord((rec['rules'] as unknown[])[0])?.['content'] !== undefined
          ? (rec['rules'] as unknown[])
          : data === undefined || data === null
            ? []
            : [data];
  return list.map((item, i) => {
    const o = asRecord(item);
    const fnRec = asRecord(o?.['function']);
    const fn = fnRec && typeof fnRec['namespace'] === 'string' && typeof fnRec['name'] === 'string' ? `${fnRec['namespace']}/${fnRec['name']}` : undefined;
    let content: string;
    let name: string | undefined = typeof o?.['path'] === 'string' ? o['path'] : typeof o?.['name'] === 'string' ? o['name'] : undefined;
    if (typeof item === 'string') content = item;
    else if (typeof o?.['content'] === 'string') content = o['content'];
    else if (asRecord(o?.['dashboard'])) {
      const d = asRecord(o!['dashboard'])!;
      content = `${JSON.stringify(d, null, 2)}\n`;
      name ??= `${typeof d['uid'] === 'string' ? d['uid'] : `dashboard-${i + 1}`}.json`;
    } else {
      content = `${JSON.stringify(item, null, 2)}\n`;
      name ??= `${typeof o?.['uid'] === 'string' ? o['uid'] : `file-${i + 1}`}.json`;
    }
    name ??= `file-${i + 1}.${ext}`;
    return { name, title: titleOf(name, content), content, ...(fn ? { fn } : {}) };
  });
}
