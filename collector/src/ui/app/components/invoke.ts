import { ApiFailure, type Api } from '../api.ts';
import { field, h, link, replace, select } from '../dom.ts';
import { clock, millis } from '../format.ts';
import type { InvokeResult, TailRecord } from '../wire.ts';
import { badge } from './badges.ts';
import { exceptionBlock } from './exception.ts';

/** After a call, its log lines are looked up this long after it (they arrive through the log pipeline). */
const LOOKUPS_MS = [400, 1200, 2500, 5000];

function pretty(body: string, contentType: string | undefined): string {
  if (contentType?.includes('json') || /^\s*[[{]/.test(body)) {
    try {
      return JSON.stringify(JSON.parse(body), null, 2);
    } catch {
      return body;
    }
  }
  return body;
}

/**
 * The Invoke form: method and payload; calls the function once through the collector
 * (POST /api/v1/functions/{ns}/{name}/invoke) and shows the response beside the log lines the
 * called pod wrote during the call.
 */
export class InvokeForm {
  readonly el: HTMLElement;
  readonly #api: Api;
  readonly #ns: string;
  readonly #name: string;
  readonly #method: HTMLSelectElement;
  readonly #payload: HTMLTextAreaElement;
  readonly #button: HTMLButtonElement;
  readonly #error: HTMLElement;
  readonly #response: HTMLElement;
  readonly #lines: HTMLElement;
  #timers: number[] = [];
  #refresh: number | undefined;
  #abort: AbortController | undefined;

  readonly #onInvoked: () => void;

  constructor(api: Api, namespace: string, name: string, onInvoked: () => void = () => undefined) {
    this.#api = api;
    this.#onInvoked = onInvoked;
    this.#ns = namespace;
    this.#name = name;
    const key = `fnscope.payload.${namespace}/${name}`;
    let saved: string | null;
    try {
      saved = localStorage.getItem(key);
    } catch {
      saved = null;
    }
    this.#method = select([['POST', 'POST'], ['GET', 'GET'], ['PUT', 'PUT'], ['PATCH', 'PATCH'], ['DELETE', 'DELETE']], 'POST');
    this.#method.name = 'method';
    this.#payload = h('textarea', { name: 'payload', rows: 5, spellcheck: 'false', class: 'code' });
    this.#payload.value = saved ?? '{"hello": "world"}';
    this.#button = h('button', { type: 'submit', class: 'btn primary' }, 'Invoke');
    this.#error = h('p', { class: 'form-error', role: 'alert' });
    this.#response = h('div', { class: 'invoke-response', 'aria-live': 'polite' }, h('p', { class: 'hint' }, 'The response appears here.'));
    this.#lines = h('div', { class: 'invoke-lines', 'aria-live': 'polite' }, h('p', { class: 'hint' }, 'The lines the called pod logged during the call appear here.'));
    const form = h(
      'form',
      {
        class: 'invoke-form',
        'aria-label': `Invoke ${name}`,
        onsubmit: (e: Event) => {
          e.preventDefault();
          try {
            localStorage.setItem(key, this.#payload.value);
          } catch {
            // not remembered
          }
          void this.#invoke();
        },
      },
      h('div', { class: 'row' }, field('Method', this.#method), h('div', { class: 'grow' }), this.#button),
      field('Payload', this.#payload, 'JSON is sent as application/json, anything else as text/plain. GET and DELETE send no payload.'),
      this.#error,
    );
    this.el = h(
      'div',
      { class: 'invoke' },
      form,
      h('div', { class: 'invoke-out' }, h('div', {}, h('h3', {}, 'Response'), this.#response), h('div', {}, h('h3', {}, 'Pod log during the call'), this.#lines)),
    );
  }

  async #invoke(): Promise<void> {
    this.#error.textContent = '';
    const method = this.#method.value;
    const raw = this.#payload.value;
    let data: unknown;
    let contentType: string | undefined;
    if (method !== 'GET' && method !== 'DELETE' && raw.trim() !== '') {
      try {
        data = JSON.parse(raw);
        contentType = 'application/json';
      } catch {
        data = raw;
        contentType = 'text/plain';
      }
    }
    for (const t of this.#timers) clearTimeout(t);
    this.#timers = [];
    this.#abort?.abort();
    this.#abort = new AbortController();
    this.#button.disabled = true;
    this.#button.textContent = 'Invoking…';
    replace(this.#response, h('p', { class: 'hint' }, `Calling ${this.#name}…`));
    replace(this.#lines, h('p', { class: 'hint' }, 'Waiting for the call to finish…'));
    try {
      const body = data === undefined ? { method } : { method, data: contentType === 'application/json' ? data : raw, contentType };
      const r = await this.#api.post<InvokeResult>(`/api/v1/functions/${encodeURIComponent(this.#ns)}/${encodeURIComponent(this.#name)}/invoke`, body, this.#abort.signal);
      this.#showResponse(r);
      // Lines are stamped by the node when the pod wrote them: from the call's start to shortly after its answer.
      this.#lookupLines(r.pod, r.start, r.end + 150);
      // The page's numbers and error groups, once the call has gone through the pipeline.
      clearTimeout(this.#refresh);
      this.#refresh = window.setTimeout(() => this.#onInvoked(), 1500);
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      const msg = e instanceof ApiFailure ? e.message : String(e);
      replace(this.#response, h('p', { class: 'notice error', role: 'alert' }, `The call failed: ${msg}`));
      replace(this.#lines, h('p', { class: 'hint' }, 'No call reached a pod.'));
    } finally {
      this.#button.disabled = false;
      this.#button.textContent = 'Invoke';
    }
  }

  #showResponse(r: InvokeResult): void {
    const ok = r.status >= 200 && r.status < 300;
    const ct = r.headers['content-type'];
    replace(
      this.#response,
      h('p', { class: 'invoke-status' }, badge(`HTTP ${r.status}`, ok ? 'ok' : r.status === 408 ? 'warn' : 'bad'), ` in ${millis(r.durationMs)} from pod `, h('code', {}, r.pod)),
      h('pre', { class: 'raw body', tabindex: 0, 'aria-label': 'Response body' }, pretty(r.body, ct) || '(empty body)'),
      r.truncated ? h('p', { class: 'hint' }, 'The body was cut at 1 MiB.') : null,
      h('details', {}, h('summary', {}, 'Response headers'), h('pre', { class: 'raw' }, Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join('\n'))),
    );
  }

  #lookupLines(pod: string, from: number, to: number): void {
    let shown = -1;
    for (const delay of LOOKUPS_MS) {
      this.#timers.push(
        window.setTimeout(() => {
          void this.#api
            .get<TailRecord[]>('/api/v1/logs', { namespace: this.#ns, function: this.#name, pod: pod.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), start: (from / 1000).toFixed(3), end: (to / 1000).toFixed(3), exclude: '"GET /metrics HTTP/', limit: 200 })
            .then((recs) => {
              if (recs.length === shown) return;
              shown = recs.length;
              this.#showLines(recs, pod);
            })
            .catch((e: unknown) => {
              if (shown < 0) replace(this.#lines, h('p', { class: 'notice error' }, `Could not read the logs: ${(e as Error).message}`));
            });
        }, delay),
      );
    }
  }

  #showLines(recs: TailRecord[], pod: string): void {
    if (recs.length === 0) {
      replace(this.#lines, h('p', { class: 'hint' }, `No log lines from ${pod} during the call (yet).`));
      return;
    }
    replace(
      this.#lines,
      h(
        'ol',
        { class: 'call-lines' },
        recs.map((r) =>
          h(
            'li',
            { class: r.kind },
            h('span', { class: 'tt' }, clock(r.time)),
            ' ',
            r.kind === 'exception'
              ? h('div', {}, exceptionBlock(r, []), link(`/errors/${encodeURIComponent(r.fingerprint)}`, 'Its error group →'))
              : h('span', { class: 'tx' }, r.kind === 'gap' ? `gap: ${r.reason}` : r.text),
          ),
        ),
      ),
    );
  }

  destroy(): void {
    clearTimeout(this.#refresh);
    for (const t of this.#timers) clearTimeout(t);
    this.#abort?.abort();
  }
}
