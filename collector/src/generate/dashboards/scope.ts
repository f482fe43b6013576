import { functionMatchers, type GenerateConfig } from '../config.ts';
import { parseMatchers, series } from '../promql/selectors.ts';

/** The label matchers a dashboard's queries filter with. */
export interface Scope {
  /** For series scraped from functions and the collector's own function series. */
  raw: string[];
  /** For fnscope's recording rules (already per function; no job or selector labels). */
  rec: string[];
}

/** Overview: multi-value namespace and function variables (regex matchers). */
export function multiScope(cfg: GenerateConfig): Scope {
  const vars = ['namespace=~"$namespace"', 'function=~"$function"'];
  return { raw: [...functionMatchers(cfg), ...vars], rec: vars };
}

/** Detail: one namespace and one function (equality matchers). */
export function singleScope(cfg: GenerateConfig): Scope {
  const vars = ['namespace="$namespace"', 'function="$function"'];
  return { raw: [...parseMatchers(cfg.selector), ...vars], rec: vars };
}

export function rec(name: string, scope: Scope, extra: readonly string[] = []): string {
  return series(name, [...scope.rec, ...extra]);
}

export function raw(name: string, scope: Scope, extra: readonly string[] = []): string {
  return series(name, [...scope.raw, ...extra]);
}
