/** Light, dark, or following the system (prefers-color-scheme); the choice is remembered in localStorage. */
export type ThemeMode = 'auto' | 'light' | 'dark';

const KEY = 'fnscope.theme';
const ORDER: ThemeMode[] = ['auto', 'light', 'dark'];

export class Theme {
  #mode: ThemeMode = 'auto';
  readonly #media = window.matchMedia('(prefers-color-scheme: dark)');
  readonly #listeners = new Set<() => void>();

  constructor() {
    let saved: string | null;
    try {
      saved = localStorage.getItem(KEY);
    } catch {
      saved = null;
    }
    if (saved === 'light' || saved === 'dark' || saved === 'auto') this.#mode = saved;
    this.#apply();
    this.#media.addEventListener('change', () => {
      if (this.#mode === 'auto') this.#emit();
    });
  }

  get mode(): ThemeMode {
    return this.#mode;
  }

  get dark(): boolean {
    return this.#mode === 'dark' || (this.#mode === 'auto' && this.#media.matches);
  }

  set(mode: ThemeMode): void {
    this.#mode = mode;
    try {
      localStorage.setItem(KEY, mode);
    } catch {
      // not remembered
    }
    this.#apply();
    this.#emit();
  }

  cycle(): void {
    this.set(ORDER[(ORDER.indexOf(this.#mode) + 1) % ORDER.length] ?? 'auto');
  }

  /** Called after every change of the effective colours; returns an unsubscribe function. */
  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** A CSS custom property of the current theme, e.g. color("--chart-1"). */
  color(name: string): string {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
  }

  bindButton(btn: HTMLButtonElement): void {
    const label = (): void => {
      btn.textContent = `Theme: ${this.#mode}`;
      btn.setAttribute('aria-label', `Colour theme: ${this.#mode === 'auto' ? 'automatic (follows the system)' : this.#mode}. Activate to change.`);
    };
    label();
    btn.addEventListener('click', () => {
      this.cycle();
      label();
    });
  }

  #apply(): void {
    document.documentElement.dataset['theme'] = this.#mode;
  }

  #emit(): void {
    for (const fn of this.#listeners) fn();
  }
}
