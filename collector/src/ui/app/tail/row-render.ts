import { clock } from '../format.ts';
import type { TailRecord } from '../wire.ts';
import type { Row } from './store.ts';

/** Stable colours per pod, in order of first appearance (eight, distinguishable in both themes). */
export class PodColors {
  readonly #map = new Map<string, number>();
  readonly size = 8;

  of(pod: string): number {
    let c = this.#map.get(pod);
    if (c === undefined) {
      c = this.#map.size % this.size;
      this.#map.set(pod, c);
    }
    return c;
  }

  entries(): Array<[string, number]> {
    return [...this.#map.entries()];
  }
}

const ERROR_LEVEL = /\b(?:ERROR|Error|CRITICAL|FATAL|Fatal|panic|Traceback)\b/;
const WARN_LEVEL = /\b(?:WARN|WARNING|Warning)\b/;

/** The severity class of a record, for colour. */
export function severity(r: TailRecord): '' | 'err' | 'warn' {
  if (r.kind === 'exception') return 'err';
  if (r.kind === 'gap') return 'warn';
  if (r.access) return r.access.status >= 500 ? 'err' : r.access.status === 408 || r.access.status >= 400 ? 'warn' : '';
  if (ERROR_LEVEL.test(r.text)) return 'err';
  return WARN_LEVEL.test(r.text) ? 'warn' : '';
}

function span(cls: string, text: string): HTMLSpanElement {
  const s = document.createElement('span');
  s.className = cls;
  s.textContent = text;
  return s;
}

/** How a pod is named in a row: without its function prefix when the view follows one function. */
export function podLabel(pod: string, fn: string | undefined): string {
  return fn && pod.startsWith(`${fn}-`) ? pod.slice(fn.length + 1) : pod;
}

const MAX_ROW_TEXT = 2000;

/**
 * Fill a row element. Rows are built from text nodes only. The head of an exception block reads
 * "Type: message" first, then the language and the number of frames; in-app frames are emphasised.
 */
export function fillRow(el: HTMLElement, row: Row, expanded: boolean, colors: PodColors, fn: string | undefined): void {
  const r = row.rec;
  const level = row.kind === 'line' || row.kind === 'gap' || row.kind === 'head' ? 1 : 2;
  el.setAttribute('aria-level', String(level));
  el.className = `tr k-${row.kind} ${severity(r)}`;
  if (row.kind === 'head') el.setAttribute('aria-expanded', String(expanded));
  else el.removeAttribute('aria-expanded');
  const time = level === 1 ? span('tt', clock(r.time)) : span('tt', '');
  const pod = level === 1 ? span(`tp pc${colors.of(r.pod)}`, podLabel(r.pod, fn)) : span('tp', '');
  if (level === 1) pod.title = r.pod;
  let body: HTMLElement;
  switch (row.kind) {
    case 'line': {
      const text = r.kind === 'line' ? r.text : '';
      body = span('tx', text.length > MAX_ROW_TEXT ? `${text.slice(0, MAX_ROW_TEXT)}…` : text);
      break;
    }
    case 'gap':
      body = span('tx', `gap in the stream: ${r.kind === 'gap' ? r.reason : ''}`);
      el.setAttribute('aria-label', `Gap in the log stream at ${clock(r.time)}: ${r.kind === 'gap' ? r.reason : ''}`);
      break;
    case 'head': {
      body = span('tx', '');
      if (r.kind === 'exception') {
        body.append(
          span('tog', expanded ? '▾' : '▸'),
          span('et', r.type),
          span('em', r.message ? `: ${r.message}` : ''),
          span('meta', `${r.language} · ${r.frames.length} frame${r.frames.length === 1 ? '' : 's'}${r.causes.length ? ` · ${r.causes.length} cause${r.causes.length === 1 ? '' : 's'}` : ''}`),
        );
      }
      break;
    }
    case 'frame': {
      const f = row.frame!;
      body = span(`tx fr${f.inApp ? ' inapp' : ''}`, '');
      body.append(span('fn', `at ${f.function || '?'}`), span('loc', ` ${f.file}${f.line !== null ? `:${f.line}` : ''}${f.column !== undefined ? `:${f.column}` : ''}`));
      if (f.inApp) body.append(span('tag', 'your code'));
      break;
    }
    case 'cause':
      body = span('tx cz', '');
      body.append(span('tag', 'cause'), span('', ` ${row.text ?? ''}`));
      break;
    case 'more':
      body = span('tx mo', row.text ?? '');
      break;
  }
  if (row.kind !== 'gap') el.removeAttribute('aria-label');
  el.replaceChildren(time, pod, body);
}
