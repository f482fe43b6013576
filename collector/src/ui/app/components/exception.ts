import { h } from '../dom.ts';
import type { Cause, Frame } from '../wire.ts';

export interface ExceptionLike {
  type: string;
  message: string;
  language?: string;
  frames: Frame[];
  causes: Cause[];
  lines: string[];
}

/**
 * One exception, readable at a glance: type and message first, then the frames (innermost first,
 * the application's own emphasised, runtime and library frames dimmed), the causes, and the raw
 * trace as printed behind a disclosure.
 */
export function exceptionBlock(e: ExceptionLike, meta: Array<string | Node> = [], openRaw = false): HTMLElement {
  const inApp = e.frames.filter((f) => f.inApp).length;
  return h(
    'div',
    { class: 'exc' },
    h('p', { class: 'exc-title' }, h('strong', {}, e.type), e.message ? `: ${e.message}` : ''),
    meta.length || e.language ? h('p', { class: 'exc-meta' }, ...[e.language ?? '', ...meta].filter((x) => x !== '').flatMap((x, i) => (i === 0 ? [x] : [' · ', x]))) : null,
    e.frames.length
      ? h(
          'div',
          {},
          h('p', { class: 'exc-sub' }, `${e.frames.length} frame${e.frames.length === 1 ? '' : 's'}, innermost first${inApp ? ` (${inApp} in your code)` : ' (none in your code)'}`),
          h(
            'ol',
            { class: 'frames' },
            e.frames.map((f) =>
              h(
                'li',
                { class: f.inApp ? 'inapp' : 'lib' },
                h('span', { class: 'fn' }, f.function || '<anonymous>'),
                ' ',
                h('span', { class: 'loc' }, `${f.file}${f.line !== null ? `:${f.line}` : ''}`),
                f.inApp ? h('span', { class: 'tag' }, 'your code') : null,
              ),
            ),
          ),
        )
      : h('p', { class: 'exc-sub' }, 'The trace names no frames; the message identifies it.'),
    e.causes.length ? h('ul', { class: 'causes', 'aria-label': 'Causes' }, e.causes.map((c) => h('li', {}, h('span', { class: 'tag' }, 'cause'), ' ', h('strong', {}, c.type), c.message ? `: ${c.message}` : ''))) : null,
    e.lines.length ? h('details', { open: openRaw }, h('summary', {}, `Raw trace (${e.lines.length} lines)`), h('pre', { class: 'raw' }, e.lines.join('\n'))) : null,
  );
}
