/**
 * Field selectors (`metadata.name=x,status.phase!=Running`), parsed as k8s.io/apimachinery/pkg/fields
 * does, and the fields each kind supports, with the API server's error texts.
 */
import type { KObject } from './types.ts';
import type { ResourceDef } from './resources.ts';

export interface FieldTerm {
  field: string;
  op: '=' | '!=';
  value: string;
}

export interface FieldSelector {
  terms: readonly FieldTerm[];
  matches(fields: Readonly<Record<string, string>>): boolean;
}

function splitTerms(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1]!;
      i++;
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    const rest = term.slice(i);
    for (const op of ['!=', '==', '=']) {
      if (rest.startsWith(op)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function unescape(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\') {
      const n = v[i + 1];
      if (n === '\\' || n === ',' || n === '=') {
        out += n;
        i++;
        continue;
      }
      throw new Error(`invalid field selector: invalid escape sequence: ${n === undefined ? '\\' : `\\${n}`}`);
    }
    if (c === ',' || c === '=') throw new Error(`invalid field selector: unescaped character in value: ${c}`);
    out += c;
  }
  return out;
}

/** Parses a field selector; throws Error with the API server's message when malformed. */
export function parseFieldSelector(s: string): FieldSelector {
  const parts = splitTerms(s).sort();
  const terms: FieldTerm[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (!t) throw new Error(`invalid selector: '${s}'; can't understand '${part}'`);
    terms.push({ field: t.lhs, op: t.op === '!=' ? '!=' : '=', value: unescape(t.rhs) });
  }
  return {
    terms,
    matches: (fields) => terms.every((t) => ((fields[t.field] ?? '') === t.value) === (t.op === '=')),
  };
}

type Getter = (o: KObject) => string;

const str = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function at(o: KObject, path: string): unknown {
  let cur: unknown = o;
  for (const p of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

const byPath = (path: string): Getter => (o) => str(at(o, path));

const EXTRA_FIELDS: Record<string, Record<string, Getter>> = {
  pods: {
    'spec.nodeName': byPath('spec.nodeName'),
    'spec.restartPolicy': byPath('spec.restartPolicy'),
    'spec.schedulerName': byPath('spec.schedulerName'),
    'spec.serviceAccountName': byPath('spec.serviceAccountName'),
    'spec.hostNetwork': (o) => String(at(o, 'spec.hostNetwork') === true),
    'status.phase': byPath('status.phase'),
    'status.podIP': byPath('status.podIP'),
    'status.nominatedNodeName': byPath('status.nominatedNodeName'),
  },
  events: {
    'involvedObject.kind': byPath('involvedObject.kind'),
    'involvedObject.namespace': byPath('involvedObject.namespace'),
    'involvedObject.name': byPath('involvedObject.name'),
    'involvedObject.uid': byPath('involvedObject.uid'),
    'involvedObject.apiVersion': byPath('involvedObject.apiVersion'),
    'involvedObject.resourceVersion': byPath('involvedObject.resourceVersion'),
    'involvedObject.fieldPath': byPath('involvedObject.fieldPath'),
    reason: byPath('reason'),
    reportingComponent: byPath('reportingComponent'),
    source: byPath('source.component'),
    type: byPath('type'),
  },
  namespaces: { 'status.phase': byPath('status.phase') },
  nodes: { 'spec.unschedulable': (o) => String(at(o, 'spec.unschedulable') === true) },
  services: { 'spec.clusterIP': byPath('spec.clusterIP'), 'spec.type': byPath('spec.type') },
  replicasets: { 'status.replicas': byPath('status.replicas') },
};

/** The selectable fields of an object of this resource, as strings. */
export function objectFields(def: ResourceDef, o: KObject): Record<string, string> {
  const f: Record<string, string> = { 'metadata.name': o.metadata.name ?? '' };
  if (def.namespaced) f['metadata.namespace'] = o.metadata.namespace ?? '';
  for (const [k, g] of Object.entries(EXTRA_FIELDS[def.resource] ?? {})) f[k] = g(o);
  return f;
}

/** Throws Error (the API answers 400) when a term names a field this resource cannot select on. */
export function checkFieldsSupported(def: ResourceDef, sel: FieldSelector): void {
  const known = new Set(['metadata.name', 'metadata.namespace', ...Object.keys(EXTRA_FIELDS[def.resource] ?? {})]);
  for (const t of sel.terms) {
    if (known.has(t.field)) continue;
    if (def.custom) throw new Error(`"${t.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    throw new Error(`field label not supported: ${t.field}`);
  }
}
