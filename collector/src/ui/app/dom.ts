/**
 * A tiny element builder. Text always goes in as text nodes (never as HTML), so nothing a function
 * logs can become markup.
 */

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Array<Child | Child[]>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else if (k === 'class') el.className = String(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Array<Child | Child[]>): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/** Replace every child of el. */
export function replace(el: Node, ...children: Array<Child | Child[]>): void {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
}

/** A link inside the app (hash routes). */
export function link(route: string, ...children: Array<Child | Child[]>): HTMLAnchorElement {
  return h('a', { href: `#${route}` }, ...children);
}

/** A path segment safe for a hash route. */
export function seg(s: string): string {
  return encodeURIComponent(s);
}

/** A section with a heading; the heading labels the region for screen readers. */
export function section(title: string, id: string, ...children: Array<Child | Child[]>): HTMLElement {
  const hid = `${id}-h`;
  return h('section', { class: 'panel', id, 'aria-labelledby': hid }, h('h2', { id: hid }, title), ...children);
}

/** A message in place of content: loading, empty, failed. */
export function notice(text: string, kind: 'info' | 'error' | 'empty' = 'info'): HTMLElement {
  return h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : null }, text);
}

let uid = 0;
/** A unique id for label/aria wiring. */
export function nextId(prefix: string): string {
  uid++;
  return `${prefix}-${uid}`;
}

/** A labelled form control. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= nextId('f');
  const hintEl = hint ? h('span', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

export function select(options: Array<[string, string]>, value: string): HTMLSelectElement {
  const s = h('select', {});
  for (const [v, label] of options) s.appendChild(h('option', { value: v, selected: v === value }, label));
  return s;
}
