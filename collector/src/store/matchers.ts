import { ErrorCodes, FnscopeError } from '../util/errors.ts';
import { METRIC_NAME } from './labels.ts';

export type MatchType = '=' | '!=' | '=~' | '!~';

/** A label matcher as in PromQL selectors. A missing label matches as the empty string. */
export interface Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
}

/** A matcher ready to test values. Regular expressions are fully anchored, like Prometheus's. */
export class CompiledMatcher implements Matcher {
  readonly name: string;
  readonly type: MatchType;
  readonly value: string;
  readonly #re: RegExp | undefined;
  readonly #set: ReadonlySet<string> | undefined;
  /** True when the matcher accepts the empty string (so series without the label match). */
  readonly matchesEmpty: boolean;

  constructor(m: Matcher) {
    this.name = m.name;
    this.type = m.type;
    this.value = m.value;
    if (m.type === '=~' || m.type === '!~') {
      const literals = literalAlternation(m.value);
      if (literals !== undefined) this.#set = new Set(literals);
      else {
        try {
          this.#re = new RegExp(`^(?:${m.value})$`, 's');
        } catch (e) {
          throw new FnscopeError(ErrorCodes.STORE_BAD_MATCHER, `invalid regular expression ${JSON.stringify(m.value)}: ${(e as Error).message}`);
        }
      }
    }
    this.matchesEmpty = this.matches('');
  }

  matches(v: string): boolean {
    switch (this.type) {
      case '=':
        return v === this.value;
      case '!=':
        return v !== this.value;
      case '=~':
        return this.#set !== undefined ? this.#set.has(v) : this.#re!.test(v);
      case '!~':
        return this.#set !== undefined ? !this.#set.has(v) : !this.#re!.test(v);
    }
  }

  /** Literal values this matcher accepts when it accepts only a known few (`=`, `=~"a|b"`). */
  get setMatches(): readonly string[] | undefined {
    if (this.type === '=') return [this.value];
    if (this.type === '=~' && this.#set !== undefined) return [...this.#set];
    return undefined;
  }
}

/** `a|b|c` made only of plain characters: the values themselves, else undefined. */
function literalAlternation(re: string): string[] | undefined {
  if (!/^[a-zA-Z0-9_\-:/ |]*$/.test(re)) return undefined;
  return re.split('|');
}

/** Matcher constructors for code: `eq('job', 'x')`. */
export const eq = (name: string, value: string): Matcher => ({ name, type: '=', value });
export const neq = (name: string, value: string): Matcher => ({ name, type: '!=', value });
export const re = (name: string, value: string): Matcher => ({ name, type: '=~', value });
export const nre = (name: string, value: string): Matcher => ({ name, type: '!~', value });

const SELECTOR_NAME = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*/;
const LABEL_MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*/;

/**
 * Parse a series selector, `name{label="v", other=~"re"}` or `{__name__=~"…"}`, into matchers.
 * Throws FnscopeError FNS_STORE_BAD_MATCHER when it is not one, or when it matches everything.
 */
export function parseSelector(selector: string): Matcher[] {
  const bad = (why: string): FnscopeError => new FnscopeError(ErrorCodes.STORE_BAD_MATCHER, `invalid series selector ${JSON.stringify(selector)}: ${why}`);
  const out: Matcher[] = [];
  let rest = selector;
  const nm = SELECTOR_NAME.exec(rest)!;
  if (nm[1] !== undefined) out.push(eq(METRIC_NAME, nm[1]));
  rest = rest.slice(nm[0].length);
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    for (;;) {
      rest = rest.trimStart();
      if (rest.startsWith('}')) {
        rest = rest.slice(1);
        break;
      }
      const m = LABEL_MATCHER.exec(rest);
      if (m === null) throw bad('expected label matcher');
      out.push({ name: m[1]!, type: m[2] as MatchType, value: unquote(m[3]!) });
      rest = rest.slice(m[0].length);
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) throw bad('expected "," or "}"');
    }
  }
  if (rest.trim() !== '') throw bad('unexpected text after selector');
  if (out.length === 0) throw bad('empty selector');
  if (out.every((m) => new CompiledMatcher(m).matchesEmpty)) throw bad('at least one matcher must not match the empty string');
  return out;
}

function unquote(q: string): string {
  const body = q.slice(1, -1);
  return body.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}
