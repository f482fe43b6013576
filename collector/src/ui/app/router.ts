import type { Api } from './api.ts';
import type { Theme } from './theme.ts';

/** One screen of the app. destroy() stops its timers and sockets. */
export interface Page {
  el: HTMLElement;
  title: string;
  destroy?(): void;
}

export interface Ctx {
  api: Api;
  theme: Theme;
  /** Replace the current route's query without reloading the page (filters, sort, range). */
  setQuery(q: URLSearchParams): void;
}

export type PageFactory = (ctx: Ctx, params: string[], query: URLSearchParams) => Page;

export interface Route {
  pattern: RegExp;
  nav: string;
  page: PageFactory;
}

/** Hash routes (#/functions/default/hello?range=1h): no server-side routing needed, works behind any proxy path. */
export class Router {
  readonly #routes: Route[];
  readonly #main: HTMLElement;
  readonly #ctx: Omit<Ctx, 'setQuery'>;
  readonly #fallback: PageFactory;
  #current: Page | undefined;
  #first = true;

  constructor(main: HTMLElement, ctx: Omit<Ctx, 'setQuery'>, routes: Route[], fallback: PageFactory) {
    this.#main = main;
    this.#ctx = ctx;
    this.#routes = routes;
    this.#fallback = fallback;
  }

  start(): void {
    window.addEventListener('hashchange', () => this.render());
    this.render();
  }

  render(): void {
    const raw = location.hash.replace(/^#/, '') || '/functions';
    const qi = raw.indexOf('?');
    const path = qi < 0 ? raw : raw.slice(0, qi);
    const query = new URLSearchParams(qi < 0 ? '' : raw.slice(qi + 1));
    this.#current?.destroy?.();
    let nav = '';
    let page: Page | undefined;
    const ctx: Ctx = { ...this.#ctx, setQuery: (q) => this.#setQuery(path, q) };
    for (const r of this.#routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      nav = r.nav;
      page = r.page(ctx, m.slice(1).map((s) => decodeURIComponent(s)), query);
      break;
    }
    page ??= this.#fallback(ctx, [path], query);
    this.#current = page;
    this.#main.replaceChildren(page.el);
    document.title = `${page.title} · fnscope`;
    for (const a of document.querySelectorAll<HTMLAnchorElement>('#nav a')) {
      if (a.dataset['nav'] === nav) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    if (!this.#first) {
      // Move focus to the new page so keyboard and screen-reader users start at its heading.
      const h1 = page.el.querySelector('h1');
      if (h1) {
        h1.tabIndex = -1;
        h1.focus({ preventScroll: true });
      }
      window.scrollTo(0, 0);
    }
    this.#first = false;
  }

  #setQuery(path: string, q: URLSearchParams): void {
    const s = q.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}#${path}${s ? `?${s}` : ''}`);
  }
}
