/** A redaction rule: finds one kind of secret in a line and replaces it with `[REDACTED:<name>]`. */

export interface RedactionTally {
  /** Called once per replacement made by the named rule. */
  add(rule: string): void;
}

export interface RedactionRule {
  readonly name: string;
  readonly description: string;
  /**
   * A cheap test every line the rule can change passes; null: the rule runs on every line. Triggers
   * without flags and without digit classes are merged into one pre-filter for all rules; make them
   * start at a rare character (a separator, an upper-case letter) where the rule allows.
   */
  readonly trigger: RegExp | null;
  /**
   * For a `key: value` rule: the keys (a regular expression, matched case-insensitively) one of which,
   * then an optional quote, up to 10 spaces and ':' or '=', comes before every value the rule changes.
   * The stage tests every rule's keys in one look-behind from the line's separators (its trigger is
   * then separatorAfter(keys)).
   */
  readonly keys?: string;
  /** The regular expression, for rules made of one. */
  readonly pattern?: RegExp;
  /** The text with every match replaced. */
  apply(text: string, tally: RedactionTally): string;
}

export function marker(name: string): string {
  return `[REDACTED:${name}]`;
}

export const REDACTED_PREFIX = '[REDACTED';

/** The top-level alternatives of a regular expression's source. */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/** Index of the ')' that closes the group opened at `open`, or -1. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/**
 * The characters (as written) that every match of `keys` ends with: the last character of each
 * alternative, when it is a plain letter, digit or '_' (or the alternative is one `(?:…)` group whose
 * alternatives are such); null when that is not plain to see (escapes, classes, quantifiers at the end).
 */
export function lastCharacters(keys: string): Set<string> | null {
  if (keys.includes('\\')) return null;
  const ends = new Set<string>();
  for (const alt of alternatives(keys)) {
    const last = alt.charAt(alt.length - 1);
    if (/^\w$/.test(last)) {
      ends.add(last);
      continue;
    }
    if (!alt.startsWith('(?:') || groupEnd(alt, 0) !== alt.length - 1) return null;
    const inner = lastCharacters(alt.slice(3, -1));
    if (inner === null) return null;
    for (const c of inner) ends.add(c);
  }
  return ends;
}

/**
 * A trigger for `key: value` rules: the separator, right after one of the keys. A line holds few ':' and
 * '=', and the regex engine looks behind only from those, where the keys alone (`token`, `secret`) start
 * at a third of a line's letters. Letters are spelled out as [xX] classes rather than with an `i` flag:
 * the trigger merges into the stage's pre-filter as it is (and V8 13.6 gets `(?i:…)` wrong around a
 * look-behind with optional parts: `SECRET_KEY=` did not match).
 *
 * When the last character of every key is plain to see (lastCharacters), a first look-behind tests only
 * that character before the separator, and the keys are read only where it is there: it passes the
 * same lines. The lines of bench/log-pipeline.ts, the stage's pre-filter with the default rules: 92-101
 * → 83-91 ns per line (with the url-password trigger read from its '@' as well: 79-81 → 70-81).
 */
export function separatorAfter(keys: string): RegExp {
  // escapes and character classes are kept as written (write letters in a class in both cases)
  const caseless = keys.replace(/\\.|\[(?:\\.|[^\]\\])*\]|[a-z]/gi, (t) => (t.length > 1 ? t : `[${t.toLowerCase()}${t.toUpperCase()}]`));
  const ends = lastCharacters(keys);
  if (ends === null) return new RegExp(`(?<=(?:${caseless})["']?\\s{0,10})[:=]`);
  const last = [...new Set([...ends].flatMap((c) => [c.toLowerCase(), c.toUpperCase()]))].join('');
  return new RegExp(`[:=](?<=[${last}]["']?\\s{0,10}[:=])(?<=(?:${caseless})["']?\\s{0,10}[:=])`);
}

export interface RegexRuleSpec {
  name: string;
  description: string;
  trigger: RegExp | null;
  /** See RedactionRule.keys. */
  keys?: string;
  /** Must have the g flag. */
  pattern: RegExp;
  /**
   * The replacement of one match, from the match and its groups; return the match itself to leave it
   * (it is then not counted). Defaults to the marker alone.
   */
  replace?: (match: string, groups: readonly (string | undefined)[]) => string;
}

export function regexRule(spec: RegexRuleSpec): RedactionRule {
  const { name, pattern } = spec;
  if (!pattern.global) throw new TypeError(`redaction rule ${name}: the pattern needs the g flag`);
  const mark = marker(name);
  const replace = spec.replace;
  return {
    name,
    description: spec.description,
    trigger: spec.trigger,
    ...(spec.keys !== undefined ? { keys: spec.keys } : {}),
    pattern,
    apply(text, tally) {
      return text.replace(pattern, (match: string, ...rest: unknown[]) => {
        if (replace === undefined) {
          tally.add(name);
          return mark;
        }
        // rest: the groups, then the match's offset (a number), the whole string, named groups
        const groups: (string | undefined)[] = [];
        for (const g of rest) {
          if (typeof g !== 'string' && g !== undefined) break;
          groups.push(g);
        }
        const out = replace(match, groups);
        if (out !== match) tally.add(name);
        return out;
      });
    },
  };
}

/**
 * Replace the value of `key<sep>value`, keeping the key, the separator and any quotes around the value.
 * Groups: 1 = key and separator, 2 = the value (quoted or bare).
 */
export function keepKeyReplace(name: string): (match: string, groups: readonly (string | undefined)[]) => string {
  const mark = marker(name);
  return (match, groups) => {
    const key = groups[0] ?? '';
    const value = groups[1] ?? '';
    if (value.includes(REDACTED_PREFIX)) return match;
    const q = value.charCodeAt(0);
    if ((q === 34 || q === 39) && value.length >= 2 && value.charCodeAt(value.length - 1) === q) {
      return key + value[0]! + mark + value[0]!;
    }
    return key + mark;
  };
}
