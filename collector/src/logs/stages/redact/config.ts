/** Which redaction rules run: the presets chosen by name, plus custom regex rules from configuration. */
import { ErrorCodes, FnscopeError } from '../../../util/errors.ts';
import { defaultPresetNames, presetNames, REDACTION_PRESETS } from './presets.ts';
import { type RedactionRule, regexRule } from './rule.ts';

export interface CustomRedactionRule {
  /** Lower-case letters, digits and '-': the replacement is `[REDACTED:<name>]`. */
  name: string;
  /** A JavaScript regular expression; the g flag is added. */
  pattern: string;
  /** Extra flags among i, m, s, u. */
  flags?: string;
}

export interface RedactionConfig {
  /**
   * Applied in order to the default set: `name` or `+name` turns a preset on, `-name` off, `all` turns
   * every preset on, `none` every preset off, `default` restores the default set.
   */
  presets?: readonly string[];
  rules?: readonly CustomRedactionRule[];
}

function invalid(message: string): FnscopeError {
  return new FnscopeError(ErrorCodes.CONFIG_INVALID, message);
}

/** The preset names a list of `presets` entries selects. */
export function selectPresets(entries: readonly string[]): Set<string> {
  const known = new Set(presetNames());
  const on = new Set(defaultPresetNames());
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entry === 'all') for (const n of known) on.add(n);
    else if (entry === 'none') on.clear();
    else if (entry === 'default') {
      on.clear();
      for (const n of defaultPresetNames()) on.add(n);
    } else {
      const off = entry.startsWith('-');
      const name = off || entry.startsWith('+') ? entry.slice(1) : entry;
      if (!known.has(name)) throw invalid(`unknown redaction preset "${name}" (known: ${[...known].join(', ')})`);
      if (off) on.delete(name);
      else on.add(name);
    }
  }
  return on;
}

/** `--redact email,-jwt` → ['email', '-jwt']. */
export function parseRedactFlag(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A quantified group that is itself quantified, e.g. (a+)+ or (\w*)*: the shape of catastrophic backtracking. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)(?:[+*]|\{\d*,)/;

/** Does this pattern repeat a group that is itself repeated? */
export function hasNestedQuantifier(pattern: string): boolean {
  return NESTED_QUANTIFIER.test(pattern);
}

export function compileCustomRule(spec: CustomRedactionRule): RedactionRule {
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(spec.name)) throw invalid(`redaction rule name "${spec.name}": use a-z, 0-9 and -`);
  const flags = spec.flags ?? '';
  if (!/^[imsu]*$/.test(flags)) throw invalid(`redaction rule ${spec.name}: flags may only be i, m, s, u`);
  if (hasNestedQuantifier(spec.pattern)) {
    throw invalid(`redaction rule ${spec.name}: nested quantifiers such as (a+)+ can take exponential time`);
  }
  let pattern: RegExp;
  try {
    pattern = new RegExp(spec.pattern, `${flags}g`);
  } catch (e) {
    throw invalid(`redaction rule ${spec.name}: ${(e as Error).message}`);
  }
  if (new RegExp(spec.pattern, flags).test('')) throw invalid(`redaction rule ${spec.name}: the pattern matches the empty string`);
  return regexRule({ name: spec.name, description: `custom: /${spec.pattern}/${flags}`, trigger: null, pattern });
}

/** The rules to run, in order: the selected presets, then the custom rules. */
export function resolveRedactionRules(config: RedactionConfig = {}): RedactionRule[] {
  const on = selectPresets(config.presets ?? []);
  const rules = REDACTION_PRESETS.filter((p) => on.has(p.rule.name)).map((p) => p.rule);
  const names = new Set(presetNames());
  for (const spec of config.rules ?? []) {
    if (names.has(spec.name)) throw invalid(`redaction rule name "${spec.name}" is taken`);
    names.add(spec.name);
    rules.push(compileCustomRule(spec));
  }
  return rules;
}
