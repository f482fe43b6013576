import { h } from '../dom.ts';

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'muted';

export function badge(text: string, tone: Tone, title?: string): HTMLElement {
  return h('span', { class: `badge ${tone}`, title: title ?? null }, text);
}

export function healthBadge(health: 'up' | 'down' | 'unknown'): HTMLElement {
  return badge(health.toUpperCase(), health === 'up' ? 'ok' : health === 'down' ? 'bad' : 'muted');
}

export function statusBadge(status: 'new' | 'ongoing' | 'regressed'): HTMLElement {
  return badge(status, status === 'new' ? 'info' : status === 'regressed' ? 'bad' : 'warn');
}
