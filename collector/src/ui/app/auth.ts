/**
 * The collector's bearer token, when it asks for one (docs/ui.md). It arrives once in the page URL
 * as ?token=…, is kept in sessionStorage (this tab only, gone when it closes) and removed from the
 * address bar; fetches send it as `Authorization: Bearer`, the live-tail WebSocket as the
 * `access_token` query parameter (browsers cannot set headers on a WebSocket).
 */
const KEY = 'fnscope.token';

export class Auth {
  #token: string | null;

  constructor() {
    this.#token = null;
    try {
      this.#token = sessionStorage.getItem(KEY);
    } catch {
      // storage disabled: the token lives as long as the page
    }
    this.#takeFromUrl();
  }

  #takeFromUrl(): void {
    const url = new URL(location.href);
    const t = url.searchParams.get('token') ?? url.searchParams.get('access_token');
    if (t === null) return;
    url.searchParams.delete('token');
    url.searchParams.delete('access_token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    if (t !== '') this.set(t);
  }

  get token(): string | null {
    return this.#token;
  }

  set(token: string): void {
    this.#token = token.trim();
    try {
      sessionStorage.setItem(KEY, this.#token);
    } catch {
      // keep it in memory only
    }
  }

  clear(): void {
    this.#token = null;
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // nothing stored
    }
  }

  headers(): Record<string, string> {
    return this.#token ? { Authorization: `Bearer ${this.#token}` } : {};
  }
}
